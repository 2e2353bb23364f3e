// Loopback servers that speak the real wire formats of the services Tidings has presets for,
// byte for byte as each service writes them (the documented or source shape is named above each
// one). Built on the exact-bytes server in sse-server.ts: requests are recorded, connections can
// be dropped, and every stream is plain text the test can reason about.
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { EventEmitter, once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startSseServer, type RecordedRequest, type SseServer } from './sse-server.ts'

interface Live {
  res: ServerResponse
  /** Per-connection state (smee's counter, ntfy's topics, Mercure's topics). */
  topics: string[]
  counter: number
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function track(live: Set<Live>, entry: Live): void {
  live.add(entry)
  entry.res.on('close', () => live.delete(entry))
}

// --- ntfy ------------------------------------------------------------------------------------
// server/server.go handleSubscribeSSE: a message is `data: <json>\n` + the JSON encoder's own
// newline; any other event gets `event: <name>\n` first ("open", "keepalive", "poll_request").
// JSON field order and omitempty follow the Go `message` struct (id, time, expires, event, topic,
// title, message, priority, tags, click, …), and Go's encoder escapes <, > and & as \u003c etc.
// The first event of a subscription is `open` for the comma-joined topics; `since=<id>` replays
// what came after that message (an unknown id replays everything cached), `since=all` all.

export interface NtfyMessageInput {
  title?: string
  message: string
  priority?: number
  tags?: string[]
  click?: string
}

export interface NtfyServer {
  /** http://127.0.0.1:port (append /<topics>/sse). */
  base: string
  http: SseServer
  publish(topic: string, input: NtfyMessageInput): string
  keepalive(): void
  dropConnections(): void
  close(): Promise<void>
}

export type NtfyAuth = { user: string; password: string } | { token: string }

function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
}

export async function startNtfyServer(options: { auth?: NtfyAuth } = {}): Promise<NtfyServer> {
  const cache: Array<Record<string, unknown>> = []
  const live = new Set<Live>()
  let clock = 1_700_000_000
  const newId = () => randomBytes(9).toString('base64url').slice(0, 12)
  const write = (res: ServerResponse, message: Record<string, unknown>) => {
    const json = `${goJson(message)}\n`
    res.write(
      message['event'] === 'message'
        ? `data: ${json}\n`
        : `event: ${String(message['event'])}\ndata: ${json}\n`,
    )
  }
  const authorized = (header: string | undefined): boolean => {
    const auth = options.auth
    if (!auth) return true
    if ('token' in auth) return header === `Bearer ${auth.token}`
    const basic = Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')
    return header === `Basic ${basic}`
  }
  const http = await startSseServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const match = /^\/([-_A-Za-z0-9]{1,64}(?:,[-_A-Za-z0-9]{1,64})*)\/sse$/.exec(url.pathname)
    const fail = (status: number, code: number, error: string) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(`${goJson({ code, http: status, error, link: 'https://ntfy.sh/docs/' })}\n`)
    }
    if (!match) return fail(404, 40401, 'page not found')
    if (!authorized(req.headers.authorization)) return fail(401, 40101, 'unauthorized')
    const topics = (match[1] as string).split(',')
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Access-Control-Allow-Origin': '*',
    })
    write(res, { id: newId(), time: clock, event: 'open', topic: topics.join(',') })
    const since = url.searchParams.get('since')
    if (since !== null) {
      const mine = cache.filter((m) => topics.includes(m['topic'] as string))
      const at = mine.findIndex((m) => m['id'] === since)
      const replay = since === 'all' || at === -1 ? mine : mine.slice(at + 1)
      for (const message of replay) write(res, message)
    }
    track(live, { res, topics, counter: 0 })
  })
  return {
    base: `http://127.0.0.1:${http.port}`,
    http,
    publish(topic, input) {
      clock += 1
      const message: Record<string, unknown> = {
        id: newId(),
        time: clock,
        expires: clock + 43_200,
        event: 'message',
        topic,
      }
      if (input.title !== undefined) message['title'] = input.title
      message['message'] = input.message
      if (input.priority !== undefined) message['priority'] = input.priority
      if (input.tags !== undefined) message['tags'] = input.tags
      if (input.click !== undefined) message['click'] = input.click
      cache.push(message)
      for (const entry of live) if (entry.topics.includes(topic)) write(entry.res, message)
      return message['id'] as string
    },
    keepalive() {
      clock += 1
      for (const entry of live)
        write(entry.res, {
          id: newId(),
          time: clock,
          event: 'keepalive',
          topic: entry.topics.join(','),
        })
    },
    dropConnections: () => http.dropConnections(),
    close: () => http.close(),
  }
}

// --- Mercure -----------------------------------------------------------------------------------
// The Mercure protocol (mercure.rocks/spec): GET /.well-known/mercure?topic=…; private updates
// need `Authorization: Bearer <JWT>` whose `mercure.subscribe` claim lists matching topics (or
// "*"); each update is `id: urn:uuid:…`, an optional `event:`, one `data:` line per line of the
// payload; the hub answers with a Last-Event-ID header and replays the updates after the
// Last-Event-ID the subscriber sent. Heartbeats are empty comments (`:\n`).

export interface MercureUpdate {
  topic: string
  data: string
  type?: string
  private?: boolean
}

export interface MercureHub {
  url(topics: string[]): string
  http: SseServer
  publish(update: MercureUpdate): string
  heartbeat(): void
  dropConnections(): void
  close(): Promise<void>
}

/** A HS256 JWT, as the Mercure hub's default (JWT_KEY) verifies them. */
export function mercureJwt(key: string, subscribe: string[]): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const head = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ mercure: { subscribe } })}`
  return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`
}

function verifyJwt(token: string, key: string): string[] | null {
  const [head, payload, signature] = token.split('.')
  if (!head || !payload || !signature) return null
  const expected = createHmac('sha256', key).update(`${head}.${payload}`).digest('base64url')
  if (expected !== signature) return null
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      mercure?: { subscribe?: unknown }
    }
    const subscribe = claims.mercure?.subscribe
    return Array.isArray(subscribe) ? subscribe.filter((s) => typeof s === 'string') : null
  } catch {
    return null
  }
}

export async function startMercureHub(options: { jwtKey: string }): Promise<MercureHub> {
  const history: Array<MercureUpdate & { id: string }> = []
  const live = new Set<Live & { allowed: string[] }>()
  const frame = (update: MercureUpdate & { id: string }) =>
    `id: ${update.id}\n${update.type ? `event: ${update.type}\n` : ''}` +
    update.data
      .split('\n')
      .map((line) => `data: ${line}\n`)
      .join('') +
    '\n'
  const visible = (update: MercureUpdate, topics: string[], allowed: string[]) =>
    topics.includes(update.topic) &&
    (!update.private || allowed.includes('*') || allowed.includes(update.topic))
  const http = await startSseServer((req, res, request) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/.well-known/mercure') {
      res
        .writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('404 page not found\n')
      return
    }
    const topics = url.searchParams.getAll('topic')
    if (topics.length === 0) {
      res
        .writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Missing "topic" parameter\n')
      return
    }
    const auth = req.headers.authorization
    let allowed: string[] = []
    if (auth !== undefined) {
      const claims = auth.startsWith('Bearer ') ? verifyJwt(auth.slice(7), options.jwtKey) : null
      if (claims === null) {
        res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Unauthorized\n')
        return
      }
      allowed = claims
    }
    const since = request.lastEventId
    const at = since === null ? -1 : history.findIndex((u) => u.id === since)
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'private, no-cache, no-store, must-revalidate, max-age=0',
      'Last-Event-ID': history.at(-1)?.id ?? 'earliest',
      'X-Accel-Buffering': 'no',
    })
    res.write(':\n')
    if (since !== null)
      for (const update of history.slice(at + 1))
        if (visible(update, topics, allowed)) res.write(frame(update))
    const entry = { res, topics, counter: 0, allowed }
    live.add(entry)
    res.on('close', () => live.delete(entry))
  })
  return {
    url: (topics) => {
      const url = new URL(`http://127.0.0.1:${http.port}/.well-known/mercure`)
      for (const topic of topics) url.searchParams.append('topic', topic)
      return url.href
    },
    http,
    publish(update) {
      const stored = { ...update, id: `urn:uuid:${randomUUID()}` }
      history.push(stored)
      for (const entry of live)
        if (visible(stored, entry.topics, entry.allowed)) entry.res.write(frame(stored))
      return stored.id
    },
    heartbeat() {
      for (const entry of live) entry.res.write(':\n')
    },
    dropConnections: () => http.dropConnections(),
    close: () => http.close(),
  }
}

// --- smee.io -------------------------------------------------------------------------------------
// probot/smee.io lib/server.js: GET /:channel with `Accept: text/event-stream` (anything else gets
// the HTML page) writes `id: <n>\nevent: ready\ndata: {}\n\n`, then `event: ping` every 30 s, and
// each POST to the channel as `id: <n>\ndata: {...headers, body, query, timestamp}\n\n`. The id is
// a counter per connection starting at 0: not a position, and nothing is kept for later.

export interface SmeeServer {
  channelUrl(channel: string): string
  http: SseServer
  /** The `index`-th subscription (GET) request, once it has arrived; POSTs are not counted. */
  subscription(index: number): Promise<RecordedRequest>
  /** POSTs a webhook to the channel over HTTP, as GitHub would. */
  deliver(channel: string, event: string, body: unknown): Promise<void>
  ping(): void
  dropConnections(): void
  close(): Promise<void>
}

export async function startSmeeServer(): Promise<SmeeServer> {
  const live = new Set<Live>()
  const subscriptions: RecordedRequest[] = []
  const arrived = new EventEmitter()
  const sse = (entry: Live, payload: string, event?: string) =>
    entry.res.write(
      `id: ${entry.counter++}\n${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`,
    )
  const http = await startSseServer(async (req, res, request) => {
    if (req.method === 'GET') {
      subscriptions.push(request)
      arrived.emit('subscription')
    }
    const channel = /^\/([a-zA-Z0-9-_]{1,128})$/.exec(
      new URL(req.url ?? '/', 'http://x').pathname,
    )?.[1]
    if (channel === undefined) {
      res.writeHead(404).end()
      return
    }
    if (req.method === 'POST') {
      const text = await readBody(req)
      const url = new URL(req.url ?? '/', 'http://x')
      const payload = {
        ...req.headers,
        body: JSON.parse(text) as unknown,
        query: Object.fromEntries(url.searchParams),
        timestamp: Date.now(),
      }
      for (const entry of live) if (entry.topics[0] === channel) sse(entry, JSON.stringify(payload))
      res.writeHead(200).end()
      return
    }
    if (req.headers.accept !== 'text/event-stream') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html>')
      return
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'x-no-compression': 1,
    })
    const entry: Live = { res, topics: [channel], counter: 0 }
    track(live, entry)
    sse(entry, '{}', 'ready')
  })
  const channelUrl = (channel: string) => `http://127.0.0.1:${http.port}/${channel}`
  return {
    channelUrl,
    http,
    async subscription(index) {
      while (subscriptions.length <= index) await once(arrived, 'subscription')
      return subscriptions[index] as RecordedRequest
    },
    async deliver(channel, event, body) {
      const response = await fetch(channelUrl(channel), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/abc123',
          'x-github-event': event,
          'x-github-delivery': randomUUID(),
          'x-github-hook-id': '123456',
        },
        body: JSON.stringify(body),
      })
      await response.arrayBuffer()
    },
    ping() {
      for (const entry of live) sse(entry, '{}', 'ping')
    },
    dropConnections: () => http.dropConnections(),
    close: () => http.close(),
  }
}

// --- Wikimedia EventStreams -------------------------------------------------------------------
// stream.wikimedia.org/v2/stream/<streams> (KafkaSSE): a `:ok` comment first, then each event as
// `event: message\nid: <JSON list of {topic, partition, timestamp|offset}>\ndata: <json>\n\n`.
// Last-Event-ID (that JSON list) resumes after the given positions. Data follows the
// mediawiki/recentchange/1.0.0 schema; canary events (meta.domain "canary") come hourly.

export interface RecentChange {
  title: string
  user: string
  comment: string
  type?: 'edit' | 'new' | 'log' | 'categorize'
  wiki?: string
  canary?: boolean
}

export interface WikimediaServer {
  url(streams?: string): string
  http: SseServer
  change(input: RecentChange): string
  dropConnections(): void
  close(): Promise<void>
}

export async function startWikimediaServer(): Promise<WikimediaServer> {
  const events: Array<{ id: string; timestamp: number; data: string }> = []
  const live = new Set<Live>()
  let timestamp = 1_700_000_000_000
  const frame = (event: { id: string; data: string }) =>
    `event: message\nid: ${event.id}\ndata: ${event.data}\n\n`
  const http = await startSseServer((req, res, request) => {
    if (!/^\/v2\/stream\/[-.,A-Za-z0-9]+$/.test(new URL(req.url ?? '/', 'http://x').pathname)) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"title":"Not Found"}')
      return
    }
    let after = -1
    if (request.lastEventId !== null) {
      const positions = JSON.parse(request.lastEventId) as Array<{ timestamp?: number }>
      const since = positions.find((p) => typeof p.timestamp === 'number')?.timestamp ?? 0
      after = since
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
      'Access-Control-Allow-Origin': '*',
    })
    res.write(':ok\n\n')
    if (after >= 0) for (const event of events) if (event.timestamp > after) res.write(frame(event))
    track(live, { res, topics: [], counter: 0 })
  })
  return {
    url: (streams = 'recentchange') => `http://127.0.0.1:${http.port}/v2/stream/${streams}`,
    http,
    change(input) {
      timestamp += 1000
      const wiki = input.wiki ?? 'en.wikipedia.org'
      const domain = input.canary ? 'canary' : wiki
      const data = {
        $schema: '/mediawiki/recentchange/1.0.0',
        meta: {
          uri: `https://${wiki}/wiki/${encodeURIComponent(input.title.replace(/ /g, '_'))}`,
          request_id: randomUUID(),
          id: randomUUID(),
          dt: new Date(timestamp).toISOString(),
          domain,
          stream: 'mediawiki.recentchange',
          topic: 'eqiad.mediawiki.recentchange',
          partition: 0,
          offset: events.length + 5_000_000,
        },
        id: events.length + 1_600_000_000,
        type: input.type ?? 'edit',
        namespace: 0,
        title: input.title,
        title_url: `https://${wiki}/wiki/${encodeURIComponent(input.title.replace(/ /g, '_'))}`,
        comment: input.comment,
        timestamp: Math.floor(timestamp / 1000),
        user: input.user,
        bot: false,
        minor: false,
        length: { old: 1200, new: 1234 },
        revision: { old: 1000, new: 1001 },
        server_url: `https://${wiki}`,
        server_name: wiki,
        server_script_path: '/w',
        wiki: 'enwiki',
        parsedcomment: input.comment,
      }
      const id = JSON.stringify([
        { topic: 'eqiad.mediawiki.recentchange', partition: 0, timestamp },
        { topic: 'codfw.mediawiki.recentchange', partition: 0, offset: -1 },
      ])
      const event = { id, timestamp, data: JSON.stringify(data) }
      events.push(event)
      for (const entry of live) entry.res.write(frame(event))
      return id
    },
    dropConnections: () => http.dropConnections(),
    close: () => http.close(),
  }
}

// --- Mastodon streaming -------------------------------------------------------------------------
// docs.joinmastodon.org/methods/streaming (streaming/index.js): GET /api/v1/streaming/user with
// `Authorization: Bearer <token>` or `?access_token=`; 401 {"error":"…"} without one. The stream
// opens with a `:)` comment, sends `:thump` heartbeats, and `event: <name>\ndata: <payload>\n\n`
// for update (a Status), notification (a Notification), delete (a status id) and others.

export interface MastodonServer {
  url(stream?: string): string
  http: SseServer
  send(event: string, payload: unknown): void
  thump(): void
  dropConnections(): void
  close(): Promise<void>
}

export async function startMastodonServer(options: { token: string }): Promise<MastodonServer> {
  const live = new Set<Live>()
  const http = await startSseServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (!url.pathname.startsWith('/api/v1/streaming/')) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"Not found"}')
      return
    }
    const header = req.headers.authorization
    const token = header?.startsWith('Bearer ')
      ? header.slice(7)
      : url.searchParams.get('access_token')
    if (token !== options.token) {
      res
        .writeHead(401, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: token ? 'Invalid access token' : 'Missing access token' }))
      return
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'private, no-store',
      'Transfer-Encoding': 'chunked',
    })
    res.write(':)\n')
    track(live, { res, topics: [], counter: 0 })
  })
  return {
    url: (stream = 'user') => `http://127.0.0.1:${http.port}/api/v1/streaming/${stream}`,
    http,
    send(event, payload) {
      const data = typeof payload === 'string' ? payload : JSON.stringify(payload)
      for (const entry of live) entry.res.write(`event: ${event}\ndata: ${data}\n\n`)
    },
    thump() {
      for (const entry of live) entry.res.write(':thump\n')
    },
    dropConnections: () => http.dropConnections(),
    close: () => http.close(),
  }
}

/** A Status as Mastodon's REST API and streaming send it (the fields Tidings reads, and more). */
export function mastodonStatus(input: {
  id: string
  content: string
  acct: string
  displayName: string
  spoiler?: string
}): Record<string, unknown> {
  return {
    id: input.id,
    created_at: '2024-05-01T10:00:00.000Z',
    in_reply_to_id: null,
    sensitive: Boolean(input.spoiler),
    spoiler_text: input.spoiler ?? '',
    visibility: 'public',
    language: 'en',
    uri: `https://social.example/users/${input.acct}/statuses/${input.id}`,
    url: `https://social.example/@${input.acct}/${input.id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    content: input.content,
    reblog: null,
    account: {
      id: '1',
      username: input.acct,
      acct: input.acct,
      display_name: input.displayName,
      url: `https://social.example/@${input.acct}`,
    },
    media_attachments: [],
    mentions: [],
    tags: [],
  }
}

// --- Firebase Realtime Database REST streaming ------------------------------------------------
// firebase.google.com/docs/reference/rest/database#section-streaming: GET <path>.json with
// `Accept: text/event-stream`; the first event of every connection is `put` at "/" with all the
// data under the path, then `put`/`patch` with {"path","data"}, `keep-alive` with data null,
// `cancel` (rules no longer allow reading) and `auth_revoked` (the credential expired; the server
// closes the stream). No ids: a reconnect starts from a fresh snapshot.

export interface FirebaseServer {
  url(path: string): string
  http: SseServer
  /** Sets data at a path below the streamed location, as a write by another client would. */
  put(path: string, data: unknown): void
  patch(path: string, data: Record<string, unknown>): void
  keepAlive(): void
  revokeAuth(): void
  dropConnections(): void
  close(): Promise<void>
}

export async function startFirebaseServer(
  options: { token?: string } = {},
): Promise<FirebaseServer> {
  let tree: Record<string, unknown> = {}
  const live = new Set<Live>()
  const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`
  const setAt = (path: string, data: unknown) => {
    const parts = path.split('/').filter(Boolean)
    if (parts.length === 0) {
      tree = (data ?? {}) as Record<string, unknown>
      return
    }
    let node = tree
    for (const part of parts.slice(0, -1)) {
      if (typeof node[part] !== 'object' || node[part] === null) node[part] = {}
      node = node[part] as Record<string, unknown>
    }
    const last = parts.at(-1) as string
    if (data === null) delete node[last]
    else node[last] = data
  }
  const http = await startSseServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (!url.pathname.endsWith('.json') || req.headers.accept !== 'text/event-stream') {
      res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":"bad request"}')
      return
    }
    if (options.token !== undefined) {
      const bearer = req.headers.authorization === `Bearer ${options.token}`
      if (!bearer && url.searchParams.get('auth') !== options.token) {
        res
          .writeHead(401, { 'Content-Type': 'application/json; charset=utf-8' })
          .end('{\n  "error" : "Permission denied"\n}\n')
        return
      }
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Access-Control-Allow-Origin': '*',
    })
    res.write(event('put', { path: '/', data: Object.keys(tree).length === 0 ? null : tree }))
    track(live, { res, topics: [], counter: 0 })
  })
  return {
    url: (path) => `http://127.0.0.1:${http.port}/${path.replace(/^\/+/, '')}.json`,
    http,
    put(path, data) {
      setAt(path, data)
      for (const entry of live) entry.res.write(event('put', { path, data }))
    },
    patch(path, data) {
      for (const [key, value] of Object.entries(data)) setAt(`${path}/${key}`, value)
      for (const entry of live) entry.res.write(event('patch', { path, data }))
    },
    keepAlive() {
      for (const entry of live) entry.res.write(event('keep-alive', null))
    },
    revokeAuth() {
      for (const entry of live) {
        entry.res.write(event('auth_revoked', 'credential is no longer valid'))
        entry.res.end()
      }
    },
    dropConnections: () => http.dropConnections(),
    close: () => http.close(),
  }
}
