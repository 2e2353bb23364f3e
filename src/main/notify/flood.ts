// Flood control per feed: at most the policy's number of notifications a minute; the rest are
// told as one summary when the minute ends.
import { Bucket, bucketSummary } from './bucket.ts'
import { Timer } from './timer.ts'
import type { CenterContext, Deliver, OutgoingNotification } from './types.ts'

export class FloodControl {
  readonly #feedId: string
  readonly #context: Pick<CenterContext, 'now' | 'policy' | 'key' | 'name' | 'show'>
  readonly #windowMs: number
  readonly #summary: Deliver
  readonly #timer = new Timer()
  #window: { start: number; shown: number; bucket: Bucket } | null = null

  /** `summary` takes the summary of what a window held back (the policy may hold it too). */
  constructor(
    feedId: string,
    context: Pick<CenterContext, 'now' | 'policy' | 'key' | 'name' | 'show'>,
    windowMs: number,
    summary: Deliver,
  ) {
    this.#feedId = feedId
    this.#context = context
    this.#windowMs = windowMs
    this.#summary = summary
  }

  /** Shows the notification within the budget, or holds it back for the window's summary. */
  deliver(notification: OutgoingNotification, weight = 1): void {
    const now = this.#context.now()
    if (this.#window && now >= this.#window.start + this.#windowMs) {
      // The window is over even if its timer has not run yet: tell its summary first.
      this.#timer.clear()
      this.#end()
    }
    const window = (this.#window ??= { start: now, shown: 0, bucket: new Bucket() })
    const limit = Math.max(1, Math.floor(this.#context.policy().rateLimitPerMinute) || 1)
    if (window.shown < limit) {
      window.shown += 1
      this.#context.show(notification)
      return
    }
    window.bucket.add(notification, weight)
    if (!this.#timer.pending)
      this.#timer.set(window.start + this.#windowMs - now, () => this.#end())
  }

  /** Forgets the window and what it held back (the feed was removed). */
  dispose(): void {
    this.#timer.clear()
    this.#window = null
  }

  #end(): void {
    const bucket = this.#window?.bucket
    this.#window = null
    if (!bucket || bucket.count === 0) return
    const summary = bucketSummary(bucket, {
      key: this.#context.key('summary', this.#feedId),
      feedId: this.#feedId,
      kind: 'summary',
      title: `${bucket.count} more from ${this.#context.name(this.#feedId)}`,
    })
    this.#summary(summary, bucket.count)
  }
}
