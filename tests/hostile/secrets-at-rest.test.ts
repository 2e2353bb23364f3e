// Secrets at rest (issue 12, "Secrets stay with their origin"): no copy of the settings that
// Tidings writes holds a secret in clear, whatever the file it came from, and on Linux and macOS
// every file in the data folder is 0600 and the folder 0700.
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { electronStore } from '../../src/main/app/electron-store.ts'
import { safeStorageCipher } from '../../src/main/app/safe-storage.ts'
import { redactBackup } from '../../src/main/store/backup-redact.ts'
import { openSettings } from '../../src/main/store/settings-store.ts'
import { SETTINGS_VERSION } from '../../src/shared/settings.ts'
import { loggedEvent, tempDir } from '../app/support/fixtures.ts'
import { fake } from '../setup/electron.ts'
import { feedFor, startLiveServer, startStoreApp } from '../support/store-pipeline.ts'
import { plainCipher } from './support.ts'

const TOKEN = 's3cr3t-token'

const files: Array<{ label: string; text: string; backup: RegExp }> = [
  {
    label: 'a prototype (v0) file',
    text: JSON.stringify({
      feeds: [
        {
          name: 'CI',
          url: 'https://ci.example.com/events',
          headers: {
            Authorization: `Bearer ${TOKEN}`,
            'X-Api-Key': TOKEN,
            'X-Auth-Token': TOKEN,
            'X-Team': 'infra',
          },
        },
      ],
    }),
    backup: /settings\.v0-/,
  },
  {
    label: 'a current, partly invalid file with a secret in clear (hand-edited)',
    text: JSON.stringify({
      version: SETTINGS_VERSION,
      feeds: [
        {
          id: 'ci',
          name: 'CI',
          url: 'https://ci.example.com/events',
          headers: [
            { name: 'X-Custom', value: TOKEN, secret: true },
            { name: 'X-Team', value: 'infra', secret: false },
          ],
        },
        { id: 'bad', name: 'Bad', url: 'javascript:alert(1)' },
      ],
    }),
    backup: /settings\.invalid-/,
  },
  {
    label: 'a torn file (not JSON) cut inside the secret',
    text:
      `{"version":${SETTINGS_VERSION},"feeds":[{"id":"ci","name":"CI","url":"https://x.example/",` +
      `"headers":[{"name":"Cookie","value":"session=${TOKEN}`,
    backup: /settings\.unreadable-/,
  },
  {
    label: 'a damaged v0 file (not JSON)',
    text: `{"feeds":[{"name":"CI","headers":{"Authorization":"Bearer ${TOKEN}","X-Team":"infra"}},]`,
    backup: /settings\.unreadable-/,
  },
]

describe('settings backups', () => {
  let dir: string
  beforeEach(async () => {
    fake.reset()
    dir = await tempDir('tidings-rest-')
  })

  it.each(files)('$label: the backup keeps everything but the secret', async (row) => {
    await writeFile(join(dir, 'settings.json'), row.text)
    const logs: string[] = []
    const { prepared } = await openSettings({
      dir,
      cipher: safeStorageCipher('linux'),
      log: (m) => logs.push(m),
    })
    expect(prepared.backup).toMatch(row.backup)
    const backup = await readFile(prepared.backup!, 'utf8')
    expect(backup).not.toContain(TOKEN)
    if (row.text.includes('infra')) expect(backup).toContain('infra')
    expect(logs.join('\n')).toMatch(/leaves out \d+ secret value/)
    for (const name of await readdir(dir))
      expect(await readFile(join(dir, name), 'utf8'), name).not.toContain(TOKEN)
  })

  it('an earlier version left a backup with secrets in clear: they are taken out at start', async () => {
    const old = join(dir, 'settings.v0-2024-05-01T10-00-00-000Z.json')
    await writeFile(old, files[0]!.text, { mode: 0o644 })
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ version: SETTINGS_VERSION }))
    const logs: string[] = []
    await openSettings({ dir, cipher: safeStorageCipher('linux'), log: (m) => logs.push(m) })
    expect(await readFile(old, 'utf8')).not.toContain(TOKEN)
    expect(JSON.parse(await readFile(old, 'utf8')).feeds[0].headers['X-Team']).toBe('infra')
    expect(logs.join('\n')).toMatch(/Took 3 secret value\(s\) out of the old backup/)
  })

  it('a file without secrets is backed up byte for byte', () => {
    const bytes = Buffer.from('{"feeds": [ {"name": "CI", "url": "x"} ] trailing')
    expect(redactBackup(bytes)).toEqual({ bytes, removed: 0 })
  })
})

describe.skipIf(process.platform === 'win32')('data folder modes', () => {
  it('every file Tidings writes is 0600 and the folder 0700, with settings by electron-store too', async () => {
    const parent = await tempDir('tidings-modes-')
    const dataDir = join(parent, 'Tidings')
    // Left readable by others by an earlier version: made private on start.
    await mkdir(dataDir, { mode: 0o755 })
    await chmod(dataDir, 0o755)
    await writeFile(join(dataDir, 'history.jsonl'), `${JSON.stringify(loggedEvent(1))}\n`, {
      mode: 0o644,
    })
    await writeFile(join(dataDir, 'settings.v0-2024-01-01T00-00-00-000Z.json'), '{}', {
      mode: 0o644,
    })
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ feeds: [] }), { mode: 0o644 })
    const server = await startLiveServer()
    const app = await startStoreApp({ dataDir, cipher: plainCipher })
    const { tidings } = app
    await tidings.start()
    const saved = await tidings.core.saveSettings({
      ...tidings.settings.view(),
      feeds: [feedFor(server.url)],
    })
    expect(saved.ok).toBe(true)
    await server.streams(1)
    server.send('id: 1\ndata: one\n\n')
    await app.events(2)
    await tidings.dispose()
    await server.close()

    expect((await stat(dataDir)).mode & 0o777).toBe(0o700)
    const names = await readdir(dataDir)
    expect(names).toEqual(expect.arrayContaining(['settings.json', 'history.jsonl', 'state.json']))
    for (const name of names)
      expect((await stat(join(dataDir, name))).mode & 0o777, name).toBe(0o600)

    // electron-store in the shell: the same mode for the settings file it writes.
    const shellDir = join(parent, 'shell')
    await mkdir(shellDir, { mode: 0o700 })
    const store = electronStore({ cwd: shellDir, name: 'settings', schema: {} })
    store.store = { ...tidings.settings.current }
    expect((await stat(join(shellDir, 'settings.json'))).mode & 0o777).toBe(0o600)
  })
})
