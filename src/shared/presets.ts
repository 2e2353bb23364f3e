// The feed presets of "Add feed": how each popular SSE service is addressed, authenticated,
// resumed after a drop, which of its events only say "still alive", how its JSON maps to a
// notification and which notification mode suits it. Plain data and pure functions, shared by
// main (engine config, notification decisions), the CLI (--preset) and the settings form.
import type { FeedConfig, NotifyMode } from './feed.ts'
import type { FeedSettingInput, FieldMapping, HeaderSetting } from './settings.ts'
import { validateFeedUrl, type Validation } from './validate.ts'

export type PresetId =
  'generic' | 'ntfy' | 'mercure' | 'smee' | 'wikimedia' | 'mastodon' | 'firebase'

/**
 * How a feed picks up where it left off after a drop:
 * - last-event-id: the standard header, from the events' `id:` lines;
 * - query: the server's events carry no `id:` line; the JSON `field` of the last event of one of
 *   `eventTypes` is sent back as `?param=` (ntfy's `since=`);
 * - snapshot: every connection starts with the whole current state (Firebase's first `put`);
 * - none: the server keeps nothing; what was sent during the drop is gone (smee, Mastodon).
 */
export type ResumeRule =
  | { kind: 'last-event-id' }
  | { kind: 'query'; param: string; field: string; eventTypes: readonly string[] }
  | { kind: 'snapshot' }
  | { kind: 'none' }

export type AuthKind = 'none' | 'basic' | 'bearer'

/** One part of the URL form ("Server", "Topics"), turned into the URL by buildPresetUrl. */
export interface UrlPart {
  key: string
  label: string
  placeholder: string
  /** Default value (e.g. the public server). */
  value?: string
  help?: string
}

export interface FeedPreset {
  id: PresetId
  label: string
  /** One line for the picker. */
  summary: string
  /** What the URL looks like, for the URL field's placeholder. */
  urlTemplate: string
  urlParts: readonly UrlPart[]
  /** Auth kinds the service accepts, the first being the usual one. */
  auth: readonly AuthKind[]
  authHelp: string
  resume: ResumeRule
  /** Said beside the resume rule, so users know what a drop costs. */
  resumeHelp: string
  /** Dotted JSON paths for title, body, link, task id, status and progress. */
  mapping: FieldMapping
  /** SSE event types that only say the connection is alive: liveness, not log entries. */
  healthTypes: readonly string[]
  notify: NotifyMode
}

export const PRESETS: readonly FeedPreset[] = [
  {
    id: 'generic',
    label: 'Generic SSE',
    summary: 'Any text/event-stream URL.',
    urlTemplate: 'https://example.com/events',
    urlParts: [{ key: 'url', label: 'URL', placeholder: 'https://example.com/events' }],
    auth: ['none', 'bearer', 'basic'],
    authHelp: 'Headers can carry any credential the server wants.',
    resume: { kind: 'last-event-id' },
    resumeHelp: 'Resumes with Last-Event-ID when the server sends event ids.',
    mapping: {},
    healthTypes: [],
    notify: 'smart',
  },
  {
    id: 'ntfy',
    label: 'ntfy',
    summary: 'Topics on ntfy.sh or your own ntfy server.',
    urlTemplate: 'https://ntfy.sh/<topic[,topic2]>/sse',
    urlParts: [
      { key: 'server', label: 'Server', placeholder: 'https://ntfy.sh', value: 'https://ntfy.sh' },
      {
        key: 'topics',
        label: 'Topics',
        placeholder: 'alerts, backups',
        help: 'Several topics share one connection.',
      },
    ],
    auth: ['none', 'bearer', 'basic'],
    authHelp: 'Access tokens (tk_…) as Bearer, or user and password as Basic.',
    resume: { kind: 'query', param: 'since', field: 'id', eventTypes: ['message'] },
    resumeHelp: 'Resumes with ?since=<last message id>; ntfy keeps messages for 12 hours.',
    mapping: { title: 'title', body: 'message', url: 'click' },
    healthTypes: ['open', 'keepalive'],
    notify: 'smart',
  },
  {
    id: 'mercure',
    label: 'Mercure',
    summary: 'A Mercure hub: updates for one or more topics.',
    urlTemplate: 'https://example.com/.well-known/mercure?topic=<topic>',
    urlParts: [
      { key: 'hub', label: 'Hub', placeholder: 'https://example.com/.well-known/mercure' },
      {
        key: 'topics',
        label: 'Topics',
        placeholder: 'https://example.com/books/{id}',
        help: 'Topic IRIs or URI templates, comma-separated.',
      },
    ],
    auth: ['bearer', 'none'],
    authHelp: 'A subscriber JWT as Bearer (needed for private updates).',
    resume: { kind: 'last-event-id' },
    resumeHelp: 'Resumes with Last-Event-ID from the hub’s update ids.',
    mapping: {},
    healthTypes: [],
    notify: 'all',
  },
  {
    id: 'smee',
    label: 'smee.io / webhook relay',
    summary: 'Webhooks (GitHub and others) relayed as events.',
    urlTemplate: 'https://smee.io/<channel>',
    urlParts: [{ key: 'url', label: 'Channel URL', placeholder: 'https://smee.io/AbCdEf123' }],
    auth: ['none'],
    authHelp: 'The channel URL is the secret: share it with nobody else.',
    resume: { kind: 'none' },
    resumeHelp: 'A relay keeps nothing: webhooks sent during a drop are not replayed.',
    mapping: {},
    healthTypes: ['ready', 'ping'],
    notify: 'smart',
  },
  {
    id: 'wikimedia',
    label: 'Wikimedia EventStreams',
    summary: 'Recent changes and other streams of Wikipedia and its sister projects.',
    urlTemplate: 'https://stream.wikimedia.org/v2/stream/recentchange',
    urlParts: [
      {
        key: 'streams',
        label: 'Streams',
        placeholder: 'recentchange',
        value: 'recentchange',
        help: 'Comma-separated, e.g. recentchange, page-create.',
      },
    ],
    auth: ['none'],
    authHelp: 'Public: no credentials.',
    resume: { kind: 'last-event-id' },
    resumeHelp: 'Resumes with Last-Event-ID (the stream’s offsets); history goes back 7 days.',
    mapping: { title: 'title', body: 'comment', url: 'meta.uri' },
    healthTypes: [],
    // Dozens of changes a second: logged; choose a mode to be told.
    notify: 'none',
  },
  {
    id: 'mastodon',
    label: 'Mastodon streaming',
    summary: 'Your home timeline and notifications, or public and hashtag timelines.',
    urlTemplate: 'https://mastodon.social/api/v1/streaming/user',
    urlParts: [
      { key: 'instance', label: 'Instance', placeholder: 'https://mastodon.social' },
      {
        key: 'stream',
        label: 'Stream',
        placeholder: 'user',
        value: 'user',
        help: 'user, user/notification, public, public/local, hashtag?tag=…',
      },
    ],
    auth: ['bearer'],
    authHelp: 'An access token (Preferences › Development) as Bearer.',
    resume: { kind: 'none' },
    resumeHelp: 'Streaming keeps nothing: posts from during a drop are not replayed.',
    mapping: { title: 'account.display_name', url: 'url' },
    healthTypes: [],
    notify: 'smart',
  },
  {
    id: 'firebase',
    label: 'Firebase Realtime Database',
    summary: 'Changes under one path of a Realtime Database (REST streaming).',
    urlTemplate: 'https://<db>.firebaseio.com/<path>.json',
    urlParts: [
      { key: 'database', label: 'Database URL', placeholder: 'https://my-app.firebaseio.com' },
      { key: 'path', label: 'Path', placeholder: 'messages' },
    ],
    auth: ['none', 'bearer'],
    authHelp: 'An OAuth2 access token as Bearer; an ID token can go in the URL as ?auth=….',
    resume: { kind: 'snapshot' },
    resumeHelp: 'Each connection starts with the whole current data, so nothing is lost.',
    mapping: {},
    healthTypes: ['keep-alive'],
    notify: 'smart',
  },
]

const BY_ID = new Map<string, FeedPreset>(PRESETS.map((preset) => [preset.id, preset]))
const GENERIC = BY_ID.get('generic') as FeedPreset

/** The preset with this id, or Generic for none or an unknown one (e.g. 'demo'). */
export function presetById(id: string | undefined): FeedPreset {
  return (id !== undefined && BY_ID.get(id)) || GENERIC
}

export function isPresetId(id: string | undefined): id is PresetId {
  return id !== undefined && BY_ID.has(id)
}

/** Whether an event of this type only says the feed's connection is alive. */
export function isHealthEvent(presetId: string | undefined, type: string): boolean {
  return presetById(presetId).healthTypes.includes(type)
}

/** What the engine needs for the preset's resume rule. */
export function presetEngineOptions(
  presetId: string | undefined,
): Pick<FeedConfig, 'resumeQuery' | 'ignoreEventIds'> {
  const resume = presetById(presetId).resume
  if (resume.kind === 'query')
    return {
      resumeQuery: { param: resume.param, field: resume.field, eventTypes: resume.eventTypes },
    }
  // smee.io numbers its events per connection: ids that are not positions.
  if (resume.kind === 'none') return { ignoreEventIds: true }
  return {}
}

/** Guesses the preset from a pasted URL; 'generic' when nothing matches. */
export function detectPreset(input: string): PresetId {
  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    return 'generic'
  }
  const host = url.hostname.toLowerCase()
  const path = url.pathname
  if (path.endsWith('/.well-known/mercure')) return 'mercure'
  if (host === 'smee.io') return 'smee'
  if (host === 'stream.wikimedia.org' || /^\/v2\/stream\/[^/]+$/.test(path)) return 'wikimedia'
  if (path.startsWith('/api/v1/streaming')) return 'mastodon'
  if (/\.(firebaseio\.com|firebasedatabase\.app)$/.test(host) && path.endsWith('.json'))
    return 'firebase'
  if (host === 'ntfy.sh' || /^\/[-_A-Za-z0-9]{1,64}(,[-_A-Za-z0-9]{1,64})*\/sse$/.test(path))
    return 'ntfy'
  return 'generic'
}

/** The feed URL from the preset's URL form. */
/** A preset's URL, or what is wrong and in which of its parts (the key of a UrlPart). */
export type PresetUrl = { ok: true; value: string } | { ok: false; error: string; field: string }

export function buildPresetUrl(
  presetId: PresetId,
  values: Readonly<Record<string, string>>,
): PresetUrl {
  const result = presetUrl(presetId, values)
  if (result.ok) return result
  const parts = presetById(presetId).urlParts
  const field =
    ('field' in result ? result.field : undefined) ??
    parts.find((part) => result.error.startsWith(`${part.label}: `))?.key ??
    parts.at(-1)?.key ??
    'url'
  return { ok: false, error: result.error, field }
}

function presetUrl(
  presetId: PresetId,
  values: Readonly<Record<string, string>>,
): Validation<string> | { ok: false; error: string; field: string } {
  const get = (key: string) => (values[key] ?? '').trim()
  const list = (key: string) =>
    get(key)
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
  const base = (key: string, label: string): Validation<URL> => {
    const checked = validateFeedUrl(get(key))
    if (!checked.ok) return { ok: false, error: `${label}: ${checked.error}` }
    return { ok: true, value: new URL(checked.value) }
  }
  switch (presetId) {
    case 'generic':
    case 'smee':
      return validateFeedUrl(get('url'))
    case 'ntfy': {
      const server = base('server', 'Server')
      if (!server.ok) return server
      const topics = list('topics')
      if (topics.length === 0)
        return { ok: false, error: 'Enter at least one topic.', field: 'topics' }
      const bad = topics.find((topic) => !/^[-_A-Za-z0-9]{1,64}$/.test(topic))
      if (bad !== undefined)
        return {
          ok: false,
          error: `"${bad}" is not an ntfy topic (letters, digits, - and _, at most 64).`,
          field: 'topics',
        }
      append(server.value, `/${topics.join(',')}/sse`)
      return validateFeedUrl(server.value.href)
    }
    case 'mercure': {
      const hub = base('hub', 'Hub')
      if (!hub.ok) return hub
      if (!hub.value.pathname.endsWith('/.well-known/mercure'))
        append(hub.value, '/.well-known/mercure')
      const topics = list('topics')
      if (topics.length === 0)
        return { ok: false, error: 'Enter at least one topic.', field: 'topics' }
      hub.value.searchParams.delete('topic')
      for (const topic of topics) hub.value.searchParams.append('topic', topic)
      return validateFeedUrl(hub.value.href)
    }
    case 'wikimedia': {
      const streams = list('streams')
      if (streams.length === 0) return { ok: false, error: 'Enter at least one stream.' }
      const bad = streams.find((stream) => !/^[-._A-Za-z0-9]{1,100}$/.test(stream))
      if (bad !== undefined) return { ok: false, error: `"${bad}" is not a stream name.` }
      return validateFeedUrl(`https://stream.wikimedia.org/v2/stream/${streams.join(',')}`)
    }
    case 'mastodon': {
      const instance = base('instance', 'Instance')
      if (!instance.ok) return instance
      const stream = get('stream') || 'user'
      const [path = '', query = ''] = stream.split('?', 2)
      if (!/^[a-z]+(\/[a-z]+)?$/.test(path))
        return {
          ok: false,
          error: `"${stream}" is not a Mastodon stream (e.g. user, public).`,
          field: 'stream',
        }
      append(instance.value, `/api/v1/streaming/${path}`)
      instance.value.search = query
      return validateFeedUrl(instance.value.href)
    }
    case 'firebase': {
      const database = base('database', 'Database URL')
      if (!database.ok) return database
      const path = get('path')
        .replace(/^\/+|\/+$/g, '')
        .replace(/\.json$/, '')
      append(database.value, `/${path}.json`)
      return validateFeedUrl(database.value.href)
    }
  }
}

/** Adds to the URL's path, whatever slashes it ends with. */
function append(url: URL, suffix: string): void {
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${suffix}`
}

export type AuthInput =
  | { kind: 'none' }
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'bearer'; token: string }

/** The Authorization header for the chosen auth, marked secret; null for none. */
export function authHeader(auth: AuthInput): Validation<HeaderSetting | null> {
  if (auth.kind === 'none') return { ok: true, value: null }
  if (auth.kind === 'bearer') {
    const token = auth.token.trim()
    if (token === '') return { ok: false, error: 'Enter the token.' }
    if (/[\s\0]/.test(token)) return { ok: false, error: 'A token has no spaces or line breaks.' }
    return { ok: true, value: { name: 'Authorization', value: `Bearer ${token}`, secret: true } }
  }
  if (auth.user === '') return { ok: false, error: 'Enter the user name.' }
  if (auth.user.includes(':'))
    return { ok: false, error: 'A user name for Basic auth cannot contain ":".' }
  if (/[\r\n\0]/.test(auth.user + auth.password))
    return { ok: false, error: 'User and password cannot contain line breaks.' }
  const bytes = new TextEncoder().encode(`${auth.user}:${auth.password}`)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return {
    ok: true,
    value: { name: 'Authorization', value: `Basic ${btoa(binary)}`, secret: true },
  }
}

/**
 * A dotted path's value in JSON data, for the mapping editor's live preview. Own properties
 * only; array items by index ("items.0.name"). Undefined when the path leads nowhere.
 */
export function valueAtPath(data: unknown, path: string): unknown {
  let current = data
  for (const part of path.split('.')) {
    if (part === '' || typeof current !== 'object' || current === null) return undefined
    if (!Object.hasOwn(current, part)) return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}

/** Dotted paths of every leaf (and object) in JSON data, to offer in the mapping editor. */
export function jsonPaths(data: unknown, limit = 200): string[] {
  const paths: string[] = []
  const walk = (value: unknown, prefix: string, depth: number) => {
    if (paths.length >= limit || depth > 6) return
    if (typeof value !== 'object' || value === null) return
    for (const [key, child] of Object.entries(value)) {
      if (paths.length >= limit) return
      if (key === '' || key.includes('.')) continue
      const path = prefix === '' ? key : `${prefix}.${key}`
      paths.push(path)
      walk(child, path, depth + 1)
    }
  }
  walk(data, '', 0)
  return paths
}

/** A new feed from a preset, as "Add feed" creates it: the preset's mode and field mapping. */
export function feedFromPreset(
  presetId: PresetId,
  feed: { id: string; name: string; url: string; auth?: HeaderSetting | null },
): FeedSettingInput {
  const preset = presetById(presetId)
  const input: FeedSettingInput = {
    id: feed.id,
    name: feed.name,
    url: feed.url,
    headers: feed.auth ? [feed.auth] : [],
    notify: structuredClone(preset.notify),
    preset: preset.id,
  }
  if (Object.keys(preset.mapping).length > 0) input.mapping = { ...preset.mapping }
  return input
}
