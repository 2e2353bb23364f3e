import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { safeStorageCipher } from '../../src/main/app/safe-storage.ts'
import { NO_ENCRYPTION } from '../../src/main/store/secrets.ts'
import { migrateSettings } from '../../src/main/store/settings-migrations.ts'
import { DEMO_FEED_URL, settingsJsonSchema } from '../../src/main/store/settings-schema.ts'
import { openSettings } from '../../src/main/store/settings-store.ts'
import { SETTINGS_VERSION } from '../../src/shared/settings.ts'
import { fake } from '../setup/electron.ts'
import { tempDir } from './support/fixtures.ts'

const cipher = () => safeStorageCipher('linux')

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
}

// The prototype's file (version 0): headers as a map, in clear; different field names.
const prototypeFile = {
  feeds: [
    {
      name: 'Build server',
      url: 'https://ci.example.com/events',
      headers: { Authorization: 'Bearer s3cr3t-token', 'X-Team': 'infra' },
      notifications: true,
      idleTimeout: 90_000,
    },
    { id: 'news', name: 'News', url: 'https://news.example.com/sse', notifications: false },
  ],
  quietHours: { from: '23:00', to: '06:30' },
  maxPerMinute: 12,
  autostart: true,
}

describe('settings', () => {
  let dir: string
  beforeEach(async () => {
    fake.reset()
    dir = await tempDir()
  })

  it('starts a first run with the demo feed and the defaults, written to disk', async () => {
    const { service, prepared } = await openSettings({ dir, cipher: cipher() })
    expect(prepared.firstRun).toBe(true)
    expect(service.current.feeds.map((f) => [f.id, f.preset, f.url])).toEqual([
      ['demo', 'demo', DEMO_FEED_URL],
    ])
    expect(service.current.rateLimitPerMinute).toBe(5)
    expect(service.current.historySize).toBe(10_000)
    const onDisk = await readJson(join(dir, 'settings.json'))
    expect(onDisk['version']).toBe(SETTINGS_VERSION)
    expect((onDisk['feeds'] as unknown[]).length).toBe(1)
  })

  it('migrates an older file, seals its clear-text credentials and keeps a backup', async () => {
    const file = join(dir, 'settings.json')
    await writeFile(file, JSON.stringify(prototypeFile))
    const logs: string[] = []
    const { service, prepared } = await openSettings({
      dir,
      cipher: cipher(),
      log: (m) => logs.push(m),
    })

    expect(prepared.migratedFrom).toBe(0)
    const [build, news] = service.current.feeds
    expect(build).toMatchObject({
      id: 'feed-1',
      name: 'Build server',
      notify: 'smart',
      idleTimeoutSec: 90,
    })
    expect(news).toMatchObject({ id: 'news', notify: 'none' })
    expect(service.current).toMatchObject({
      version: SETTINGS_VERSION,
      rateLimitPerMinute: 12,
      startAtLogin: true,
      quietHours: { enabled: true, start: '23:00', end: '06:30', failuresBreakThrough: true },
    })
    expect(build?.headers.find((h) => h.name === 'X-Team')).toEqual({
      name: 'X-Team',
      value: 'infra',
      secret: false,
    })
    const auth = build?.headers.find((h) => h.name === 'Authorization')
    expect(auth).toMatchObject({ secret: true, value: '' })
    expect(auth?.sealed).toMatch(/^[A-Za-z0-9+/]+=*$/)

    // The token is nowhere in the live file, and the original is kept beside it, minus the
    // secret (issue 12: a backup never holds a secret in clear; the live file has it sealed).
    const live = await readFile(file, 'utf8')
    expect(live).not.toContain('s3cr3t-token')
    const backup = prepared.backup ?? ''
    expect(backup).toMatch(/settings\.v0-.*\.json$/)
    expect(await readFile(backup, 'utf8')).not.toContain('s3cr3t-token')
    const [first, ...rest] = prototypeFile.feeds
    expect(JSON.parse(await readFile(backup, 'utf8'))).toEqual({
      ...prototypeFile,
      feeds: [{ ...first, headers: { Authorization: '', 'X-Team': 'infra' } }, ...rest],
    })
    expect(logs.join('\n')).toMatch(/migrated from version 0/)

    // The engine gets the credential back in clear.
    const configs = await service.feedConfigs({
      resolveUrl: (f) => f.url,
      lastEventId: () => undefined,
    })
    expect(configs[0]?.headers).toEqual({ Authorization: 'Bearer s3cr3t-token', 'X-Team': 'infra' })
    expect(configs[0]?.idleTimeoutMs).toBe(90_000)
  })

  it('runs migrations one version at a time and never backwards', () => {
    expect(migrateSettings({}).from).toBe(0)
    expect(migrateSettings({ version: SETTINGS_VERSION }).from).toBe(SETTINGS_VERSION)
    const newer = migrateSettings({ version: SETTINGS_VERSION + 1, feeds: [] })
    expect(newer).toMatchObject({ newer: true, from: SETTINGS_VERSION + 1 })
  })

  it('keeps every valid part of a damaged file and reports the rest', async () => {
    const file = join(dir, 'settings.json')
    await writeFile(
      file,
      JSON.stringify({
        version: SETTINGS_VERSION,
        rateLimitPerMinute: 'lots',
        historySize: 500,
        feeds: [
          { id: 'ok', name: 'Fine', url: 'https://ok.example.com/sse' },
          { id: 'bad', name: 'Broken', url: 'ftp://nope.example.com' },
          { id: 'ok', name: 'Twin', url: 'https://twin.example.com/sse' },
        ],
      }),
    )
    const logs: string[] = []
    const { service, prepared } = await openSettings({
      dir,
      cipher: cipher(),
      log: (m) => logs.push(m),
    })
    expect(service.current.feeds.map((f) => f.id)).toEqual(['ok'])
    expect(service.current.historySize).toBe(500)
    expect(service.current.rateLimitPerMinute).toBe(5)
    expect(prepared.problems.join('\n')).toMatch(/rateLimitPerMinute/)
    expect(prepared.problems.join('\n')).toMatch(/feeds\.1.*Only http and https/)
    expect(prepared.problems.join('\n')).toMatch(/feeds\.2: duplicate id/)
    expect(logs.some((m) => m.startsWith('Settings: '))).toBe(true)
    // The damaged original is kept, so nothing the user wrote is lost.
    const names = await readdir(dir)
    expect(names.some((n) => /^settings\.invalid-.*\.json$/.test(n))).toBe(true)
  })

  it('keeps an unreadable file aside and starts with defaults', async () => {
    const file = join(dir, 'settings.json')
    await writeFile(file, '{"feeds": [ {"name": "half')
    const { service, prepared } = await openSettings({ dir, cipher: cipher() })
    expect(service.current.feeds.map((f) => f.id)).toEqual(['demo'])
    expect(prepared.backup).toMatch(/settings\.unreadable-/)
    expect(await readFile(prepared.backup ?? '', 'utf8')).toBe('{"feeds": [ {"name": "half')
  })

  it('round-trips a secret header: sealed on save, hidden from the renderer, opened for the engine', async () => {
    const { service } = await openSettings({ dir, cipher: cipher() })
    const view = service.view()
    expect(view.encryptionAvailable).toBe(true)
    const feed = {
      id: 'ci',
      name: 'CI',
      url: 'https://ci.example.com/sse',
      headers: [{ name: 'Authorization', value: 'Bearer abc123', secret: true }],
    }
    const saved = await service.save({ ...view, feeds: [...view.feeds, feed] })
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors))
    const shown = saved.settings.feeds.find((f) => f.id === 'ci')?.headers[0]
    expect(shown).toEqual({ name: 'Authorization', value: '', secret: true, stored: true })
    expect(JSON.stringify(service.view())).not.toContain('abc123')
    expect(await readFile(join(dir, 'settings.json'), 'utf8')).not.toContain('abc123')
    expect(fake.safeStorage.encrypted).toHaveLength(1)

    // Saving the view back unchanged keeps the sealed value.
    const again = await service.save(service.view())
    expect(again.ok).toBe(true)
    const configs = await service.feedConfigs({
      resolveUrl: (f) => f.url,
      lastEventId: () => undefined,
    })
    expect(configs.find((c) => c.id === 'ci')?.headers).toEqual({ Authorization: 'Bearer abc123' })

    // And `stored: false` with no value clears it.
    const cleared = service.view()
    const ci = cleared.feeds.find((f) => f.id === 'ci')
    if (ci?.headers[0]) ci.headers[0].stored = false
    await service.save(cleared)
    const after = await service.feedConfigs({
      resolveUrl: (f) => f.url,
      lastEventId: () => undefined,
    })
    expect(after.find((c) => c.id === 'ci')?.headers).toEqual({})
  })

  it('treats Authorization as secret even when the form did not mark it', async () => {
    const { service } = await openSettings({ dir, cipher: cipher() })
    const view = service.view()
    const saved = await service.save({
      ...view,
      feeds: [
        {
          id: 'x',
          name: 'X',
          url: 'https://x.example.com/',
          headers: [{ name: 'authorization', value: 'Basic Zm9v' }],
        },
      ],
    })
    expect(saved.ok).toBe(true)
    expect(await readFile(join(dir, 'settings.json'), 'utf8')).not.toContain('Zm9v')
  })

  it('refuses to store a secret where the OS offers no encryption, and says why', async () => {
    fake.safeStorage.backend = 'basic_text'
    const { service } = await openSettings({ dir, cipher: cipher() })
    const view = service.view()
    expect(view.encryptionAvailable).toBe(false)
    const result = await service.save({
      ...view,
      feeds: [
        {
          id: 'ci',
          name: 'CI',
          url: 'https://ci.example.com/sse',
          headers: [{ name: 'X-Api-Key', value: 'k-123', secret: true }],
        },
      ],
    })
    expect(result).toEqual({ ok: false, errors: { 'feeds.0.headers.0.value': NO_ENCRYPTION } })
    expect(await readFile(join(dir, 'settings.json'), 'utf8')).not.toContain('k-123')
    expect(service.current.feeds.map((f) => f.id)).toEqual(['demo'])
  })

  it('notices when encryption becomes available later (a keyring unlocked after login)', async () => {
    fake.safeStorage.available = false
    const { service } = await openSettings({ dir, cipher: cipher() })
    expect(service.view().encryptionAvailable).toBe(false)
    fake.safeStorage.available = true
    expect(await service.refreshEncryption()).toBe(true)
    expect(service.view().encryptionAvailable).toBe(true)
  })

  it('does not keep an old clear-text secret when it cannot be sealed, not even in the backup', async () => {
    fake.safeStorage.available = false
    await writeFile(join(dir, 'settings.json'), JSON.stringify(prototypeFile))
    const { service, prepared } = await openSettings({ dir, cipher: cipher() })
    expect(await readFile(join(dir, 'settings.json'), 'utf8')).not.toContain('s3cr3t-token')
    expect(
      service.current.feeds[0]?.headers.find((h) => h.name === 'Authorization')?.sealed,
    ).toBeUndefined()
    expect(prepared.problems.join('\n')).toMatch(/Authorization was not kept.*Enter it again/)
    expect(await readFile(prepared.backup ?? '', 'utf8')).not.toContain('s3cr3t-token')
  })

  it('re-seals a secret when the OS key rotated', async () => {
    const { service } = await openSettings({ dir, cipher: cipher() })
    const view = service.view()
    await service.save({
      ...view,
      feeds: [
        {
          id: 'ci',
          name: 'CI',
          url: 'https://ci.example.com/',
          headers: [{ name: 'Authorization', value: 'Bearer r', secret: true }],
        },
      ],
    })
    fake.safeStorage.rotated = true
    const sealedBefore = service.current.feeds[0]?.headers[0]?.sealed
    const encryptedBefore = fake.safeStorage.encrypted.length
    await service.feedConfigs({ resolveUrl: (f) => f.url, lastEventId: () => undefined })
    expect(fake.safeStorage.encrypted.length).toBe(encryptedBefore + 1)
    expect(service.current.feeds[0]?.headers[0]?.sealed).toBeDefined()
    expect(sealedBefore).toBeDefined()
  })

  it('answers invalid settings with messages per field and changes nothing', async () => {
    const { service } = await openSettings({ dir, cipher: cipher() })
    const before = await readFile(join(dir, 'settings.json'), 'utf8')
    const result = await service.save({
      ...service.view(),
      rateLimitPerMinute: 0,
      feeds: [{ id: 'a', name: '', url: 'javascript:alert(1)' }],
      quietHours: { enabled: true, start: '25:00', end: '07:00' },
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(Object.keys(result.errors).sort()).toEqual([
      'feeds.0.name',
      'feeds.0.url',
      'quietHours.start',
      'rateLimitPerMinute',
    ])
    expect(result.errors['feeds.0.name']).toBe('Give the feed a name.')
    expect(await readFile(join(dir, 'settings.json'), 'utf8')).toBe(before)
  })

  it('survives a restart: what was saved is what the next run reads', async () => {
    const first = await openSettings({ dir, cipher: cipher() })
    await first.service.save({ ...first.service.view(), rateLimitPerMinute: 9, startAtLogin: true })
    const second = await openSettings({ dir, cipher: cipher() })
    expect(second.prepared.firstRun).toBe(false)
    expect(second.prepared.backup).toBeNull()
    expect(second.service.current.rateLimitPerMinute).toBe(9)
    expect(second.service.current.startAtLogin).toBe(true)
  })

  it('reads "Show in Dock" as off from a file written before it existed, and keeps it once on', async () => {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ version: 1, feeds: [] }))
    const first = await openSettings({ dir, cipher: cipher() })
    expect(first.service.current.showInDock).toBe(false)
    await first.service.save({ ...first.service.view(), showInDock: true })
    const second = await openSettings({ dir, cipher: cipher() })
    expect(second.service.current.showInDock).toBe(true)
  })

  it('gives electron-store a JSON Schema with the settings fields and their defaults', () => {
    const schema = settingsJsonSchema()
    const properties = schema['properties'] as Record<string, { default?: unknown }>
    expect(Object.keys(properties)).toEqual(
      expect.arrayContaining([
        'version',
        'feeds',
        'quietHours',
        'rateLimitPerMinute',
        'pause',
        'startAtLogin',
        'showInDock',
        'historySize',
      ]),
    )
    expect(properties['rateLimitPerMinute']?.default).toBe(5)
    expect(properties['showInDock']?.default).toBe(false)
  })
})
