// A loopback SSE server that misbehaves on purpose, from a seed. Each feed has a script of
// numbered events (ids "1".."N"; every 19th has no `id:` line of its own, so it carries the one
// before it, and a block with only `id: n` follows it to move the resume position, as the HTML
// standard allows); every request resumes honestly from Last-Event-ID (sometimes re-sending a
// few events the client already has) and then, as its plan says, cuts the
// connection mid-event, ends the stream cleanly, answers 500/503/429 with or without
// Retry-After, or goes silent with the socket open. Streams carry malformed lines, invalid
// UTF-8, BOMs and all three line endings, written in random pieces. The whole server also
// restarts now and then: port closed, then open again. It records what it did to each request.
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Random } from './chaos-random.ts'

export type ConnectionFault =
  'cut-mid-event' | 'clean-end' | 'http-500' | 'http-503' | 'http-429' | 'silent'

/** What the client must have seen end each connection (compare with its reconnect reasons). */
export type Outcome = 'network' | 'ended' | 'idle' | `http-${number}`

export interface ServedRequest {
  feedId: string
  /** This feed's request number, from 0. */
  index: number
  lastEventId: string | null
  /** null: no fault planned, the stream stays open. */
  fault: ConnectionFault | null
  retryAfter: string | null
  /** How the response ended, once it has; null while it is open. */
  outcome: Outcome | null
  /** 'restart' when a restart cut it short; 'client' when the client hung up. */
  endedBy: 'plan' | 'restart' | 'client' | null
}

export interface ChaosServerOptions {
  random: Random
  feedIds: readonly string[]
  eventsPerFeed: number
  /** Connection faults per feed, at most (once its events run out its stream stays healthy). */
  faultsPerFeed: number
  /** Restarts of the whole server, spread over the run. */
  restarts: number
  log?: (line: string) => void
}

/** Injected faults by kind, for the report. */
export type FaultCounts = Record<string, number>

const ENDINGS = ['\n', '\r\n', '\r'] as const
const MALFORMED = [
  'this line has no colon',
  ':a comment with \u0000 and ünïcödé',
  'retry: soon',
  'retry: -5',
  'id: has\u0000nul',
  'event: junk-without-data',
  'Data: wrong case is an unknown field',
  ' data: a leading space makes an unknown field',
  'unknown-field: value',
] as const
const INVALID = [
  [0xff],
  [0xc3],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf0, 0x9f, 0x98],
  [0xc0, 0xaf],
] as const

const encoder = new TextEncoder()
const utf8 = (text: string): Uint8Array => encoder.encode(text)

/** Every 19th event has no id of its own: its last event ID is the one before it. */
const carriesId = (n: number) => n % 19 === 0

/**
 * Event number n of a feed: its type, its data lines as bytes, the data the client must see,
 * and its own `id:` (null: none, the last event ID carries over).
 */
export function scriptEvent(
  feedId: string,
  n: number,
): { type: string; lines: Uint8Array[]; data: string; id: string | null } {
  const id = carriesId(n) ? null : String(n)
  if (n % 13 === 0) {
    // Invalid UTF-8 in the data: each bad sequence must arrive as U+FFFD, nothing else lost.
    const bad = INVALID[n % INVALID.length]!
    const line = Buffer.concat([utf8(`broken ${n} `), Uint8Array.from(bad), utf8(' bytes é😀')])
    return { type: 'message', lines: [line], data: new TextDecoder().decode(line), id }
  }
  let type = 'message'
  let data = JSON.stringify({ title: `${feedId} event ${n}`, n })
  if (n % 7 === 0) {
    type = 'build.completed'
    data = JSON.stringify({
      title: `Build ${feedId}-${n}`,
      url: `https://ci.example.com/${feedId}/${n}`,
    })
  } else if (n % 11 === 0) {
    type = 'task.progress'
    data = JSON.stringify({ task: `job-${feedId}`, progress: (n % 100) / 100 })
  } else if (n % 17 === 0) {
    type = 'news'
    data = JSON.stringify({ title: `News ${feedId} ${n}`, url: `https://news.example.com/${n}` })
  } else if (n % 5 === 0) {
    data = `line one of ${n}\nline two é😀 <b>not html</b>`
  }
  return { type, lines: data.split('\n').map(utf8), data, id }
}

/**
 * The bytes of event n. One without an id of its own is followed by a block with only its id:
 * `dispatchAt` is where its empty line starts, so a cut before it dispatches nothing, and no cut
 * may fall after it inside these bytes (the client would have the event but not the position).
 */
function eventBytes(
  feedId: string,
  n: number,
  end: string,
): { bytes: Uint8Array; dispatchAt: number | null } {
  const { type, lines, id } = scriptEvent(feedId, n)
  const parts = id === null ? [] : [utf8(`id: ${id}${end}`)]
  if (type !== 'message') parts.push(utf8(`event: ${type}${end}`))
  for (const line of lines) parts.push(utf8('data: '), line, utf8(end))
  const dispatchAt = id === null ? Buffer.concat(parts).length : null
  parts.push(utf8(end))
  if (id === null) parts.push(utf8(`id: ${n}${end}${end}`))
  return { bytes: Buffer.concat(parts), dispatchAt }
}

interface FeedPlan {
  random: Random
  requests: number
  faultsLeft: number
  /** Connections in a row that delivered no event (keeps the backoff short). */
  idleStreak: number
}

interface Active {
  record: ServedRequest
  res: ServerResponse
  stopHeartbeat(): void
}

export class ChaosServer {
  readonly requests: ServedRequest[] = []
  readonly injected: FaultCounts = {}
  readonly #options: ChaosServerOptions
  readonly #plans = new Map<string, FeedPlan>()
  readonly #sockets = new Set<Socket>()
  readonly #active = new Set<Active>()
  readonly #restartAt: number[]
  #server: Server
  #port = 0
  #eventsWritten = 0
  #restarting: Promise<void> | null = null
  #closed = false
  restartsDone = 0

  private constructor(options: ChaosServerOptions) {
    this.#options = options
    for (const feedId of options.feedIds)
      this.#plans.set(feedId, {
        random: options.random.fork(`feed:${feedId}`),
        requests: 0,
        faultsLeft: options.faultsPerFeed,
        idleStreak: 0,
      })
    const total = options.feedIds.length * options.eventsPerFeed
    const restarts = options.random.fork('restarts')
    this.#restartAt = Array.from({ length: options.restarts }, (_, i) =>
      Math.floor(((i + 1) / (options.restarts + 1)) * total * 0.9 + restarts.int(-20, 20)),
    )
    this.#server = this.#createServer()
  }

  static async start(options: ChaosServerOptions): Promise<ChaosServer> {
    const server = new ChaosServer(options)
    await server.#listen(0)
    return server
  }

  url(feedId: string): string {
    return `http://127.0.0.1:${this.#port}/feeds/${encodeURIComponent(feedId)}`
  }

  /** Connection faults not yet injected, over all feeds. */
  get faultsLeft(): number {
    let left = 0
    for (const plan of this.#plans.values()) left += plan.faultsLeft
    return left
  }

  get restartsLeft(): number {
    return this.#options.restarts - this.restartsDone
  }

  async close(): Promise<void> {
    this.#closed = true
    await this.#restarting
    for (const active of this.#active) active.stopHeartbeat()
    for (const socket of this.#sockets) socket.destroy()
    if (this.#server.listening) {
      this.#server.close()
      await once(this.#server, 'close')
    }
  }

  #count(kind: string, by = 1): void {
    this.injected[kind] = (this.injected[kind] ?? 0) + by
  }

  #createServer(): Server {
    const server = createServer((req, res) => void this.#handle(req, res))
    // Idle keep-alive sockets are never reaped mid-run: only planned faults end connections.
    server.keepAliveTimeout = 600_000
    server.on('connection', (socket) => {
      this.#sockets.add(socket)
      socket.on('close', () => this.#sockets.delete(socket))
    })
    return server
  }

  async #listen(port: number): Promise<void> {
    this.#server.listen(port, '127.0.0.1')
    await once(this.#server, 'listening')
    this.#port = (this.#server.address() as AddressInfo).port
  }

  /** Port closed (every connection dropped), then open again on the same port. */
  async #restart(downMs: number): Promise<void> {
    this.#count('restart')
    this.#options.log?.(`restart: port ${this.#port} closed for ${downMs} ms`)
    for (const active of this.#active) {
      active.stopHeartbeat()
      if (active.record.outcome === null) {
        active.record.outcome = 'network'
        active.record.endedBy = 'restart'
      }
    }
    this.#active.clear()
    const old = this.#server
    const closed = once(old, 'close')
    old.close()
    for (const socket of this.#sockets) socket.destroy()
    await closed
    await new Promise((resolve) => setTimeout(resolve, downMs))
    if (this.#closed) return
    this.#server = this.#createServer()
    await this.#listen(this.#port)
    this.restartsDone++
  }

  #maybeRestart(): void {
    const due = this.#restartAt[this.restartsDone]
    if (this.#restarting || this.#closed || due === undefined || this.#eventsWritten < due) return
    const downMs = this.#options.random.fork(`down:${this.restartsDone}`).int(150, 700)
    this.#restarting = this.#restart(downMs).finally(() => (this.#restarting = null))
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/feeds\/([^/?]+)$/.exec(req.url ?? '')
    const feedId = match ? decodeURIComponent(match[1]!) : ''
    const plan = this.#plans.get(feedId)
    if (!plan) {
      res.writeHead(404).end()
      return
    }
    const { random } = plan
    const raw = req.headers['last-event-id']
    const lastEventId = typeof raw === 'string' ? raw : null
    const last = lastEventId === null ? 0 : Number(lastEventId)
    const total = this.#options.eventsPerFeed
    const remaining = total - last

    // The plan: a fault while any are left and events remain to carry the run forward.
    let fault: ConnectionFault | null = null
    // Faults left when the script has run out are not injected: nothing would carry them.
    if (remaining <= 0) plan.faultsLeft = 0
    if (plan.faultsLeft > 0) {
      fault = random.weighted<ConnectionFault>([
        ['cut-mid-event', 4],
        ['clean-end', 3],
        ['http-500', plan.idleStreak < 2 ? 1 : 0],
        ['http-503', plan.idleStreak < 2 ? 1 : 0],
        ['http-429', plan.idleStreak < 2 ? 1 : 0],
        ['silent', 1],
      ])
      plan.faultsLeft--
      this.#count(fault)
    }
    const record: ServedRequest = {
      feedId,
      index: plan.requests++,
      lastEventId,
      fault,
      retryAfter: null,
      outcome: null,
      endedBy: null,
    }
    this.requests.push(record)

    if (fault === 'http-500' || fault === 'http-503' || fault === 'http-429') {
      plan.idleStreak++
      const status = Number(fault.slice(5))
      const retryAfter = random.weighted<string | null>([
        [null, 3],
        ['0', 2],
        ['1', 1],
        [new Date(Date.now() - 60_000).toUTCString(), 1],
      ])
      record.retryAfter = retryAfter
      if (retryAfter !== null) this.#count('retry-after')
      record.outcome = `http-${status}`
      record.endedBy = 'plan'
      res.writeHead(status, {
        'Content-Type': 'text/plain',
        ...(retryAfter === null ? {} : { 'Retry-After': retryAfter }),
      })
      res.end('try again later')
      return
    }

    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
    res.flushHeaders()
    let heartbeat: NodeJS.Timeout | null = null
    const active: Active = {
      record,
      res,
      stopHeartbeat: () => {
        if (heartbeat) clearInterval(heartbeat)
        heartbeat = null
      },
    }
    this.#active.add(active)
    res.on('close', () => {
      active.stopHeartbeat()
      this.#active.delete(active)
      if (record.outcome === null) {
        // The client hung up: on a silent stream that is its idle timeout.
        record.outcome = fault === 'silent' ? 'idle' : 'network'
        record.endedBy = 'client'
      }
    })

    const end = random.pick(ENDINGS)
    if (end !== '\n') this.#count(end === '\r' ? 'cr-line-endings' : 'crlf-line-endings')
    const parts: Uint8Array[] = []
    if (random.chance(0.15)) {
      parts.push(utf8('\uFEFF'))
      this.#count('bom')
    }
    parts.push(utf8(`retry: 250${end}`))
    // Sometimes resume a little early: the client must drop what it already has.
    let first = last + 1
    if (last > 0 && random.chance(0.25)) {
      first = Math.max(1, last + 1 - random.int(1, 3))
      this.#count('replayed-events', last + 1 - first)
    }
    const span =
      fault === null
        ? total
        : random.int(1, Math.max(1, Math.ceil((2 * total) / (this.#options.faultsPerFeed + 1))))
    const lastSent = Math.min(total, last + span)
    /** Byte ranges no cut may fall inside (an id-less event and the id block after it). */
    const whole: Array<[number, number]> = []
    const length = () => parts.reduce((sum, part) => sum + part.length, 0)
    for (let n = first; n <= lastSent; n++) {
      // A re-sent event without an id of its own could not be told from a new one.
      if (n <= last && scriptEvent(feedId, n).id === null) continue
      if (random.chance(0.08)) {
        const line = random.pick(MALFORMED)
        parts.push(utf8(`${line}${end}`))
        // Closed by an empty line it dispatches nothing; otherwise it joins the next event, which
        // only an event type would change (so that one is always closed).
        if (line.startsWith('event:') || random.chance(0.5)) parts.push(utf8(end))
        this.#count('malformed-lines')
      }
      if (n % 13 === 0) this.#count('invalid-utf8-events')
      const { bytes, dispatchAt } = eventBytes(feedId, n, end)
      if (dispatchAt !== null) {
        const at = length()
        whole.push([at, at + bytes.length])
        this.#count('carried-ids')
      }
      parts.push(bytes)
    }
    plan.idleStreak = lastSent > last ? 0 : plan.idleStreak + 1
    if (fault === 'cut-mid-event') {
      const next =
        lastSent < total
          ? eventBytes(feedId, lastSent + 1, end)
          : { bytes: utf8(`data: dangling${end}`), dispatchAt: null }
      const cutBefore = next.dispatchAt ?? next.bytes.length - 1
      parts.push(next.bytes.subarray(0, random.int(1, Math.max(1, cutBefore))))
    }

    const written = await this.#writeInPieces(res, Buffer.concat(parts), random, whole)
    if (!written || record.outcome !== null) return
    this.#eventsWritten += lastSent - last
    this.#maybeRestart()
    if (record.outcome !== null) return

    if (fault === 'cut-mid-event') {
      record.outcome = 'network'
      record.endedBy = 'plan'
      res.socket?.destroy()
    } else if (fault === 'clean-end') {
      record.outcome = 'ended'
      record.endedBy = 'plan'
      res.end()
    } else if (fault === null) {
      // Healthy: comments keep the client's idle timer happy until the run ends.
      heartbeat = setInterval(() => res.write(`: heartbeat${end}`), 200)
    }
    // 'silent': nothing more, the socket stays open until the client gives up on it.
  }

  /**
   * Writes the bytes cut at random points (never inside a `whole` range), yielding between
   * pieces so they travel apart.
   */
  async #writeInPieces(
    res: ServerResponse,
    bytes: Uint8Array,
    random: Random,
    whole: ReadonlyArray<[number, number]> = [],
  ): Promise<boolean> {
    const cuts = Array.from({ length: random.int(0, 6) }, () => random.int(1, bytes.length - 1))
    const points = [...new Set(cuts)]
      .filter((c) => c > 0 && c < bytes.length && !whole.some(([from, to]) => c > from && c < to))
      .sort((a, b) => a - b)
    const edges = [0, ...points, bytes.length]
    for (let i = 1; i < edges.length; i++) {
      if (res.destroyed || res.writableEnded) return false
      const piece = bytes.subarray(edges[i - 1], edges[i])
      await written(res, piece)
      if (i < edges.length - 1) await new Promise((resolve) => setImmediate(resolve))
    }
    return !res.destroyed
  }
}

/** Resolves once the piece is flushed, or the response is gone (a restart or a hang-up). */
function written(res: ServerResponse, piece: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('close', done)
      resolve()
    }
    res.once('close', done)
    res.write(piece, done)
  })
}
