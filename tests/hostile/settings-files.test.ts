// Hostile settings files, one row each: truncated, not JSON, binary, empty, the wrong JSON type,
// from a future version, or with hostile values inside. The app always starts with valid
// settings, says what happened in words, and keeps the original bytes in a backup beside it.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { safeStorageCipher } from '../../src/main/app/safe-storage.ts'
import { storedSettingsSchema } from '../../src/main/store/settings-schema.ts'
import { openSettings } from '../../src/main/store/settings-store.ts'
import { SETTINGS_VERSION } from '../../src/shared/settings.ts'
import { fake } from '../setup/electron.ts'
import { tempDir } from '../app/support/fixtures.ts'

const good = JSON.stringify(
  {
    version: SETTINGS_VERSION,
    rateLimitPerMinute: 9,
    feeds: [
      { id: 'ci', name: 'CI', url: 'https://ci.example.com/events' },
      { id: 'news', name: 'News', url: 'https://news.example.com/sse' },
    ],
  },
  null,
  '\t',
)

interface Row {
  label: string
  bytes: Uint8Array | string
  /** What the log must say. */
  says: RegExp
  /** The feed ids the app starts with. */
  feeds: string[]
}

const rows: Row[] = [
  {
    label: 'truncated mid-file',
    bytes: good.slice(0, Math.floor(good.length / 2)),
    says: /not readable JSON; it was kept as .*settings\.unreadable-/,
    feeds: ['demo'],
  },
  {
    label: 'not JSON (an HTML error page)',
    bytes: '<html><body>502 Bad Gateway</body></html>',
    says: /not readable JSON/,
    feeds: ['demo'],
  },
  {
    label: 'binary garbage with invalid UTF-8',
    bytes: Uint8Array.from([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28, 0x00, 0x01]),
    says: /not readable JSON/,
    feeds: ['demo'],
  },
  { label: 'an empty file', bytes: '', says: /not readable JSON/, feeds: ['demo'] },
  { label: 'a JSON array', bytes: '[1,2,3]', says: /not readable JSON/, feeds: ['demo'] },
  { label: 'JSON null', bytes: 'null', says: /not readable JSON/, feeds: ['demo'] },
  {
    label: 'from a future version',
    bytes: JSON.stringify({
      version: 99,
      feeds: [
        { id: 'ci', name: 'CI', url: 'https://ci.example.com/events', hologram: true },
        { id: 'later', name: 'Later', url: 'gopher://future.example.com/' },
      ],
      teleport: { enabled: true },
      rateLimitPerMinute: 7,
    }),
    says: /written by a newer Tidings \(version 99\)/,
    feeds: ['ci'],
  },
  {
    label: 'hostile values inside a valid file',
    bytes: JSON.stringify({
      version: SETTINGS_VERSION,
      feeds: [
        { id: 'ok', name: '<script>alert(1)</script>', url: 'https://ok.example.com/sse' },
        { id: 'js', name: 'JS', url: 'javascript:alert(1)' },
        {
          id: 'crlf',
          name: 'CRLF',
          url: 'https://ok.example.com/2',
          headers: [{ name: 'X-Team', value: 'a\r\nX-Admin: 1', secret: false }],
        },
        { id: 'long', name: 'Long', url: `https://ok.example.com/${'a'.repeat(10_000)}` },
        { id: '__proto__', name: 'Proto', url: 'https://ok.example.com/3', color: 'red' },
      ],
      historySize: -1,
    }),
    says: /feeds\.1.*Only http and https/,
    feeds: ['ok'],
  },
  {
    label: 'a header a client may not send, saved before it was refused',
    bytes: JSON.stringify({
      version: SETTINGS_VERSION,
      feeds: [
        {
          id: 'ci',
          name: 'CI',
          url: 'https://ci.example.com/events',
          headers: [
            { name: 'Keep-Alive', value: 'timeout=5', secret: false },
            { name: 'X-Team', value: 'ops', secret: false },
          ],
        },
      ],
    }),
    says: /feeds\.0: header removed: Header "Keep-Alive" is about the connection/,
    feeds: ['ci'],
  },
]

describe('hostile settings files', () => {
  let dir: string
  beforeEach(async () => {
    fake.reset()
    dir = await tempDir('tidings-hostile-')
  })

  it.each(rows.map((row) => [row.label, row] as const))(
    '%s: starts with valid settings, says why, keeps the original bytes',
    async (_label, row) => {
      const file = join(dir, 'settings.json')
      await writeFile(file, row.bytes)
      const original = await readFile(file)
      const logs: string[] = []
      const { service, prepared } = await openSettings({
        dir,
        cipher: safeStorageCipher('linux'),
        log: (m) => logs.push(m),
      })
      expect(storedSettingsSchema.safeParse(service.current).success).toBe(true)
      expect(service.current.feeds.map((f) => f.id)).toEqual(row.feeds)
      expect(logs.join('\n')).toMatch(row.says)
      // Nothing the user had is lost: the original file is kept byte for byte.
      expect(prepared.backup).not.toBeNull()
      expect(await readFile(prepared.backup!)).toEqual(original)
      expect((await readdir(dir)).filter((f) => f.startsWith('settings.'))).toHaveLength(2)
      // The live file is valid now, so the next start reads it without complaint.
      const live = JSON.parse(await readFile(file, 'utf8')) as unknown
      expect(storedSettingsSchema.safeParse(live).success).toBe(true)
      const again = await openSettings({ dir, cipher: safeStorageCipher('linux') })
      expect(again.service.current).toEqual(service.current)
      expect(again.prepared.problems).toEqual([])
      expect(again.prepared.backup).toBeNull()
      expect(Object.getPrototypeOf({})).toBe(Object.prototype)
      expect(({} as Record<string, unknown>)['name']).toBeUndefined()
    },
  )

  it('a header a client may not send goes; its feed and other headers stay', async () => {
    await writeFile(join(dir, 'settings.json'), rows.at(-1)!.bytes)
    const { service } = await openSettings({ dir, cipher: safeStorageCipher('linux') })
    expect(service.current.feeds[0]?.headers).toEqual([
      { name: 'X-Team', value: 'ops', secret: false },
    ])
  })

  it('a future version keeps what this version understands', async () => {
    await writeFile(join(dir, 'settings.json'), rows[6]!.bytes)
    const { service } = await openSettings({ dir, cipher: safeStorageCipher('linux') })
    expect(service.current.rateLimitPerMinute).toBe(7)
    expect(service.current.version).toBe(SETTINGS_VERSION)
    expect(service.current.feeds[0]).toMatchObject({
      id: 'ci',
      url: 'https://ci.example.com/events',
    })
  })

  // Regression: the salvaged file kept "version": 99, so every later start counted as a
  // migration from a newer version again and copied another backup.
  it('a future-version file is backed up once, not again on every start', async () => {
    await writeFile(join(dir, 'settings.json'), rows[6]!.bytes)
    for (let start = 0; start < 3; start++)
      await openSettings({ dir, cipher: safeStorageCipher('linux') })
    const backups = (await readdir(dir)).filter((f) => f.startsWith('settings.v99-'))
    expect(backups).toHaveLength(1)
  })
})
