// "Test connection" in the feed form: the real engine, one connection with the feed's headers,
// reporting the first event (if one arrives soon) or exactly the failure the feed itself would
// show, then hanging up. No second parser or set of rules to drift from the engine's.
import type { FailureFacts, FeedConfig, FeedEvent, FeedState } from '../../shared/feed.ts'
import type { TestConnectionResult } from '../../shared/ipc.ts'
import type { NotificationDecision } from '../../shared/notification.ts'
import { FeedManager, type FetchLike } from '../feeds/index.ts'

export interface TestConnectionOptions {
  url: string
  headers: Record<string, string>
  fetch: FetchLike
  /** The form's trusted certificate: for this test's requests only. */
  trustedCertSha256?: string
  /** How long to wait for the response. Default 10 s. */
  connectTimeoutMs?: number
  /** How long to wait for a first event once connected. Default 3 s. */
  firstEventTimeoutMs?: number
  /** Largest event accepted while looking for the first one. Default 1 MiB. */
  maxBytes?: number
  /** How the feed's preset runs it (resume by query, ids that are no positions). */
  engine?: Pick<FeedConfig, 'resumeQuery' | 'ignoreEventIds'>
  /** Events the log would not show (a preset's health events: ntfy's open, keepalive). */
  skip?(event: FeedEvent): boolean
  /** The notification the feed would raise for an event. */
  decide?(event: FeedEvent): NotificationDecision | null
}

export async function testConnection(
  options: TestConnectionOptions,
): Promise<TestConnectionResult> {
  const engine = new FeedManager({ fetch: options.fetch })
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await new Promise<TestConnectionResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, error: `No answer within ${connectTimeoutMs / 1000} s.` }),
        connectTimeoutMs,
      )
      engine.on('event', (event) => {
        if (options.skip?.(event)) return
        const { type, data, id } = event
        const notification = options.decide ? { notification: options.decide(event) } : {}
        resolve({ ok: true, status: 200, event: { type, data, id, ...notification } })
      })
      engine.on('state', ({ state }) => {
        const result = resultOf(state)
        if (result) return resolve(result)
        if (state.kind === 'open') {
          clearTimeout(timer)
          timer = setTimeout(
            () => resolve({ ok: true, status: 200, event: null }),
            options.firstEventTimeoutMs ?? 3000,
          )
        }
      })
      engine.apply([
        {
          id: 'test',
          name: 'Test connection',
          url: options.url,
          headers: options.headers,
          maxEventSize: options.maxBytes ?? 1024 * 1024,
          idleTimeoutMs: 0,
          streamEndMeansFinished: true,
          ...options.engine,
          ...(options.trustedCertSha256 ? { trustedCertSha256: options.trustedCertSha256 } : {}),
        },
      ])
    })
  } finally {
    clearTimeout(timer)
    engine.dispose()
  }
}

/** The answer for a state that ends the test; null while the test goes on. */
function resultOf(state: FeedState): TestConnectionResult | null {
  switch (state.kind) {
    case 'failed':
      return failure(state.reason, state.status, state.facts)
    case 'reconnecting':
      // The feed would retry this; a test reports the first failure instead of waiting.
      return failure(state.reason, state.facts?.status, state.facts)
    case 'stopped':
      return state.reason === 'finished'
        ? { ok: true, status: 200, event: null }
        : failure(state.reason)
    default:
      return null
  }
}

function failure(reason: string, status?: number, facts?: FailureFacts): TestConnectionResult {
  const code = status ?? Number(/^HTTP (\d{3})\b/.exec(reason)?.[1] ?? NaN)
  return {
    ok: false,
    error: reason,
    ...(Number.isNaN(code) ? {} : { status: code }),
    ...(facts ? { facts } : {}),
  }
}
