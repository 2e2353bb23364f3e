// Feed health: one feed-down alert once a feed has had no connection for the policy's minutes
// (after a snooze ends, at the latest; in the digest when notifications are held then), and one
// feed-up when it is back, if the alert was shown. A feed stopped on purpose is no outage.
import type { FeedState } from '../../shared/feed.ts'
import { MAX_BODY, MAX_TITLE, formatDuration, plainText } from '../../shared/decide/text.ts'
import type { HoldDigest } from './digest.ts'
import { Timer } from './timer.ts'
import type { CenterContext, OutgoingNotification } from './types.ts'

type DownState = Extract<FeedState, { kind: 'connecting' | 'reconnecting' | 'failed' }>

export class FeedHealth {
  readonly #feedId: string
  readonly #context: CenterContext
  readonly #hold: Pick<HoldDigest, 'reason' | 'watch' | 'showUnlessHeld'>
  readonly #timer = new Timer()
  #downSince: number | null = null
  #reason: string | null = null
  #failed = false
  #alert: 'none' | 'held' | 'shown' = 'none'

  constructor(
    feedId: string,
    context: CenterContext,
    hold: Pick<HoldDigest, 'reason' | 'watch' | 'showUnlessHeld'>,
  ) {
    this.#feedId = feedId
    this.#context = context
    this.#hold = hold
  }

  /** Its alert came due while notifications were held: told when the hold ends. */
  get alertHeld(): boolean {
    return this.#alert === 'held'
  }

  /** The feed lost its connection (or is still trying): the outage counts from the first. */
  down(state: DownState, at: number): void {
    this.#failed = state.kind === 'failed'
    if (state.kind !== 'connecting') this.#reason = describeDown(state)
    if (this.#downSince === null) {
      this.#downSince = at
      this.recheck()
    }
  }

  /** Connected again: a feed-up if the feed-down was shown. */
  up(): void {
    const downSince = this.#downSince
    const alert = this.#alert
    this.stopped()
    if (alert !== 'shown' || downSince === null) return
    const now = this.#context.now()
    if (this.#context.snoozedUntil(this.#feedId, now) !== null) return
    this.#hold.showUnlessHeld({
      key: this.#context.key('feed-up', this.#feedId),
      feedId: this.#feedId,
      kind: 'feed-up',
      title: plainText(`${this.#context.name(this.#feedId)} is back`, MAX_TITLE),
      body: `Reconnected after ${formatDuration(now - downSince)}.`,
    })
  }

  /** Stopped on purpose (disabled, removed, finished): not an outage to report. */
  stopped(): void {
    this.#timer.clear()
    this.#downSince = null
    this.#reason = null
    this.#alert = 'none'
  }

  /** Raises the alert if it is due now, else waits until it is (also after a policy change). */
  recheck(): void {
    this.#timer.clear()
    if (this.#downSince === null || this.#alert !== 'none') return
    const minutes = this.#context.policy().disconnectAlertMinutes
    if (!(minutes > 0)) return
    const now = this.#context.now()
    const dueAt = this.#downSince + minutes * 60_000
    const waitUntil = Math.max(dueAt, this.#context.snoozedUntil(this.#feedId, now) ?? 0)
    if (now < waitUntil) {
      this.#timer.set(waitUntil - now, () => this.recheck())
      return
    }
    if (this.#hold.reason(now)) {
      // Told in the digest if the feed is still down when the hold ends.
      this.#alert = 'held'
      this.#hold.watch()
      return
    }
    this.#alert = 'shown'
    this.#context.show(this.#notice())
  }

  /** The held alert, now that the hold is over (the feed is still down). */
  releaseHeld(): OutgoingNotification {
    this.#alert = 'shown'
    return this.#notice()
  }

  dispose(): void {
    this.#timer.clear()
  }

  #notice(): OutgoingNotification {
    const now = this.#context.now()
    const since = formatDuration(now - (this.#downSince ?? now))
    const reason = this.#reason
      ? ` ${this.#failed ? 'Gave up' : 'Last error'}: ${this.#reason}.`
      : ''
    return {
      key: this.#context.key('feed-down', this.#feedId),
      feedId: this.#feedId,
      kind: 'feed-down',
      title: plainText(`${this.#context.name(this.#feedId)} is disconnected`, MAX_TITLE),
      body: plainText(`No connection for ${since}.${reason}`, MAX_BODY),
    }
  }
}

function describeDown(state: DownState): string | null {
  if (state.kind === 'failed') {
    const status = state.status
    return status !== undefined && !state.reason.includes(String(status))
      ? `${state.reason} (HTTP ${status})`
      : state.reason
  }
  return state.kind === 'reconnecting' ? state.reason : null
}
