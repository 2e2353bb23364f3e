// Hold and digest: while notifications are held (paused, quiet hours) they gather into one
// digest, told when the hold ends, as itself when it holds only one. Feed-down alerts that came
// due meanwhile are added then, for the feeds still down.
import { MAX_BODY, MAX_TITLE, plainText, plural } from '../../shared/decide/text.ts'
import { Bucket } from './bucket.ts'
import { holdEndsAt, holdReason, type HoldReason } from './hold.ts'
import { Timer } from './timer.ts'
import type { CenterContext, OutgoingNotification } from './types.ts'

/** The alerts another stage held back until the hold ends (feed health). */
export interface HeldAlerts {
  pending(): boolean
  /** The alerts still due, marked as told. */
  release(): OutgoingNotification[]
}

export class HoldDigest {
  readonly #context: Pick<CenterContext, 'now' | 'policy' | 'key' | 'name' | 'show'>
  readonly #recheckMs: number
  readonly #alerts: HeldAlerts
  readonly #timer = new Timer()
  #digest: { bucket: Bucket; reason: HoldReason } | null = null

  /** The hold's end is re-checked at least every `recheckMs` (pause until resumed, clock moves). */
  constructor(
    context: Pick<CenterContext, 'now' | 'policy' | 'key' | 'name' | 'show'>,
    recheckMs: number,
    alerts: HeldAlerts,
  ) {
    this.#context = context
    this.#recheckMs = recheckMs
    this.#alerts = alerts
  }

  /** Why notifications are held now, or null when they are not. */
  reason(now = this.#context.now()): HoldReason | null {
    return holdReason(now, this.#context.policy())
  }

  /** Into the digest; `weight` > 1 for a summary standing for several. */
  hold(notification: OutgoingNotification, reason: HoldReason, weight = 1): void {
    this.#digest ??= { bucket: new Bucket(), reason }
    this.#digest.bucket.add({ ...notification, urgent: false }, weight)
    this.watch()
  }

  /** Notices the center makes up (summaries, feed notices) wait while held; urgent ones do not. */
  showUnlessHeld(notification: OutgoingNotification, weight = 1): void {
    const held = notification.urgent ? null : this.reason()
    if (held) this.hold(notification, held, weight)
    else this.#context.show(notification)
  }

  /** Something is held: re-check when the hold may end. */
  watch(): void {
    const now = this.#context.now()
    const endsAt = holdEndsAt(now, this.#context.policy())
    const delay = endsAt === null ? this.#recheckMs : Math.min(this.#recheckMs, endsAt - now)
    this.#timer.set(delay, () => this.check())
  }

  /** Tells the digest if the hold is over (also after a policy change). */
  check(): void {
    const alerts = this.#alerts.pending()
    if (!this.#digest && !alerts) {
      this.#timer.clear()
      return
    }
    if (this.reason()) {
      this.watch()
      return
    }
    this.#timer.clear()
    const digest = this.#digest ?? { bucket: new Bucket(), reason: 'paused' as HoldReason }
    this.#digest = null
    // Feeds still down when the hold ends are told now; those that recovered meanwhile are not.
    if (alerts) for (const alert of this.#alerts.release()) digest.bucket.add(alert)
    const bucket = digest.bucket
    const single = bucket.single()
    if (single) {
      this.#context.show(single)
      return
    }
    const when = digest.reason === 'quiet' ? 'during quiet hours' : 'while paused'
    const feeds = [...bucket.byFeed()]
      .filter((entry): entry is [string, number] => entry[0] !== null)
      .map(([feedId, count]) => `${this.#context.name(feedId)} ${count}`)
      .join(', ')
    const notification: OutgoingNotification = {
      key: this.#context.key('digest', null),
      feedId: null,
      kind: 'digest',
      title: plainText(`${plural(bucket.count, 'notification')} ${when}`, MAX_TITLE),
      body: plainText(`${feeds ? `${feeds}. ` : ''}${bucket.titlesPhrase()}`, MAX_BODY),
    }
    const seq = bucket.eventSeq()
    if (seq !== undefined) notification.eventSeq = seq
    this.#context.show(notification)
  }

  dispose(): void {
    this.#timer.clear()
    this.#digest = null
  }
}
