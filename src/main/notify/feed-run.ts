// One run of a feed, from its first open until it stops, for the notice that a one-shot feed
// (a job's stream) finished: how long it ran and what it said last, unless one of its events
// already told how the task ended.
import type { NotificationDecision } from '../../shared/notification.ts'
import type { FieldMapping } from '../../shared/settings.ts'
import type { EventReading } from '../../shared/decide/reading.ts'
import { MAX_BODY, MAX_TITLE, formatDuration, plainText, plural } from '../../shared/decide/text.ts'
import type { HoldDigest } from './digest.ts'
import type { CenterContext } from './types.ts'

export class FeedRun {
  readonly #feedId: string
  readonly #context: CenterContext
  readonly #hold: Pick<HoldDigest, 'showUnlessHeld'>
  readonly #mapping: () => FieldMapping | undefined
  #startedAt: number | null = null
  #events = 0
  #taskTold = false
  // The last event: its data is read for a title only if the run finishes (most never do).
  #lastTitle: string | null = null
  #lastReading: EventReading | null = null

  /** `mapping` is the feed's field mapping, for the last event's title. */
  constructor(
    feedId: string,
    context: CenterContext,
    hold: Pick<HoldDigest, 'showUnlessHeld'>,
    mapping: () => FieldMapping | undefined,
  ) {
    this.#feedId = feedId
    this.#context = context
    this.#hold = hold
    this.#mapping = mapping
  }

  opened(at: number): void {
    this.#startedAt ??= at
  }

  onEvent(decision: NotificationDecision | null, reading: EventReading): void {
    this.#events += 1
    this.#lastTitle = decision?.title ?? null
    this.#lastReading = reading
    if (decision?.kind === 'task-completed' || decision?.kind === 'task-failed')
      this.#taskTold = true
  }

  /** The stream ended as finished: "Build finished. Ran 3 min. Last: …" */
  finished(at: number): void {
    if (this.#taskTold) return
    if (this.#context.snoozedUntil(this.#feedId, this.#context.now()) !== null) return
    const ran = this.#startedAt === null ? '' : `Ran ${formatDuration(at - this.#startedAt)}. `
    const lastTitle =
      this.#lastTitle ?? this.#lastReading?.read(this.#mapping()).fields.title ?? null
    const what = lastTitle ? `Last: ${lastTitle}` : `${plural(this.#events, 'event')} delivered.`
    this.#hold.showUnlessHeld({
      key: this.#context.key('finished', this.#feedId),
      feedId: this.#feedId,
      kind: 'finished',
      title: plainText(`${this.#context.name(this.#feedId)} finished`, MAX_TITLE),
      body: plainText(`${ran}${what}`, MAX_BODY),
    })
  }

  /** The run is over (the feed stopped): the next open starts a new one. */
  reset(): void {
    this.#startedAt = null
    this.#events = 0
    this.#taskTold = false
    this.#lastTitle = null
    this.#lastReading = null
  }
}
