// Settings validation never accepts an invalid feed: random feeds, mixing valid values with
// hostile ones, are checked against an independent statement of the rules. Salvaging a damaged
// file keeps exactly the valid feeds (nothing valid is lost, nothing invalid gets in).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { salvageSettings } from '../../src/main/store/settings-migrations.ts'
import { feedSettingSchema, settingsSchema } from '../../src/shared/settings.ts'

// --- the rules, restated independently of src/shared/validate.ts ---------------------------

const TOKEN_CHARS = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/
// Set by the engine, or about the connection (hop-by-hop, set by the HTTP client, forbidden by
// the fetch standard for that reason): never a feed's header.
const ENGINE_HEADERS = [
  'accept',
  'last-event-id',
  'cache-control',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'trailers',
  'upgrade',
  'expect',
  'cookie2',
  'set-cookie',
  'set-cookie2',
  'access-control-request-headers',
  'access-control-request-method',
]
const CONNECTION_PREFIXES = ['proxy-', 'sec-']

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isInt = (v: unknown, min: number, max: number) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max

function urlOk(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const text = value.trim()
  // eslint-disable-next-line no-control-regex -- the rule is about control characters
  if (text === '' || text.length > 8192 || /[\s\x00-\x1f\x7f]/.test(text)) return false
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return false
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' &&
    url.username === '' &&
    url.password === ''
  )
}

function headerOk(value: unknown, stored: boolean): boolean {
  if (!isObj(value) || typeof value['name'] !== 'string' || typeof value['value'] !== 'string')
    return false
  const name = value['name'].trim()
  const text = value['value']
  if (!TOKEN_CHARS.test(name) || managedName(name)) return false
  if (/[\r\n\0]/.test(text) || text.length > 16_384) return false
  if (value['secret'] !== undefined && typeof value['secret'] !== 'boolean') return false
  // On disk a secret is only ever sealed, never in clear.
  if (stored && value['secret'] === true && text !== '') return false
  return true
}

function managedName(name: string): boolean {
  const lower = name.trim().toLowerCase()
  return ENGINE_HEADERS.includes(lower) || CONNECTION_PREFIXES.some((p) => lower.startsWith(p))
}

function withoutManagedHeaders<T>(feed: T): T {
  if (!isObj(feed) || !Array.isArray(feed['headers'])) return feed
  const headers = (feed['headers'] as unknown[]).filter(
    (h) => !(isObj(h) && typeof h['name'] === 'string' && managedName(h['name'])),
  )
  return { ...feed, headers } as T
}

function optional(value: unknown, check: (v: unknown) => boolean): boolean {
  return value === undefined || check(value)
}

/** Whether a feed as given obeys every rule the settings promise. */
function feedOk(feed: unknown, stored = false): boolean {
  if (!isObj(feed)) return false
  const { id, name, url, headers, notify, color } = feed
  return (
    typeof id === 'string' &&
    id.length >= 1 &&
    id.length <= 100 &&
    typeof name === 'string' &&
    name.trim().length >= 1 &&
    name.trim().length <= 100 &&
    urlOk(url) &&
    optional(
      headers,
      (h) => Array.isArray(h) && h.length <= 50 && h.every((x) => headerOk(x, stored)),
    ) &&
    optional(feed['enabled'], (v) => typeof v === 'boolean') &&
    optional(
      notify,
      (n) =>
        n === 'smart' ||
        n === 'all' ||
        n === 'none' ||
        (isObj(n) &&
          Array.isArray(n['types']) &&
          n['types'].length <= 100 &&
          n['types'].every((t) => typeof t === 'string' && t.length >= 1 && t.length <= 200)),
    ) &&
    optional(feed['idleTimeoutSec'], (v) => isInt(v, 0, 86_400)) &&
    optional(feed['maxEventSizeKiB'], (v) => isInt(v, 1, 65_536)) &&
    optional(feed['minPriority'], (v) => isInt(v, 1, 5)) &&
    optional(color, (c) => typeof c === 'string' && /^#[0-9a-fA-F]{6}$/.test(c))
  )
}

// --- generators: mostly-valid feeds with hostile values mixed in ----------------------------

const hostileUrls = [
  'javascript:alert(1)',
  'file:///etc/passwd',
  'data:text/html,<script>alert(1)</script>',
  'http://',
  'https:///path',
  'http://exa mple.com/',
  'http://user:pass@example.com/',
  'https://token@example.com/sse',
  `https://example.com/${'a'.repeat(10_000)}`,
  'https://example.com/\r\nX-Injected: 1',
  'https://example.com/\0',
  ' https://example.com/ok ',
  'ftp://example.com/',
  'ws://example.com/',
  '//example.com/events',
  '/events',
  '',
]
const url = fc.oneof(
  fc.constantFrom('https://ci.example.com/events', 'http://127.0.0.1:8080/sse', ...hostileUrls),
  fc.webUrl({
    validSchemes: ['http', 'https', 'ftp', 'file'],
    authoritySettings: { withUserInfo: true },
  }),
  fc.string({ maxLength: 40 }),
)
const headerName = fc.oneof(
  fc.constantFrom(
    'Authorization',
    'X-Team',
    'Accept',
    'Last-Event-ID',
    'Host',
    ' X-Pad ',
    'Keep-Alive',
    'TE',
    'Proxy-Authorization',
    'Sec-Fetch-Mode',
    'Cookie',
  ),
  fc.constantFrom('X-Bad\r\nInjected', 'X-Nul\0', 'X Space', '', 'Ä', 'X:Colon'),
  fc.string({ maxLength: 12 }),
)
const headerValue = fc.oneof(
  fc.constantFrom('Bearer t0k', '', 'a\r\nX-Evil: 1', 'a\nb', 'nul\0', 'x'.repeat(16_385)),
  fc.string({ maxLength: 20 }),
)
const header = fc.record(
  { name: headerName, value: headerValue, secret: fc.oneof(fc.boolean(), fc.constant('yes')) },
  { requiredKeys: ['name', 'value'] },
)
const name = fc.oneof(
  fc.constantFrom('Build', '  Padded  ', '   ', '', 'x'.repeat(101), '<b>bold</b>'),
  fc.string({ maxLength: 110 }),
)
const feed = fc.record(
  {
    id: fc.oneof(
      fc.constantFrom('a', 'b', 'feed-1', '', 'x'.repeat(101)),
      fc.string({ maxLength: 5 }),
      fc.integer(),
    ),
    name,
    url,
    headers: fc.oneof(fc.array(header, { maxLength: 3 }), fc.constant('Authorization: x')),
    enabled: fc.oneof(fc.boolean(), fc.constant('no')),
    notify: fc.oneof(
      fc.constantFrom('smart', 'all', 'none', 'loud'),
      fc.record({ types: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }) }),
    ),
    idleTimeoutSec: fc.oneof(fc.integer({ min: -10, max: 90_000 }), fc.double()),
    maxEventSizeKiB: fc.oneof(fc.constantFrom(0, 1, 1024, 65_536, 65_537), fc.integer()),
    minPriority: fc.integer({ min: -1, max: 7 }),
    color: fc.constantFrom('#a0b1c2', '#A0B1C2', 'red', '#12345', '#1234567'),
  },
  { requiredKeys: [] },
)

/** Feeds that keep every rule, so mixtures hold valid feeds often enough to matter. */
const validFeed = fc.record(
  {
    id: fc.constantFrom('a', 'b', 'c', 'feed-1'),
    name: fc.constantFrom('Build', '  Padded  ', '<b>bold</b>', 'x'.repeat(100)),
    url: fc.oneof(
      fc.constantFrom('https://ci.example.com/events', 'http://127.0.0.1:8080/sse'),
      fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true }),
    ),
    headers: fc.array(
      fc.record({
        name: fc.constantFrom('X-Team', 'x-api-key', ' X-Pad '),
        value: fc.constantFrom('ops', '', 'Bearer t0k'),
        secret: fc.constant(false),
      }),
      { maxLength: 2 },
    ),
    enabled: fc.boolean(),
    notify: fc.constantFrom('smart', 'all', 'none'),
    idleTimeoutSec: fc.integer({ min: 0, max: 86_400 }),
    maxEventSizeKiB: fc.integer({ min: 1, max: 65_536 }),
    minPriority: fc.integer({ min: 1, max: 5 }),
    color: fc.constantFrom('#a0b1c2', '#A0B1C2'),
  },
  { requiredKeys: ['id', 'name', 'url'] },
)
const anyFeed = fc.oneof(validFeed, feed)

describe('settings validation (property)', () => {
  it('never accepts a feed that breaks a rule', () => {
    fc.assert(
      fc.property(anyFeed, (input) => {
        const result = feedSettingSchema.safeParse(input)
        if (result.success) expect(feedOk(input), JSON.stringify(input)).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })

  it('accepts every feed that keeps the rules (no false alarms on valid input)', () => {
    fc.assert(
      fc.property(validFeed, (input) => {
        expect(feedOk(input)).toBe(true)
        const result = feedSettingSchema.safeParse(input)
        expect(result.success, JSON.stringify(result.error?.issues)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('never accepts settings with an invalid feed or two feeds with the same id', () => {
    fc.assert(
      fc.property(fc.array(anyFeed, { maxLength: 4 }), (feeds) => {
        const result = settingsSchema.safeParse({ feeds })
        if (!result.success) return
        for (const f of feeds) expect(feedOk(f)).toBe(true)
        const ids = feeds.map((f) => f.id)
        expect(new Set(ids).size).toBe(ids.length)
      }),
      { numRuns: 1500 },
    )
  })

  it('salvaging a damaged file keeps exactly the valid feeds, first of each id, in order', () => {
    fc.assert(
      fc.property(fc.array(anyFeed, { maxLength: 6 }), (feeds) => {
        const { value, problems } = salvageSettings({ version: 1, feeds })
        const seen = new Set<unknown>()
        // A header the engine or the HTTP client sets is dropped; its feed is kept if the rest is valid.
        const keep = feeds.map(withoutManagedHeaders).filter((f) => {
          if (!feedOk(f, true) || seen.has(f.id)) return false
          seen.add(f.id)
          return true
        })
        expect(value.feeds.map((f) => f.id)).toEqual(keep.map((f) => f.id))
        for (const kept of value.feeds) expect(feedOk(kept, true)).toBe(true)
        // Every feed left out is reported.
        if (keep.length < feeds.length) expect(problems.length).toBeGreaterThan(0)
      }),
      { numRuns: 1500 },
    )
  })
})
