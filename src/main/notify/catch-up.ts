// The catch-up after a (re)connect that resumes: the first burst is the server replaying what
// was missed while disconnected, so it is held back while it lasts and told as one summary (or
// as itself when it was only one). The window follows the burst: it stays open while events keep
// coming within a short gap, but never longer than a bound.
import { Bucket, bucketSummary } from './bucket.ts'
import { Timer } from './timer.ts'
import type { CenterContext, Deliver, OutgoingNotification } from './types.ts'

export interface CatchUpTiming {
  /** After a feed opens, events within this long are the replayed catch-up. */
  windowMs: number
  /** The window stays open while events keep arriving within this gap... */
  gapMs: number
  /** ...but never longer than this after the open. */
  maxMs: number
}

export class CatchUpWindow {
  readonly #feedId: string
  readonly #context: Pick<CenterContext, 'now' | 'key' | 'name'>
  readonly #timing: CatchUpTiming
  readonly #deliver: Deliver
  readonly #timer = new Timer()
  #window: { until: number; hardUntil: number; bucket: Bucket } | null = null

  /** `deliver` takes what the window held when it ends: one notification, or a summary. */
  constructor(
    feedId: string,
    context: Pick<CenterContext, 'now' | 'key' | 'name'>,
    timing: CatchUpTiming,
    deliver: Deliver,
  ) {
    this.#feedId = feedId
    this.#context = context
    this.#timing = timing
    this.#deliver = deliver
  }

  get open(): boolean {
    return this.#window !== null
  }

  /** The feed opened on a connection that may replay: a new window (ending any before it). */
  start(): void {
    this.flush()
    const now = this.#context.now()
    this.#window = {
      until: now + this.#timing.windowMs,
      hardUntil: now + this.#timing.maxMs,
      bucket: new Bucket(),
    }
    this.#schedule()
  }

  /** Any event of the feed, notifying or not, is part of the burst: it keeps the window open. */
  onEvent(now: number): void {
    const window = this.#window
    if (!window) return
    if (now >= window.until) {
      // The timer has not run yet (same tick): the window is over all the same.
      this.flush()
      return
    }
    window.until = Math.min(window.hardUntil, Math.max(window.until, now + this.#timing.gapMs))
  }

  /** Holds the notification back for the summary; false when no window is open. */
  hold(notification: OutgoingNotification): boolean {
    if (!this.#window) return false
    this.#window.bucket.add(notification)
    return true
  }

  /** Ends the window now: one held notification goes on as itself, more as one summary. */
  flush(): void {
    const window = this.#window
    this.#window = null
    this.#timer.clear()
    if (!window || window.bucket.count === 0) return
    const bucket = window.bucket
    const single = bucket.single()
    if (single) {
      this.#deliver(single)
      return
    }
    const summary = bucketSummary(bucket, {
      key: this.#context.key('catch-up', this.#feedId),
      feedId: this.#feedId,
      kind: 'catch-up',
      title: `${bucket.count} missed while disconnected from ${this.#context.name(this.#feedId)}`,
    })
    this.#deliver(summary, bucket.count)
  }

  /** Forgets the window and what it held (the feed was removed). */
  dispose(): void {
    this.#timer.clear()
    this.#window = null
  }

  #schedule(): void {
    const window = this.#window
    if (!window) return
    this.#timer.set(window.until - this.#context.now(), () => {
      if (this.#window && this.#context.now() < this.#window.until) this.#schedule()
      else this.flush()
    })
  }
}
