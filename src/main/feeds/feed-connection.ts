// One feed's connection: a request per attempt, its body read here and parsed by
// eventsource-parser (the eventsource package's own parser), with our own reconnect policy
// around it. We read the body ourselves rather than through the package's EventSource: that one
// builds a platform MessageEvent for every event (webidl conversions, about 0.7 µs and 1 KB of
// garbage each, most of the bare package's cost per event), keeps `retry:` and data-less `id:`
// blocks to itself, and strips the BOM twice (TextDecoder, then the parser). The last event ID
// follows the standard across connections (see #onMessage); an id that cannot go into a header
// is never a resume position (event-id.ts).
import type { ReadableStreamReadResult } from 'node:stream/web'
import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser'
import type { FeedConfig, FeedEvent, FeedState } from '../../shared/feed.ts'
import { FEED_DEFAULTS } from '../../shared/feed.ts'
import { isEventStreamContentType } from './content-type.ts'
import { isResumeId, seenKey } from './event-id.ts'
import { StreamStart } from './byte-order-mark.ts'
import { describeNetworkError, isRequestHeaderError, networkErrorCode } from './network-error.ts'
import { decideReconnect, parseRetryAfter, type Outcome } from './reconnect-policy.ts'
import { SeenIds } from './seen-ids.ts'

/** What a request is for, beyond its URL: the feed's trusted certificate, for its host only. */
export interface RequestContext {
  trust?: { host: string; sha256: string }
}

/** A response body as the engine reads it: one reader, or cancelled unread. */
export interface FeedBody {
  getReader(): {
    read(): Promise<ReadableStreamReadResult<Uint8Array>>
    cancel(reason?: unknown): Promise<void>
  }
  cancel(reason?: unknown): Promise<void>
  /**
   * Instead of a reader: each chunk handed to `sink` as it arrives, in the network's own call (no
   * promise, no queue per chunk), until the flow is paused. The network module's bodies have it.
   */
  subscribe?(sink: BodySink, paused: boolean): BodyFlow
}

/** Where a subscribed body's chunks go. */
export interface BodySink {
  chunk(bytes: Uint8Array): void
  end(): void
  error(error: unknown): void
}

/** A subscribed body's flow: paused, chunks queue (and the socket waits past a mark). */
export interface BodyFlow {
  pause(): void
  resume(): void
}

/** What the engine reads of a response: a fetch Response has all of it. */
export interface FeedResponse {
  readonly status: number
  readonly statusText: string
  readonly url: string
  readonly redirected: boolean
  readonly headers: { get(name: string): string | null }
  readonly body: FeedBody | null
}

/** Makes a feed's request: fetch, or the network module's leaner stream request. */
export type FetchLike = (
  url: string | URL,
  init: RequestInit,
  context?: RequestContext,
) => Promise<FeedResponse>

export interface ConnectionDeps {
  fetch: FetchLike
  now: () => number
  random: () => number
  onEvent: (event: FeedEvent) => void
  onState: (state: FeedState) => void
  /** The resume position moved without an event (a block with an id and no data), or was dropped. */
  onPosition?: (lastEventId: string) => void
}

/** At most this many redirects are followed (a loop or more fails the feed). */
export const MAX_REDIRECTS = 5
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
/** A response this many times the event size limit without an event ends early (gzip bomb). */
const NO_EVENT_FACTOR = 4
/** Decoding options for every chunk but the stream's end (one object, not one per chunk). */
const STREAM = { stream: true } as const

interface Attempt {
  /** Aborts the request and its body when the attempt is closed. */
  controller: AbortController
  ended: boolean
  /** The last `id:` field parsed on this connection (null: none yet), as the parser reports it. */
  idField: string | null
  /** idField as of the last event: an event whose idField differs had an id of its own. */
  idAtLastEvent: string | null
  /** The id of a data-less block last taken as the position, so it is taken once. */
  adopted: string | null
  /** Whether an event came on this connection. */
  delivered: boolean
  /** The response headers arrived. */
  responded: boolean
  /** An event came out of the chunk being parsed. */
  dispatched: boolean
  /** Bytes parsed since the last chunk that gave an event. */
  sinceEvent: number
  /** A subscribed body's flow, paused and resumed with the feed. */
  flow: BodyFlow | null
}

export class FeedConnection {
  readonly #config: FeedConfig
  readonly #deps: ConnectionDeps
  readonly #seen: SeenIds
  /** The resume position: what the next request sends (always fit for a header). */
  #lastEventId: string
  /** The standard's last event ID string, which events without an id carry. */
  #idString: string
  readonly #context: RequestContext | undefined
  #serverRetryMs: number | null = null
  #attemptCount = 0
  #current: Attempt | null = null
  #state: FeedState = { kind: 'stopped', reason: 'not started' }
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined
  #idleTimer: ReturnType<typeof setTimeout> | undefined
  #lastByteAt = 0
  #paused = false
  #resumeWaiters: Array<() => void> = []
  #disposed = false
  readonly #maxEventSize: number

  constructor(config: FeedConfig, deps: ConnectionDeps, seen = new SeenIds()) {
    this.#config = config
    this.#deps = deps
    this.#seen = seen
    // A feed whose ids are no positions has nothing to resume from (an id stored before it was
    // one), and an id stored that cannot be sent (by an older version) is no position either.
    const stored = config.ignoreEventIds ? '' : (config.lastEventId ?? '')
    this.#lastEventId = isResumeId(stored) ? stored : ''
    this.#idString = config.resumeQuery ? '' : this.#lastEventId
    this.#maxEventSize = config.maxEventSize ?? FEED_DEFAULTS.maxEventSize
    this.#context = trustContext(config)
    // A server that resumes inclusively re-sends the stored id's event first: don't show it again.
    if (this.#lastEventId !== '') this.#seen.add(this.#lastEventId)
  }

  get config(): FeedConfig {
    return this.#config
  }

  get state(): FeedState {
    return this.#state
  }

  get lastEventId(): string {
    return this.#lastEventId
  }

  /** The ids already delivered, handed on when a feed is restarted with a changed config. */
  get seenIds(): SeenIds {
    return this.#seen
  }

  start(): void {
    if (this.#config.enabled === false) {
      this.#setState({ kind: 'stopped', reason: 'disabled' })
      return
    }
    this.#connect()
  }

  /**
   * Skips any wait and connects afresh. Live feeds (open, connecting, reconnecting) always do;
   * failed or stopped ones only when `includeEnded` (the user's explicit retry).
   */
  reconnectNow(includeEnded: boolean): void {
    if (this.#disposed || this.#config.enabled === false) return
    const kind = this.#state.kind
    if ((kind === 'failed' || kind === 'stopped') && !includeEnded) return
    this.#attemptCount = 0
    this.#connect()
  }

  /** Backpressure: stop reading from the socket until resume(). */
  pause(): void {
    this.#paused = true
    this.#current?.flow?.pause()
  }

  resume(): void {
    if (!this.#paused) return
    this.#paused = false
    this.#lastByteAt = this.#deps.now()
    for (const wake of this.#resumeWaiters.splice(0)) wake()
    this.#current?.flow?.resume()
  }

  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    this.#closeAttempt()
    clearTimeout(this.#reconnectTimer)
    this.resume()
  }

  #connect(): void {
    this.#closeAttempt()
    clearTimeout(this.#reconnectTimer)
    this.#setState({ kind: 'connecting' })
    this.#seen.newConnection()
    const attempt: Attempt = {
      controller: new AbortController(),
      ended: false,
      idField: null,
      idAtLastEvent: null,
      adopted: null,
      delivered: false,
      responded: false,
      dispatched: false,
      sinceEvent: 0,
      flow: null,
    }
    this.#current = attempt
    this.#lastByteAt = this.#deps.now()
    this.#armIdleTimer(attempt)
    void this.#run(attempt)
  }

  /** One attempt: the request, then its body until it ends or the attempt is closed. */
  async #run(attempt: Attempt): Promise<void> {
    let body: FeedBody | null
    try {
      body = await this.#fetch(attempt, this.#requestUrl(), { signal: attempt.controller.signal })
    } catch {
      return // #fetch has ended the attempt with what went wrong
    }
    if (body === null || attempt !== this.#current || attempt.ended) return
    this.#setState({ kind: 'open' })
    if (attempt.ended) return // a state listener closed it
    await this.#read(attempt, body)
  }

  /**
   * Resolves to the body of a response that opens the stream, or to null when the attempt ended
   * instead (an error status, a wrong content type, a redirect not followed); rejects when the
   * request failed, once the attempt is ended with why.
   */
  async #fetch(attempt: Attempt, url: string, init: RequestInit): Promise<FeedBody | null> {
    // Only what the user configured, and what the protocol needs: no cookies, nothing else.
    const own = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' }
    let headers: Record<string, string> = { ...this.#config.headers, ...own }
    // The standard sends the id as UTF-8 bytes; header strings are byte strings, so encode here.
    const resumesByHeader = !this.#config.resumeQuery && !this.#config.ignoreEventIds
    const resumeId = resumesByHeader ? this.#lastEventId : ''
    if (resumeId !== '') headers['Last-Event-ID'] = utf8ToByteString(resumeId)

    const start = new URL(url)
    let target = start
    const visited = new Set([start.href])
    /** Where a redirect to another origin led: the feed's headers were dropped there. */
    let foreign: string | null = null
    let response: FeedResponse
    for (let redirects = 0; ; redirects++) {
      try {
        response = await this.#deps.fetch(
          target.href,
          { ...init, headers, redirect: 'manual' },
          this.#context,
        )
      } catch (error) {
        const reason = describeNetworkError(error)
        const sentId = headers['Last-Event-ID'] !== undefined
        this.#end(
          attempt,
          sentId && isRequestHeaderError(error)
            ? { kind: 'resume-refused', reason }
            : networkOutcome(reason, error),
        )
        throw error
      }
      if (attempt.ended || !REDIRECT_STATUSES.has(response.status)) break
      void response.body?.cancel().catch(() => {})
      const next = nextHop(response, target, visited, redirects)
      if (!(next instanceof URL)) {
        this.#end(attempt, next)
        return letGo(response)
      }
      if (next.origin !== start.origin && foreign === null) {
        // Another origin gets none of the user's headers, nor the resume id.
        foreign = next.origin
        headers = { ...own }
      }
      visited.add(next.href)
      target = next
    }
    if (attempt.ended) return letGo(response)
    attempt.responded = true

    const contentType = response.headers.get('content-type')
    if (response.status === 431 && headers['Last-Event-ID'] !== undefined) {
      this.#end(attempt, {
        kind: 'resume-refused',
        reason: `HTTP 431${response.statusText ? ` ${response.statusText}` : ''}`,
      })
      return letGo(response)
    }
    if (response.status !== 200) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#deps.now())
      // Refused: what the server says about it is worth the wait for a few bytes of its body.
      const refused = response.status === 401 || response.status === 403
      const serverMessage = refused ? await readServerMessage(response) : undefined
      this.#end(attempt, {
        kind: 'http',
        status: response.status,
        statusText: response.statusText,
        retryAfterMs,
        ...(serverMessage ? { serverMessage } : {}),
        ...(foreign ? { redirected: { from: start.origin, to: foreign } } : {}),
      })
      return letGo(response)
    }
    if (!isEventStreamContentType(contentType)) {
      this.#end(attempt, { kind: 'content-type', contentType })
      return letGo(response)
    }
    if (!response.body) {
      this.#end(attempt, { kind: 'ended', delivered: false })
      return null
    }
    return response.body
  }

  /**
   * Reads the body chunk by chunk into the parser: counts activity for the idle timeout, bounds
   * the bytes without an event, takes the ids of data-less blocks, and sees how the stream ends.
   * A body that can hand its chunks over as they arrive does (subscribe); else a reader.
   */
  async #read(attempt: Attempt, body: FeedBody): Promise<void> {
    const take = this.#chunkTaker(attempt)
    if (body.subscribe) {
      const cancel = () => void body.cancel().catch(() => {})
      attempt.flow = body.subscribe(
        {
          chunk: (bytes) => {
            if (attempt.ended || !take(bytes)) cancel()
          },
          end: () => this.#end(attempt, { kind: 'ended', delivered: attempt.delivered }),
          error: (error) => this.#end(attempt, networkOutcome(describeNetworkError(error), error)),
        },
        this.#paused,
      )
      return
    }
    const reader = body.getReader()
    const cancel = () => void reader.cancel().catch(() => {})
    for (;;) {
      if (this.#paused) await this.#whenResumed()
      if (attempt.ended) return cancel()
      let result: ReadableStreamReadResult<Uint8Array>
      try {
        result = await reader.read()
      } catch (error) {
        this.#end(attempt, networkOutcome(describeNetworkError(error), error))
        return
      }
      // A read already under way when pause() came: hold its bytes, so no event is delivered
      // while paused.
      if (this.#paused) await this.#whenResumed()
      if (attempt.ended) return cancel()
      if (result.done) {
        this.#end(attempt, { kind: 'ended', delivered: attempt.delivered })
        return
      }
      if (!take(result.value)) return cancel()
    }
  }

  /** Parses one chunk after another for the attempt; false once the attempt is over. */
  #chunkTaker(attempt: Attempt): (chunk: Uint8Array) => boolean {
    // The one BOM the standard strips goes in bytes (byte-order-mark.ts); any other is text.
    const start = new StreamStart()
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
    const parser = createParser({
      maxBufferSize: this.#maxEventSize,
      onEvent: (message) => this.#onMessage(attempt, message),
      onId: (id) => {
        attempt.idField = id
      },
      onRetry: (ms) => {
        this.#serverRetryMs = Math.min(ms, Number.MAX_SAFE_INTEGER)
      },
      onError: (error: ParseError) => {
        if (error.type === 'max-buffer-size-exceeded')
          this.#end(attempt, { kind: 'oversize', limit: this.#maxEventSize })
      },
    })
    // A comment line first, so the parser's own BOM stripping (of its first input) finds none:
    // a second BOM is part of the first line, as the standard says.
    parser.feed(':\n')
    const noEventLimit = NO_EVENT_FACTOR * this.#maxEventSize
    return (chunk) => {
      this.#lastByteAt = this.#deps.now()
      const bytes = start.push(chunk)
      if (bytes === null) return true
      attempt.dispatched = false
      try {
        parser.feed(decoder.decode(bytes, STREAM))
      } catch (error) {
        // A listener of ours threw while an event was delivered: this connection is done.
        this.#end(attempt, networkOutcome(describeNetworkError(error), error))
        return false
      }
      if (attempt.ended) return false
      this.#adoptBlockId(attempt)
      attempt.sinceEvent = attempt.dispatched ? 0 : attempt.sinceEvent + bytes.length
      if (attempt.sinceEvent > noEventLimit) {
        this.#end(attempt, { kind: 'no-event', bytes: noEventLimit })
        return false
      }
      return true
    }
  }

  #whenResumed(): Promise<void> {
    return new Promise<void>((resolve) => this.#resumeWaiters.push(resolve))
  }

  /**
   * After each chunk: an `id:` in a block without data (HTML standard 9.2.6) moves the last event
   * ID string and the resume position, though no event carries it yet.
   */
  #adoptBlockId(attempt: Attempt): void {
    const id = attempt.idField
    if (id === null || id === attempt.idAtLastEvent || id === attempt.adopted) return
    if (this.#config.resumeQuery || this.#config.ignoreEventIds) return
    attempt.adopted = id
    this.#idString = id
    if (isResumeId(id) && id !== this.#lastEventId) {
      this.#lastEventId = id
      this.#deps.onPosition?.(id)
    }
  }

  #onMessage(attempt: Attempt, message: EventSourceMessage): void {
    if (attempt !== this.#current || attempt.ended) return
    attempt.dispatched = true
    const data = message.data
    const type = message.event ?? 'message'
    // The parser only bounds data buffered across chunks; an event that arrives whole in one
    // chunk is checked here, so the limit holds however the bytes were split.
    if (data.length > this.#maxEventSize) {
      this.#end(attempt, { kind: 'oversize', limit: this.#maxEventSize })
      return
    }
    // The event had an id of its own exactly when the connection's last `id:` field changed
    // since the last event (a data-less block's id counts: it sets the standard's string too).
    // No `id:` yet on this connection: the string is still the one from before (earlier
    // connections, the stored id).
    // (Known limit: an id-only block that repeats an id delivered on an earlier connection makes
    // the id-less event after it look like a re-send of that event; no real server does this.)
    let ownId = false
    let id: string
    if (attempt.idField === null) id = this.#idString
    else {
      id = attempt.idField
      if (id !== attempt.idAtLastEvent) {
        attempt.idAtLastEvent = id
        this.#idString = id
        ownId = true
      }
    }
    const resume = this.#config.resumeQuery
    if (resume) {
      const position =
        resume.eventTypes && !resume.eventTypes.includes(type)
          ? null
          : resumePosition(data, resume.field)
      if (position !== null && isResumeId(position)) {
        if (this.#seen.has(position)) return
        this.#seen.add(position)
        this.#lastEventId = id = position
      }
    } else if (this.#config.ignoreEventIds) {
      id = ''
    } else if (ownId) {
      if (id !== '') {
        const key = seenKey(id)
        if (this.#seen.has(key)) return // re-sent after a reconnect: already delivered
        this.#seen.add(key)
      }
      // An id that cannot go into a header is delivered, but the position stays where it was.
      if (isResumeId(id)) this.#lastEventId = id
    }
    this.#attemptCount = 0
    attempt.delivered = true
    const delivered: FeedEvent = {
      feedId: this.#config.id,
      type,
      data,
      id,
      receivedAt: this.#deps.now(),
    }
    if (id !== this.#lastEventId && !resume && !this.#config.ignoreEventIds)
      delivered.resumeId = this.#lastEventId
    this.#deps.onEvent(delivered)
  }

  #end(attempt: Attempt, outcome: Outcome): void {
    if (attempt !== this.#current || attempt.ended || this.#disposed) return
    this.#closeAttempt()
    if (outcome.kind === 'resume-refused') {
      // The server (or our own HTTP stack) will not take this id: start over without it.
      this.#lastEventId = ''
      this.#idString = ''
      this.#deps.onPosition?.('')
    }
    const decision = decideReconnect(outcome, {
      attempt: this.#attemptCount + 1,
      serverRetryMs: this.#serverRetryMs,
      oneShot: this.#config.streamEndMeansFinished === true,
      random: this.#deps.random,
    })
    const facts = decision.action !== 'stop' && decision.facts ? { facts: decision.facts } : {}
    if (decision.action === 'stop') {
      this.#setState({ kind: 'stopped', reason: decision.reason })
    } else if (decision.action === 'fail') {
      this.#setState(
        decision.status === undefined
          ? { kind: 'failed', reason: decision.reason, ...facts }
          : { kind: 'failed', reason: decision.reason, status: decision.status, ...facts },
      )
    } else {
      this.#attemptCount++
      this.#setState({
        kind: 'reconnecting',
        attempt: this.#attemptCount,
        delayMs: decision.delayMs,
        reason: decision.reason,
        ...facts,
      })
      // A state listener may have disposed of the feed (the CLI giving up): schedule nothing.
      if (this.#disposed) return
      this.#reconnectTimer = setTimeout(() => this.#connect(), decision.delayMs)
    }
  }

  #closeAttempt(): void {
    const attempt = this.#current
    clearTimeout(this.#idleTimer)
    if (!attempt) return
    attempt.ended = true
    this.#current = null
    attempt.controller.abort()
  }

  /** One timer per connection, re-armed lazily: activity only updates a timestamp. */
  #armIdleTimer(attempt: Attempt): void {
    const idleMs = this.#config.idleTimeoutMs ?? FEED_DEFAULTS.idleTimeoutMs
    if (idleMs <= 0) return
    const check = (): void => {
      if (attempt !== this.#current || attempt.ended) return
      const quietFor = this.#deps.now() - this.#lastByteAt
      if (this.#paused || quietFor < idleMs) {
        this.#idleTimer = setTimeout(check, this.#paused ? idleMs : idleMs - quietFor)
        return
      }
      // Timers run before I/O in Node's loop: after a stall (a loaded machine, a long GC) bytes
      // that arrived meanwhile are read only later in this turn. Judge once they have been.
      setImmediate(verdict)
    }
    const verdict = (): void => {
      if (attempt !== this.#current || attempt.ended) return
      if (this.#paused || this.#deps.now() - this.#lastByteAt < idleMs) return check()
      this.#end(attempt, { kind: 'idle', idleMs, beforeResponse: !attempt.responded })
    }
    this.#idleTimer = setTimeout(check, idleMs)
  }

  /** The feed URL, plus the resume position for feeds that resume by query parameter. */
  #requestUrl(): string {
    const resume = this.#config.resumeQuery
    if (!resume || this.#lastEventId === '') return this.#config.url
    const url = new URL(this.#config.url)
    url.searchParams.set(resume.param, this.#lastEventId)
    return url.href
  }

  #setState(state: FeedState): void {
    this.#state = state
    this.#deps.onState(state)
  }
}

/**
 * A response the engine is done with before its body (an error status, a wrong content type, a
 * redirect not followed): the body is let go, so its connection is not held open by bytes nobody
 * reads.
 */
function letGo(response: FeedResponse): null {
  void response.body?.cancel().catch(() => {})
  return null
}

function networkOutcome(reason: string, error: unknown): Outcome {
  const code = networkErrorCode(error)
  return code ? { kind: 'network', reason, code } : { kind: 'network', reason }
}

/** At most this much of a refusal's body is read, for at most this long. */
const MESSAGE_BYTES = 4096
const MESSAGE_WAIT_MS = 2000
const MESSAGE_CHARS = 200
// eslint-disable-next-line no-control-regex -- control characters are never shown
const CONTROLS = /[\u0000-\u001f\u007f]+/g

/**
 * What a server says in the body of a refusal (401, 403): a JSON `error` (or its `message`) or
 * `message`, else the first 200 characters of a plain-text body. Read once per refused
 * connection, never on the stream's path.
 */
async function readServerMessage(response: FeedResponse): Promise<string | undefined> {
  const body = response.body
  if (!body) return undefined
  const type = (response.headers.get('content-type') ?? '').toLowerCase()
  const json = type.includes('json')
  if (!json && !type.startsWith('text/plain') && type !== '') {
    void body.cancel().catch(() => {})
    return undefined
  }
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  const timer = setTimeout(() => void reader.cancel().catch(() => {}), MESSAGE_WAIT_MS)
  try {
    while (size < MESSAGE_BYTES) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.length
    }
  } catch {
    // A body that broke off: what arrived is still the server's words.
  } finally {
    clearTimeout(timer)
    void reader.cancel().catch(() => {})
  }
  const bytes = new Uint8Array(Math.min(size, MESSAGE_BYTES))
  let at = 0
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - at)
    bytes.set(part, at)
    at += part.length
  }
  const text = new TextDecoder().decode(bytes)
  const said = json ? jsonMessage(text) : text
  const clean = said?.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim()
  if (!clean) return undefined
  return clean.length > MESSAGE_CHARS ? `${clean.slice(0, MESSAGE_CHARS - 1)}…` : clean
}

function jsonMessage(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as unknown
    if (!value || typeof value !== 'object') return undefined
    const { error, message } = value as Record<string, unknown>
    if (typeof error === 'string' && error.trim() !== '') return error
    if (error && typeof error === 'object') {
      const inner = (error as Record<string, unknown>).message
      if (typeof inner === 'string' && inner.trim() !== '') return inner
    }
    return typeof message === 'string' && message.trim() !== '' ? message : undefined
  } catch {
    return undefined
  }
}

/** Where a redirect leads, or why it is not followed. */
function nextHop(
  response: FeedResponse,
  from: URL,
  visited: ReadonlySet<string>,
  followed: number,
): URL | Extract<Outcome, { kind: 'redirect' }> {
  let next: URL | null = null
  try {
    const location = response.headers.get('location')
    if (location !== null) next = new URL(location, from)
  } catch {
    next = null
  }
  if (next === null || (next.protocol !== 'http:' && next.protocol !== 'https:'))
    return {
      kind: 'redirect',
      status: response.status,
      reason: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} without a Location to go to`,
    }
  if (from.protocol === 'https:' && next.protocol === 'http:')
    return { kind: 'redirect', reason: `redirected from https to http (refused): ${next.origin}` }
  if (visited.has(next.href))
    return { kind: 'redirect', reason: `redirect loop: ${next.href} again` }
  if (followed >= MAX_REDIRECTS)
    return {
      kind: 'redirect',
      reason: `too many redirects (more than ${MAX_REDIRECTS}), the last to ${next.href}`,
    }
  return next
}

/** The feed's trusted certificate, for the host in its URL. */
function trustContext(config: FeedConfig): RequestContext | undefined {
  if (!config.trustedCertSha256) return undefined
  try {
    const host = new URL(config.url).hostname.replace(/^\[|\]$/g, '')
    return { trust: { host, sha256: config.trustedCertSha256 } }
  } catch {
    return undefined
  }
}

/** A top-level string (or number) field of JSON object data, or null. */
function resumePosition(data: string, field: string): string | null {
  if (data.charCodeAt(0) !== 0x7b /* { */) return null
  try {
    const value: unknown = (JSON.parse(data) as Record<string, unknown>)[field]
    if (typeof value === 'string' && value !== '') return value
    return typeof value === 'number' && Number.isFinite(value) ? String(value) : null
  } catch {
    return null
  }
}

function utf8ToByteString(value: string): string {
  let bytes = ''
  for (const byte of new TextEncoder().encode(value)) bytes += String.fromCharCode(byte)
  return bytes
}
