// When `tidings tail` tries again after a failed try and when it gives up (exit 1). The engine
// retries everything a retry can mend, for as long as it takes; tail, run by a person or a script
// waiting on its exit code, gives up at once on what will not mend by itself (a rejected
// certificate, an unknown host, an HTTP 4xx), unless --retry asks it to keep trying.
import type { FeedState } from '../../shared/feed.ts'
import { isLastingFailure } from '../../shared/feed-problem.ts'

export type Verdict =
  /** A reconnect after a clean end, or the engine's own fix-up: not a failed try. */
  | { action: 'reconnect' }
  /** Try again; `count`: this failed try's number in a row. */
  | { action: 'retry'; count: number }
  /** Give up; `lasting`: a failure that retrying will not mend, given up without --retry. */
  | { action: 'give-up'; count: number; lasting: boolean }

export class Retries {
  readonly #limit: number | undefined
  #inARow = 0

  /** `limit`: failed tries in a row to retry (Infinity: all); undefined: the default rule. */
  constructor(limit: number | undefined) {
    this.#limit = limit
  }

  /** A connection opened: failed tries count from none again. */
  opened(): void {
    this.#inARow = 0
  }

  /** What to do after a reconnecting or failed state. */
  judge(state: Extract<FeedState, { kind: 'reconnecting' | 'failed' }>): Verdict {
    // The engine's own retry without the resume position is how it mends that failure.
    if (state.kind === 'reconnecting' && (!state.facts || state.facts.kind === 'resume-refused'))
      return { action: 'reconnect' }
    const count = ++this.#inARow
    const lasting = state.kind === 'failed' || isLastingFailure(state.reason, state.facts)
    const allowed = this.#limit ?? (lasting ? 0 : Infinity)
    if (count <= allowed) return { action: 'retry', count }
    return { action: 'give-up', count, lasting: lasting && this.#limit === undefined }
  }
}
