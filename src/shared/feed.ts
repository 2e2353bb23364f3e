// Types of the feed engine, shared by main, preload, renderer and the CLI.

export type FeedId = string

/** How a feed's events turn into notifications (see src/main/notify). */
export type NotifyMode = 'smart' | 'all' | 'none' | { types: string[] }

/** What the engine needs to run one feed. Header values are in clear here (decrypted by the app). */
export interface FeedConfig {
  id: FeedId
  name: string
  url: string
  /** Extra request headers, validated: no CR, LF or NUL, token names. */
  headers?: Record<string, string>
  /** Disabled feeds are kept but not connected (state `stopped`, reason `disabled`). */
  enabled?: boolean
  /** No byte for this long means a dead connection. Default 120 000 ms; 0 turns it off. */
  idleTimeoutMs?: number
  /** Largest event accepted, in characters after UTF-8 decoding. Default 1 MiB. */
  maxEventSize?: number
  /** Resume from this id on the first request (the id persisted from a previous run). */
  lastEventId?: string
  /** One-shot stream: a clean end of the body means the job is finished, not "reconnect". */
  streamEndMeansFinished?: boolean
  /**
   * Resume by URL instead of Last-Event-ID, for servers whose events carry no `id:` line (ntfy):
   * the resume position is the JSON `field` of the last event's data, sent back as `?param=`.
   * It is what lastEventId holds and persists for such a feed. With `eventTypes`, only events of
   * those SSE types carry a position (ntfy's `open`/`keepalive` have random ids of their own).
   */
  resumeQuery?: { param: string; field: string; eventTypes?: readonly string[] }
  /**
   * The server's ids are not positions (smee.io numbers events per connection from 0): never
   * sent back, never used to drop re-sent events; events are delivered with an empty id.
   */
  ignoreEventIds?: boolean
  /**
   * SHA-256 fingerprint ("AB:CD:…") of a self-signed certificate the user trusts for this feed's
   * host: checked in this feed's own TLS handshakes only.
   */
  trustedCertSha256?: string
}

/** One Server-Sent Event as delivered by the engine, whatever its type. */
export interface FeedEvent {
  feedId: FeedId
  /** The `event:` field, or "message". */
  type: string
  data: string
  /**
   * The event's last event ID as the HTML standard defines it: its own `id:`, else the one before
   * it (on earlier connections too); an empty `id:` resets it.
   */
  id: string
  /**
   * The feed's resume position after this event, when it is not `id`: an id that cannot go into
   * a Last-Event-ID header (a control character, over 1 KiB) is never one. Absent otherwise.
   */
  resumeId?: string
  /** Epoch milliseconds. */
  receivedAt: number
}

/**
 * What is known about why a connection failed, beside the reason's technical words: what the
 * plain words for a person are made from (src/shared/feed-problem.ts).
 */
export interface FailureFacts {
  /** How the connection ended (the reconnect policy's outcome kinds). */
  kind:
    | 'network'
    | 'idle'
    | 'http'
    | 'content-type'
    | 'oversize'
    | 'no-event'
    | 'redirect'
    | 'resume-refused'
  /** The system's error code, the root cause's: ECONNREFUSED, ENOTFOUND, DEPTH_ZERO_SELF_SIGNED_CERT… */
  code?: string
  /** The HTTP status of the answer. */
  status?: number
  /** What the server said (401, 403): a JSON `error` or `message`, or the start of its text. */
  serverMessage?: string
}

export type FeedState =
  | { kind: 'connecting' }
  | { kind: 'open' }
  | { kind: 'reconnecting'; attempt: number; delayMs: number; reason: string; facts?: FailureFacts }
  | { kind: 'stopped'; reason: string }
  | { kind: 'failed'; reason: string; status?: number; facts?: FailureFacts }

export type FeedStateKind = FeedState['kind']

export interface FeedStateChange {
  feedId: FeedId
  state: FeedState
  /** Epoch milliseconds. */
  at: number
}

export const FEED_DEFAULTS = {
  idleTimeoutMs: 120_000,
  maxEventSize: 1024 * 1024,
} as const
