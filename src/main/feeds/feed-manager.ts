// Owns one FeedConnection per configured feed and re-emits their events and state changes.
import { EventEmitter } from 'node:events'
import type {
  FeedConfig,
  FeedEvent,
  FeedId,
  FeedState,
  FeedStateChange,
} from '../../shared/feed.ts'
import { FeedConnection, type FetchLike } from './feed-connection.ts'

export interface FeedManagerOptions {
  /**
   * How requests are made: the app and the CLI pass the network module's (proxies, certificate
   * trust); the default is Node's own fetch.
   */
  fetch?: FetchLike
  now?: () => number
  random?: () => number
}

/** A feed's resume position moved without an event, or was dropped ('' ). */
export interface FeedPositionChange {
  feedId: FeedId
  lastEventId: string
}

export interface FeedManagerEvents {
  event: [FeedEvent]
  state: [FeedStateChange]
  position: [FeedPositionChange]
}

export class FeedManager extends EventEmitter<FeedManagerEvents> {
  readonly #connections = new Map<FeedId, FeedConnection>()
  readonly #fetch: FetchLike
  readonly #now: () => number
  readonly #random: () => number
  #paused = false

  constructor(options: FeedManagerOptions = {}) {
    super()
    this.#fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init))
    this.#now = options.now ?? Date.now
    this.#random = options.random ?? Math.random
  }

  /** Adds, removes and restarts only the feeds whose configuration changed. */
  apply(configs: readonly FeedConfig[]): void {
    const wanted = new Map(configs.map((config) => [config.id, config]))
    for (const [id, connection] of this.#connections) {
      if (!wanted.has(id)) {
        connection.dispose()
        this.#connections.delete(id)
      }
    }
    for (const config of configs) {
      const existing = this.#connections.get(config.id)
      if (existing && !connectionChanged(existing.config, config)) continue
      existing?.dispose()
      // A restarted feed on the same URL resumes where it was and remembers what it delivered.
      const sameStream = existing !== undefined && existing.config.url === config.url
      const resumed = sameStream ? { ...config, lastEventId: existing.lastEventId } : config
      const connection = new FeedConnection(
        resumed,
        {
          fetch: this.#fetch,
          now: this.#now,
          random: this.#random,
          onEvent: (event) => this.emit('event', event),
          onState: (state) => this.emit('state', { feedId: config.id, state, at: this.#now() }),
          onPosition: (lastEventId) => this.emit('position', { feedId: config.id, lastEventId }),
        },
        sameStream ? existing.seenIds : undefined,
      )
      this.#connections.set(config.id, connection)
      if (this.#paused) connection.pause()
      connection.start()
    }
  }

  /**
   * Without an id: every live feed connects afresh now (wake from sleep, network change).
   * With an id: that feed, also when failed or stopped (the user's "Reconnect now").
   */
  reconnectNow(feedId?: FeedId): void {
    if (feedId !== undefined) {
      this.#connections.get(feedId)?.reconnectNow(true)
      return
    }
    for (const connection of this.#connections.values()) connection.reconnectNow(false)
  }

  getState(feedId: FeedId): FeedState | undefined {
    return this.#connections.get(feedId)?.state
  }

  getLastEventId(feedId: FeedId): string | undefined {
    const id = this.#connections.get(feedId)?.lastEventId
    return id === '' ? undefined : id
  }

  /** The last event id (resume position) of each feed that has one, for the caller to persist. */
  lastEventIds(): Record<FeedId, string> {
    const ids: Record<FeedId, string> = {}
    for (const [feedId, connection] of this.#connections) {
      if (connection.lastEventId !== '') ids[feedId] = connection.lastEventId
    }
    return ids
  }

  /** Backpressure: stop reading from every socket until resume(). */
  pause(): void {
    this.#paused = true
    for (const connection of this.#connections.values()) connection.pause()
  }

  resume(): void {
    this.#paused = false
    for (const connection of this.#connections.values()) connection.resume()
  }

  dispose(): void {
    for (const connection of this.#connections.values()) connection.dispose()
    this.#connections.clear()
    this.removeAllListeners()
  }
}

/** Whether a config change needs a new connection (a rename does not). */
function connectionChanged(a: FeedConfig, b: FeedConfig): boolean {
  return (
    a.url !== b.url ||
    a.enabled !== b.enabled ||
    a.idleTimeoutMs !== b.idleTimeoutMs ||
    a.maxEventSize !== b.maxEventSize ||
    a.streamEndMeansFinished !== b.streamEndMeansFinished ||
    a.resumeQuery?.param !== b.resumeQuery?.param ||
    a.resumeQuery?.field !== b.resumeQuery?.field ||
    a.resumeQuery?.eventTypes?.join() !== b.resumeQuery?.eventTypes?.join() ||
    a.ignoreEventIds !== b.ignoreEventIds ||
    a.trustedCertSha256 !== b.trustedCertSha256 ||
    !sameHeaders(a.headers, b.headers)
  )
}

function sameHeaders(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}
