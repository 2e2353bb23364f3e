// What the entry point takes from its environment: development and test switches only while
// unpackaged; a packaged app loads its own page, keeps its own data folder and exposes nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { launchOptions } from '../../src/main/app/launch-options.ts'
import type { RunningTidings } from '../../src/main/app/main.ts'
import { fake, type FakeBrowserWindow } from '../setup/electron.ts'
import { tempDir } from './support/fixtures.ts'

const DEV_ENV = {
  ELECTRON_RENDERER_URL: 'http://localhost:5173/',
  TIDINGS_USER_DATA_DIR: '/tmp/tidings-profile',
  TIDINGS_TEST_HOOKS: '1',
}

describe('launch options', () => {
  it('honours the dev server, a profile folder and test hooks while unpackaged', () => {
    expect(launchOptions(false, DEV_ENV)).toEqual({
      rendererUrl: 'http://localhost:5173/',
      userData: '/tmp/tidings-profile',
      testHooks: true,
      ignored: [],
    })
    expect(launchOptions(false, {})).toEqual({
      rendererUrl: null,
      userData: null,
      testHooks: false,
      ignored: [],
    })
  })

  it('ignores all three in a packaged app, and says so', () => {
    const options = launchOptions(true, DEV_ENV)
    expect(options).toMatchObject({ rendererUrl: null, userData: null, testHooks: false })
    expect(options.ignored).toEqual([
      'ELECTRON_RENDERER_URL is ignored: this is a packaged app.',
      'TIDINGS_USER_DATA_DIR is ignored: this is a packaged app.',
      'TIDINGS_TEST_HOOKS is ignored: this is a packaged app.',
    ])
  })

  it('loads a dev server only from this machine, over http(s)', () => {
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'javascript:1', 'nope'])
      expect(launchOptions(false, { ELECTRON_RENDERER_URL: url }).rendererUrl, url).toBeNull()
    for (const url of ['http://127.0.0.1:5173/', 'http://[::1]:5173/'])
      expect(launchOptions(false, { ELECTRON_RENDERER_URL: url }).rendererUrl).toBe(url)
  })

  it("leaves the profile folder to Electron's --user-data-dir when it is given", () => {
    const options = launchOptions(false, DEV_ENV, ['electron', '.', '--user-data-dir=/data/t'])
    expect(options.userData).toBeNull()
    expect(options.ignored).toEqual([
      'TIDINGS_USER_DATA_DIR is ignored: --user-data-dir was given.',
    ])
  })
})

describe('the entry point (src/main/index.ts)', () => {
  let running: RunningTidings | null = null
  const saved = { ...process.env }
  beforeEach(() => fake.reset())
  afterEach(async () => {
    await running?.shutdown()
    running = null
    process.env = { ...saved }
  })

  async function start(): Promise<RunningTidings> {
    vi.resetModules()
    const entry = await import('../../src/main/index.ts')
    const started = await entry.started
    if (!started) throw new Error('did not start')
    return started
  }

  it('packaged, loads the bundled page into its default profile whatever the environment says', async () => {
    const defaultProfile = await tempDir('tidings-default-profile-')
    fake.app.setPath('userData', defaultProfile)
    fake.app.isPackaged = true
    Object.assign(process.env, { ...DEV_ENV, TIDINGS_USER_DATA_DIR: await tempDir() })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    running = await start()
    const window = running.windows.window as unknown as FakeBrowserWindow
    expect(window.loaded.url).toBeUndefined()
    expect(window.loaded.file).toMatch(/[/\\]renderer[/\\]index\.html$/)
    expect(fake.app.getPath('userData')).toBe(defaultProfile)
    expect((globalThis as { __tidingsTest?: unknown }).__tidingsTest).toBeUndefined()
    // No default menu with reload and DevTools in what users install.
    expect(fake.applicationMenu).not.toBe('default')
    expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
      'tidings: ELECTRON_RENDERER_URL is ignored: this is a packaged app.',
      'tidings: TIDINGS_USER_DATA_DIR is ignored: this is a packaged app.',
      'tidings: TIDINGS_TEST_HOOKS is ignored: this is a packaged app.',
    ])
    warn.mockRestore()
  })

  it('unpackaged, takes the dev server and a fresh profile from the environment', async () => {
    const profile = await tempDir('tidings-dev-profile-')
    Object.assign(process.env, { ...DEV_ENV, TIDINGS_USER_DATA_DIR: profile })
    running = await start()
    const window = running.windows.window as unknown as FakeBrowserWindow
    expect(window.loaded.url).toBe('http://localhost:5173/')
    expect(fake.app.getPath('userData')).toBe(profile)
    expect((globalThis as { __tidingsTest?: unknown }).__tidingsTest).toBeDefined()
    delete (globalThis as { __tidingsTest?: unknown }).__tidingsTest
  })
})
