// The reconnect policy: what to do after a connection ends, as a pure function.
// A notifier must outlast outages, so this is stricter than a browser's EventSource:
// it retries through 5xx/408/429 with backoff, but stops for good on what a retry cannot fix.
import type { FailureFacts } from '../../shared/feed.ts'

export const RETRY_DEFAULT_MS = 3_000
export const RETRY_MIN_MS = 250
export const RETRY_MAX_MS = 3_600_000
export const BACKOFF_BASE_MS = 1_000
export const BACKOFF_CAP_MS = 60_000
/** Longest wait a Retry-After header can impose; `reconnectNow()` always overrides it. */
export const RETRY_AFTER_MAX_MS = 86_400_000

/** How one connection ended. */
export type Outcome =
  /** A clean end; `delivered`: at least one event came on this connection. */
  | { kind: 'ended'; delivered: boolean }
  /** `code`: the system's error code of the root cause (ECONNREFUSED…), when it has one. */
  | { kind: 'network'; reason: string; code?: string }
  /** No byte for `idleMs`; `beforeResponse`: not even the response headers. */
  | { kind: 'idle'; idleMs: number; beforeResponse: boolean }
  | {
      kind: 'http'
      status: number
      statusText: string
      retryAfterMs: number | null
      /** What the server said about it (401, 403): a JSON error/message or the start of its text. */
      serverMessage?: string
      /** Set when a redirect led to another origin (the feed's headers stayed behind). */
      redirected?: { from: string; to: string }
    }
  | { kind: 'content-type'; contentType: string | null }
  | { kind: 'oversize'; limit: number }
  /** Bytes that never made a complete event (a gzip bomb, an endless comment). */
  | { kind: 'no-event'; bytes: number }
  /** A redirect that is not followed: a loop, too many, https to http, nowhere to go. */
  | { kind: 'redirect'; reason: string; status?: number }
  /** The request failed for a header we sent (HTTP 431, or refused before sending) with a resume id. */
  | { kind: 'resume-refused'; reason: string }

export type Decision =
  | { action: 'reconnect'; delayMs: number; reason: string; facts?: FailureFacts }
  | { action: 'stop'; reason: string }
  | { action: 'fail'; reason: string; status?: number; facts?: FailureFacts }

export interface PolicyContext {
  /** The attempt this reconnect would be (1 for the first after a success). */
  attempt: number
  /** The server's `retry:` value (ms) if it sent one on this feed. */
  serverRetryMs: number | null
  /** One-shot feed: a clean end of stream means the job is finished. */
  oneShot: boolean
  random: () => number
}

export function clampRetry(ms: number): number {
  return Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, ms))
}

/** Exponential backoff with full jitter (base 1 s, cap 60 s), for the given 1-based attempt. */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt - 1, 30))
  return Math.floor(random() * ceiling)
}

export function decideReconnect(outcome: Outcome, context: PolicyContext): Decision {
  const decision = decide(outcome, context)
  if (decision.action !== 'stop' && outcome.kind !== 'ended') decision.facts = factsOf(outcome)
  return decision
}

/** What the plain words for a person are made from (src/shared/feed-problem.ts). */
function factsOf(outcome: Exclude<Outcome, { kind: 'ended' }>): FailureFacts {
  switch (outcome.kind) {
    case 'network':
      return outcome.code ? { kind: 'network', code: outcome.code } : { kind: 'network' }
    case 'http':
      return {
        kind: 'http',
        status: outcome.status,
        ...(outcome.serverMessage ? { serverMessage: outcome.serverMessage } : {}),
      }
    case 'content-type':
      return { kind: 'content-type', status: 200 }
    case 'redirect':
      return outcome.status === undefined
        ? { kind: 'redirect' }
        : { kind: 'redirect', status: outcome.status }
    default:
      return { kind: outcome.kind }
  }
}

function decide(outcome: Outcome, context: PolicyContext): Decision {
  const serverRetry = context.serverRetryMs === null ? null : clampRetry(context.serverRetryMs)
  const backoff = (reason: string, retryAfterMs: number | null = null): Decision => ({
    action: 'reconnect',
    reason,
    delayMs: Math.max(
      backoffDelay(context.attempt, context.random),
      serverRetry ?? 0,
      retryAfterMs === null ? 0 : Math.min(retryAfterMs, RETRY_AFTER_MAX_MS),
    ),
  })

  switch (outcome.kind) {
    case 'ended': {
      if (context.oneShot) return { action: 'stop', reason: 'finished' }
      const retry = serverRetry ?? RETRY_DEFAULT_MS
      if (outcome.delivered) return { action: 'reconnect', reason: 'stream ended', delayMs: retry }
      // Accepted and closed with nothing to show, again and again: double the wait each time
      // (from the retry interval, with jitter), never sooner than the retry interval.
      const doubled = Math.min(BACKOFF_CAP_MS, retry * 2 ** Math.min(context.attempt - 1, 30))
      return {
        action: 'reconnect',
        reason: 'stream ended without an event',
        delayMs: Math.floor(Math.max(retry, doubled * (0.5 + context.random() / 2))),
      }
    }
    case 'network':
      return backoff(outcome.reason)
    case 'idle':
      return backoff(
        outcome.beforeResponse
          ? `no response from the server within ${formatSeconds(outcome.idleMs)}`
          : `no data for ${formatSeconds(outcome.idleMs)}`,
      )
    case 'no-event':
      return backoff(`${formatBytes(outcome.bytes)} of data without a complete event`)
    case 'redirect':
      return outcome.status === undefined
        ? { action: 'fail', reason: outcome.reason }
        : { action: 'fail', reason: outcome.reason, status: outcome.status }
    case 'resume-refused':
      // Once: the position is dropped, so the next request has no Last-Event-ID to refuse.
      return {
        action: 'reconnect',
        reason: `${outcome.reason}: trying once more without the resume position (Last-Event-ID)`,
        delayMs: 0,
      }
    case 'content-type':
      return {
        action: 'fail',
        status: 200,
        reason: outcome.contentType
          ? `unexpected Content-Type "${outcome.contentType.slice(0, 100)}" (expected text/event-stream)`
          : 'response has no Content-Type (expected text/event-stream)',
      }
    case 'oversize':
      return {
        action: 'fail',
        reason: `event larger than the limit of ${formatSize(outcome.limit)}`,
      }
    case 'http': {
      const label =
        `HTTP ${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ''}` +
        (outcome.redirected
          ? ` from ${outcome.redirected.to}, after a redirect (the feed’s headers are only sent to ${outcome.redirected.from})`
          : '')
      if (outcome.status === 204)
        return { action: 'stop', reason: `${label}: the server ended the feed` }
      if (outcome.status >= 500 || outcome.status === 408 || outcome.status === 429)
        return backoff(label, outcome.retryAfterMs)
      return { action: 'fail', reason: label, status: outcome.status }
    }
  }
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; null when absent or invalid. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null
  const text = value.trim()
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, RETRY_AFTER_MAX_MS)
  const date = Date.parse(text)
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return null
  return Math.min(Math.max(0, date - now), RETRY_AFTER_MAX_MS)
}

function formatSeconds(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

function formatBytes(bytes: number): string {
  return formatSize(bytes).replace('characters', 'bytes')
}

function formatSize(chars: number): string {
  if (chars % (1024 * 1024) === 0) return `${chars / (1024 * 1024)} MiB`
  if (chars % 1024 === 0) return `${chars / 1024} KiB`
  return `${chars} characters`
}
