// The built app in a real Electron, driven by Playwright, with a fresh user-data folder each
// run. Runs wherever an Electron binary is installed; elsewhere the suite reports itself skipped
// with the reason in its name (the binary is downloaded on first use, never by these tests).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { TestHooks } from '../../src/main/app/main.ts'
import type { Snapshot, TidingsApi } from '../../src/shared/ipc.ts'

const root = join(import.meta.dirname, '../..')
const ensureElectron = new URL('../../scripts/ensure-electron.mjs', import.meta.url).href
const { electronBinaryPath } = (await import(ensureElectron)) as {
  electronBinaryPath(): string | null
}
const binary: string | null = electronBinaryPath()

if (!binary)
  console.warn('e2e tests skipped: no Electron binary (run `npm run dev` once to fetch it)')
const suite = binary ? describe : describe.skip
const title = binary
  ? 'desktop app in Electron'
  : 'desktop app in Electron (skipped: no Electron binary installed; run `npm run dev` once to fetch it)'

type Hooks = TestHooks
// What page.evaluate callbacks see in the window (tsconfig.node has no DOM types). Callbacks
// travel as source text, so they name globalThis themselves rather than a helper.
type Win = {
  tidings: TidingsApi
  open(url: string): unknown
  document: { body: { innerText: string } }
}

let running: ElectronApplication | null = null

async function launch(userData: string): Promise<{ app: ElectronApplication; page: Page }> {
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    // No setuid sandbox helper in containers; the renderer's own sandbox stays on (sandbox: true).
    args: ['--no-sandbox', root],
    cwd: root,
    env: {
      ...process.env,
      TIDINGS_USER_DATA_DIR: userData,
      TIDINGS_TEST_HOOKS: '1',
      // Start at login and similar never touch the real profile.
      XDG_CONFIG_HOME: join(userData, 'xdg'),
      ELECTRON_RENDERER_URL: '',
    },
  })
  running = app
  const page = await app.firstWindow()
  return { app, page }
}

function hooks<T>(app: ElectronApplication, read: (hooks: Hooks) => T): Promise<T> {
  return app.evaluate((_electron, fn) => {
    // The function travels as text; rebuild it in the main process.
    const reader = new Function('hooks', `return (${fn})(hooks)`) as (h: Hooks) => T
    return reader((globalThis as unknown as { __tidingsTest: Hooks }).__tidingsTest)
  }, read.toString())
}

async function until<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 45_000
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

suite(title, () => {
  beforeAll(() => {
    const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
    if (build.status !== 0) throw new Error('npm run build failed')
    for (const file of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'])
      expect(existsSync(join(root, file)), file).toBe(true)
  })

  afterEach(async () => {
    await running?.close()
    running = null
  })

  it('starts on the demo feed with a tray, events reach the window, a task completion notifies', async () => {
    const userData = await mkdtemp(join(tmpdir(), 'tidings-e2e-'))
    const { app, page } = await launch(userData)

    expect(await hooks(app, (h) => h.trayState())).not.toBeNull()
    // The window is locked down: no Node, the intent API only.
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
      'undefined',
    )
    expect(
      await page.evaluate(() => Object.keys((globalThis as unknown as Win).tidings).join(',')),
    ).toContain('getSnapshot')
    expect(
      await page.evaluate(
        () => (globalThis as unknown as Win).open('https://example.com') === null,
      ),
    ).toBe(true)

    const snapshot = await until(
      () =>
        page.evaluate(() =>
          (globalThis as unknown as Win).tidings.getSnapshot(),
        ) as Promise<Snapshot>,
      (s) => s.events.length > 0,
      'demo events in the window',
    )
    expect(snapshot.feeds.map((f) => f.id)).toEqual(['demo'])
    await page.waitForFunction(() =>
      (globalThis as unknown as Win).document.body.innerText.includes('Demo feed'),
    )

    const kinds = await until(
      () => hooks(app, (h) => h.notifications.map((n) => n.kind)),
      (list) => list.includes('task-completed'),
      'a task-completed notification',
    )
    expect(kinds).toContain('task-completed')
  })

  it('resumes from the stored event id after a restart', async () => {
    const userData = await mkdtemp(join(tmpdir(), 'tidings-e2e-'))
    const first = await launch(userData)
    const ids = await until(
      () => hooks(first.app, (h) => h.lastEventIds()),
      (map) => Number(map['demo'] ?? 0) >= 3,
      'a few demo events',
    )
    await first.app.close()
    running = null
    const stored = JSON.parse(await readFile(join(userData, 'state.json'), 'utf8')) as {
      lastEventIds: Record<string, string>
    }
    const storedId = Number(stored.lastEventIds['demo'])
    expect(storedId).toBeGreaterThanOrEqual(Number(ids['demo']))

    const second = await launch(userData)
    const snapshot = await until(
      () =>
        second.page.evaluate(() =>
          (globalThis as unknown as Win).tidings.getSnapshot(),
        ) as Promise<Snapshot>,
      (s) => s.events.some((e) => Number(e.id) > storedId),
      'events after the restart',
    )
    // The demo server continues above the id it was given: nothing restarted from 1.
    const after = snapshot.events.filter((e) => e.seq > 0 && Number(e.id) > storedId)
    expect(Math.min(...after.map((e) => Number(e.id)))).toBe(storedId + 1)
    expect(snapshot.events.some((e) => Number(e.id) === storedId)).toBe(true)
  })
})
