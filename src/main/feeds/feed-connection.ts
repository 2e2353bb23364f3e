// One feed's connection: an `eventsource` EventSource per attempt, with our own reconnect
// policy around it. The package does the HTTP-standard stream parsing; we supply its `fetch`
// (request headers, resume id) and tap the response body to see how each connection ends.
import type { ReadableStreamReadResult } from 'node:stream/web'
import { EventSource } from 'eventsource'
import type { FeedConfig, FeedEvent, FeedState } from '../../shared/feed.ts'
import { FEED_DEFAULTS } from '../../shared/feed.ts'
import { LeadingBomGuard } from './byte-order-mark.ts'
import { isEventStreamContentType } from './content-type.ts'
import { describeNetworkError } from './network-error.ts'
import { decideReconnect, parseRetryAfter, type Outcome } from './reconnect-policy.ts'
import { RetryFieldScanner } from './retry-field-scanner.ts'
import { SeenIds } from './seen-ids.ts'

export type FetchLike = (url: string | URL, init: RequestInit) => Promise<Response>

export interface ConnectionDeps {
  fetch: FetchLike
  now: () => number
  random: () => number
  onEvent: (event: FeedEvent) => void
  onState: (state: FeedState) => void
}

/** An EventSource that hands every dispatched event to one sink: all SSE types, open and error. */
class TappedEventSource extends EventSource {
  sink: ((event: Event) => void) | null = null

  override dispatchEvent(event: Event): boolean {
    this.sink?.(event)
    return true
  }
}

interface Attempt {
  eventSource: TappedEventSource | null
  ended: boolean
  /** The last event id string seen on this connection, to tell events with an id of their own. */
  lastIdOnConnection: string
}

export class FeedConnection {
  readonly #config: FeedConfig
  readonly #deps: ConnectionDeps
  readonly #seen: SeenIds
  #lastEventId: string
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
    // A feed whose ids are no positions has nothing to resume from (an id stored before it was one).
    this.#lastEventId = config.ignoreEventIds ? '' : (config.lastEventId ?? '')
    this.#maxEventSize = config.maxEventSize ?? FEED_DEFAULTS.maxEventSize
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
  }

  resume(): void {
    if (!this.#paused) return
    this.#paused = false
    this.#lastByteAt = this.#deps.now()
    for (const wake of this.#resumeWaiters.splice(0)) wake()
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
    const attempt: Attempt = { eventSource: null, ended: false, lastIdOnConnection: '' }
    this.#current = attempt
    this.#lastByteAt = this.#deps.now()
    this.#armIdleTimer(attempt)
    const eventSource = new TappedEventSource(this.#requestUrl(), {
      fetch: (url, init) => this.#fetch(attempt, url, init as RequestInit),
      maxBufferSize: this.#maxEventSize,
    })
    eventSource.sink = (event) => this.#onDispatch(attempt, event)
    attempt.eventSource = eventSource
  }

  async #fetch(attempt: Attempt, url: string | URL, init: RequestInit): Promise<Response> {
    const headers: Record<string, string> = {
      ...this.#config.headers,
      ...(init.headers as Record<string, string>),
      'Cache-Control': 'no-cache',
    }
    delete headers['Last-Event-ID']
    // The standard sends the id as UTF-8 bytes; header strings are byte strings, so encode here.
    const resumesByHeader = !this.#config.resumeQuery && !this.#config.ignoreEventIds
    if (this.#lastEventId !== '' && resumesByHeader)
      headers['Last-Event-ID'] = utf8ToByteString(this.#lastEventId)

    let response: Response
    try {
      response = await this.#deps.fetch(url, { ...init, headers })
    } catch (error) {
      this.#end(attempt, { kind: 'network', reason: describeNetworkError(error) })
      throw error
    }
    if (attempt.ended) return response

    const contentType = response.headers.get('content-type')
    if (response.status !== 200) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#deps.now())
      this.#end(attempt, {
        kind: 'http',
        status: response.status,
        statusText: response.statusText,
        retryAfterMs,
      })
      return response
    }
    if (!isEventStreamContentType(contentType)) {
      this.#end(attempt, { kind: 'content-type', contentType })
      return response
    }
    return this.#tapBody(attempt, response)
  }

  /** Wraps the body reader: counts activity for the idle timeout, reads `retry:`, sees how it ends. */
  #tapBody(attempt: Attempt, response: Response): Response {
    const reader = response.body!.getReader()
    const bom = new LeadingBomGuard()
    let firstBytes = true
    const scanner = new RetryFieldScanner((ms) => {
      this.#serverRetryMs = ms
    })
    const read = async (): Promise<ReadableStreamReadResult<Uint8Array>> => {
      if (this.#paused) await new Promise<void>((resolve) => this.#resumeWaiters.push(resolve))
      let result: ReadableStreamReadResult<Uint8Array>
      try {
        result = await reader.read()
      } catch (error) {
        this.#end(attempt, { kind: 'network', reason: describeNetworkError(error) })
        throw error
      }
      // A read already under way when pause() came: hold its bytes, so no event is delivered
      // while paused.
      if (this.#paused) await new Promise<void>((resolve) => this.#resumeWaiters.push(resolve))
      if (result.done) {
        this.#end(attempt, { kind: 'ended' })
        return result
      }
      this.#lastByteAt = this.#deps.now()
      const bytes = bom.push(result.value)
      if (bytes === null) return read()
      scanner.feed(firstBytes && bom.bomLength > 0 ? bytes.subarray(bom.bomLength) : bytes)
      firstBytes = false
      return { done: false, value: bytes }
    }
    const body = { getReader: () => ({ read, cancel: () => reader.cancel() }) }
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      url: response.url,
      redirected: response.redirected,
      body,
    } as unknown as Response
  }

  #onDispatch(attempt: Attempt, event: Event): void {
    if (attempt !== this.#current || attempt.ended) return
    if (event instanceof MessageEvent) {
      this.#onMessage(attempt, event)
    } else if (event.type === 'open') {
      this.#setState({ kind: 'open' })
    } else if (event.type === 'error') {
      // Only failures we did not already see in fetch or the body reach here: an oversized event.
      const message = (event as Event & { message?: string }).message ?? ''
      this.#end(
        attempt,
        /max buffer size/i.test(message)
          ? { kind: 'oversize', limit: this.#maxEventSize }
          : { kind: 'network', reason: message || 'connection error' },
      )
    }
  }

  #onMessage(attempt: Attempt, event: MessageEvent): void {
    // Each getter of the platform's MessageEvent is a checked call: read each one once.
    const data = event.data as string
    let id = event.lastEventId
    // The parser only bounds data buffered across chunks; an event that arrives whole in one
    // chunk is checked here, so the limit holds however the bytes were split.
    if (data.length > this.#maxEventSize) {
      this.#end(attempt, { kind: 'oversize', limit: this.#maxEventSize })
      return
    }
    const resume = this.#config.resumeQuery
    if (resume) {
      const position =
        resume.eventTypes && !resume.eventTypes.includes(event.type)
          ? null
          : resumePosition(data, resume.field)
      if (position !== null) {
        if (this.#seen.has(position)) return
        this.#seen.add(position)
        this.#lastEventId = id = position
      }
    } else if (this.#config.ignoreEventIds) {
      id = ''
    } else if (id !== attempt.lastIdOnConnection) {
      // The package gives each event the last event ID *string*: an event carries an id of its
      // own exactly when that string changed (each connection starts from an empty one).
      attempt.lastIdOnConnection = id
      if (id !== '') {
        if (this.#seen.has(id)) return // re-sent after a reconnect: already delivered
        this.#seen.add(id)
      }
      this.#lastEventId = id
    }
    this.#attemptCount = 0
    this.#deps.onEvent({
      feedId: this.#config.id,
      type: event.type,
      data,
      id,
      receivedAt: this.#deps.now(),
    })
  }

  #end(attempt: Attempt, outcome: Outcome): void {
    if (attempt !== this.#current || attempt.ended || this.#disposed) return
    this.#closeAttempt()
    const decision = decideReconnect(outcome, {
      attempt: this.#attemptCount + 1,
      serverRetryMs: this.#serverRetryMs,
      oneShot: this.#config.streamEndMeansFinished === true,
      random: this.#deps.random,
    })
    if (decision.action === 'stop') {
      this.#setState({ kind: 'stopped', reason: decision.reason })
    } else if (decision.action === 'fail') {
      this.#setState(
        decision.status === undefined
          ? { kind: 'failed', reason: decision.reason }
          : { kind: 'failed', reason: decision.reason, status: decision.status },
      )
    } else {
      this.#attemptCount++
      this.#setState({
        kind: 'reconnecting',
        attempt: this.#attemptCount,
        delayMs: decision.delayMs,
        reason: decision.reason,
      })
      this.#reconnectTimer = setTimeout(() => this.#connect(), decision.delayMs)
    }
  }

  #closeAttempt(): void {
    const attempt = this.#current
    clearTimeout(this.#idleTimer)
    if (!attempt) return
    attempt.ended = true
    attempt.eventSource?.close()
    this.#current = null
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
      this.#end(attempt, { kind: 'idle', idleMs })
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
