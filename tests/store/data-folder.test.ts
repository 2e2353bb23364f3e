// The data folder the desktop app and tidings ui share: where it is, and the lock that keeps the
// two from running on it at once (taken in composeTidings, so both get it).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { composeTidings } from '../../src/main/core/compose.ts'
import { appName, desktopDataDir } from '../../src/main/store/data-dir.ts'
import { DataDirLocked, LOCK_NAME, lockDataDir } from '../../src/main/store/data-lock.ts'
import type { SecretCipher } from '../../src/main/store/secrets.ts'

const noCipher: SecretCipher = {
  isAvailable: async () => false,
  encrypt: async () => {
    throw new Error('none')
  },
  decrypt: async () => {
    throw new Error('none')
  },
}

const compose = (dataDir: string, instance: string) =>
  composeTidings({
    dataDir,
    instance,
    cipher: noCipher,
    fetch: () => new Promise(() => {}),
    show: () => {},
    send: () => {},
    openLink: async () => false,
  })

describe("the desktop app's data folder, without Electron", () => {
  it("is app.getPath('userData'): appData joined with package.json's productName, else its name", () => {
    expect(appName({ name: 'tidings' })).toBe('tidings')
    expect(appName({ name: 'tidings', productName: 'Tidings' })).toBe('Tidings')
    // Ours: a productName added to package.json would move every user's data folder.
    expect(appName()).toBe('tidings')
    const home = '/home/ada'
    expect(desktopDataDir({ platform: 'linux', env: {}, home })).toBe('/home/ada/.config/tidings')
    expect(desktopDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg/' }, home })).toBe(
      '/cfg/tidings',
    )
    expect(desktopDataDir({ platform: 'freebsd', env: {}, home })).toBe('/home/ada/.config/tidings')
    expect(desktopDataDir({ platform: 'darwin', env: {}, home: '/Users/ada' })).toBe(
      '/Users/ada/Library/Application Support/tidings',
    )
    expect(
      desktopDataDir({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        home: 'C:\\Users\\ada',
      }),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\tidings')
    expect(desktopDataDir({ platform: 'win32', env: {}, home: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\tidings',
    )
    // The desktop app's own override (src/main/index.ts) moves it for both.
    expect(
      desktopDataDir({ platform: 'linux', env: { TIDINGS_USER_DATA_DIR: '/tmp/x' }, home }),
    ).toBe('/tmp/x')
  })
})

describe('the data-folder lock', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tidings-lock-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('keeps a second Tidings off the folder while the first runs, and lets it on after', async () => {
    const desktop = await compose(dir, 'the desktop app')
    const refused = await compose(dir, 'tidings ui').catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(DataDirLocked)
    expect((refused as Error).message).toBe(
      `Another Tidings (the desktop app, process ${process.pid}) is using the data folder ${dir}. ` +
        'Quit it first, or choose another folder (tidings ui --data-dir DIR).',
    )
    await desktop.dispose()
    const ui = await compose(dir, 'tidings ui')
    expect(JSON.parse(await readFile(join(dir, LOCK_NAME), 'utf8'))).toMatchObject({
      pid: process.pid,
      what: 'tidings ui',
    })
    await ui.dispose()
    await expect(readFile(join(dir, LOCK_NAME))).rejects.toThrow(/ENOENT/)
  })

  it('takes over a lock whose process is gone (a crash), and one that is damaged', async () => {
    await writeFile(
      join(dir, LOCK_NAME),
      JSON.stringify({
        pid: 4242,
        host: (await import('node:os')).hostname(),
        what: 'x',
        since: 1,
      }),
    )
    const lock = await lockDataDir({ dir, what: 'tidings ui', isAlive: (pid) => pid !== 4242 })
    await lock.release()
    await writeFile(join(dir, LOCK_NAME), '{"pid": "no')
    const again = await lockDataDir({ dir, what: 'tidings ui' })
    await again.release()
  })

  it('holds a lock from another machine (a synced folder) and one whose process runs', async () => {
    await writeFile(
      join(dir, LOCK_NAME),
      JSON.stringify({ pid: 4242, host: 'another-machine', what: 'the desktop app', since: 1 }),
    )
    await expect(lockDataDir({ dir, what: 'tidings ui', isAlive: () => false })).rejects.toThrow(
      DataDirLocked,
    )
    await rm(join(dir, LOCK_NAME))
    const first = await lockDataDir({ dir, what: 'tidings ui', pid: 1 })
    await expect(lockDataDir({ dir, what: 'tidings ui', isAlive: () => true })).rejects.toThrow(
      /process 1\)/,
    )
    await first.release()
  })

  it('a composition that fails to start lets go of the folder', async () => {
    await writeFile(join(dir, 'history.jsonl'), '')
    // A folder where the settings file should be: opening it fails after the lock was taken.
    const { mkdir } = await import('node:fs/promises')
    await mkdir(join(dir, 'settings.json'))
    await expect(compose(dir, 'tidings ui')).rejects.toThrow()
    await expect(readFile(join(dir, LOCK_NAME))).rejects.toThrow(/ENOENT/)
  })
})
