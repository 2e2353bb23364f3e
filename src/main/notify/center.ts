// The notification policy between decisions and the screen, as a pipeline of small stages:
//   event -> never twice (dedupe) -> snooze -> its notice (event-notice) -> hold and digest
//         -> catch-up after a (re)connect -> flood control per feed -> show
// and per feed, from its states: feed health (disconnect alerts) and the run of a one-shot feed
// (the "finished" notice). The summaries and notices the stages make up go through hold and
// digest before they are shown. Plain Node: the app passes `show` and draws nothing here.
import type { FeedState, FeedStateChange } from '../../shared/feed.ts'
import type { LoggedEvent, TaskView } from '../../shared/ipc.ts'
import type { FieldMapping } from '../../shared/settings.ts'
import { EventReading } from '../../shared/decide/reading.ts'
import { CatchUpWindow } from './catch-up.ts'
import { BoundedSet, eventKey } from './dedupe.ts'
import { HoldDigest } from './digest.ts'
import { eventNotice } from './event-notice.ts'
import { FeedHealth } from './feed-health.ts'
import { FeedRun } from './feed-run.ts'
import { FloodControl } from './flood.ts'
import { feedName, snoozedUntil } from './policy.ts'
import type { CenterContext, NotifyPolicy, OutgoingNotification } from './types.ts'

export type { NotifyPolicy, OutgoingKind, OutgoingNotification } from './types.ts'

export interface CenterTiming {
  /** After a feed opens, events within this long are the replayed catch-up. Default 1500. */
  catchUpWindowMs?: number
  /** The window stays open while events keep arriving within this gap. Default 500. */
  catchUpGapMs?: number
  /** ...but never longer than this after the open. Default 10 000. */
  catchUpMaxMs?: number
  /** Flood-control window. Default 60 000. */
  floodWindowMs?: number
  /** Held notifications are re-checked at least this often (pause until resumed, clock
   *  changes). Default 15 min. */
  holdRecheckMs?: number
}

export interface CenterDeps {
  show(notification: OutgoingNotification): void
  now(): number
  policy(): NotifyPolicy
  /** A feed's field mapping, for the title of a one-shot feed's last event. */
  mapping?(feedId: string): FieldMapping | undefined
  timing?: CenterTiming
}

/** What the caller already knows about an event, so nothing is worked out twice. */
export interface KnownAboutEvent {
  /** The task this event updated, as the app's tracker returned it (durations come from it). */
  task?: TaskView | null
  /** The event's data as decide() read it. */
  reading?: EventReading
}

interface FeedStages {
  state: FeedState['kind'] | null
  catchUp: CatchUpWindow
  flood: FloodControl
  health: FeedHealth
  run: FeedRun
}

const DEDUPE_LIMIT = 10_000
/** Feeds the center remembers state for; far above the settings' limit of 500. */
const FEED_LIMIT = 2_000

export class NotificationCenter {
  readonly #deps: CenterDeps
  readonly #context: CenterContext
  readonly #timing: Required<CenterTiming>
  readonly #feeds = new Map<string, FeedStages>()
  readonly #seen = new BoundedSet(DEDUPE_LIMIT)
  readonly #hold: HoldDigest
  #serial = 0
  #disposed = false

  constructor(deps: CenterDeps) {
    this.#deps = deps
    this.#timing = {
      catchUpWindowMs: deps.timing?.catchUpWindowMs ?? 1500,
      catchUpGapMs: deps.timing?.catchUpGapMs ?? 500,
      catchUpMaxMs: deps.timing?.catchUpMaxMs ?? 10_000,
      floodWindowMs: deps.timing?.floodWindowMs ?? 60_000,
      holdRecheckMs: deps.timing?.holdRecheckMs ?? 15 * 60_000,
    }
    this.#context = {
      now: () => deps.now(),
      policy: () => deps.policy(),
      key: (kind, feedId) => `${kind}:${feedId ?? '*'}:${++this.#serial}`,
      name: (feedId) => feedName(deps.policy(), feedId),
      snoozedUntil: (feedId, now) => snoozedUntil(deps.policy(), feedId, now),
      show: (notification) => {
        try {
          deps.show(notification)
        } catch (error) {
          // The app's display failing must not break the policy's bookkeeping.
          console.error('tidings: showing a notification failed:', error)
        }
      },
    }
    this.#hold = new HoldDigest(this.#context, this.#timing.holdRecheckMs, {
      pending: () => [...this.#feeds.values()].some((feed) => feed.health.alertHeld),
      release: () =>
        [...this.#feeds.values()]
          .filter((feed) => feed.health.alertHeld)
          .map((feed) => feed.health.releaseHeld()),
    })
  }

  /** An event with its decision (`event.notification`); null decisions are only counted. */
  onEvent(event: LoggedEvent, known: KnownAboutEvent = {}): void {
    if (this.#disposed) return
    const now = this.#deps.now()
    const feed = this.#stages(event.feedId)
    const decision = event.notification
    feed.run.onEvent(decision, known.reading ?? new EventReading(event.data))
    feed.catchUp.onEvent(now)

    if (!decision || !this.#seen.add(eventKey(event))) return
    if (this.#context.snoozedUntil(event.feedId, now) !== null) return
    const notification = eventNotice(event, decision, known.task ?? null)
    const held = this.#hold.reason(now)
    if (held) {
      const breaksThrough =
        decision.kind === 'task-failed' && this.#deps.policy().quietHours.failuresBreakThrough
      if (!breaksThrough) {
        this.#hold.hold(notification, held)
        return
      }
      notification.urgent = true
    }
    if (!feed.catchUp.hold(notification)) feed.flood.deliver(notification)
  }

  /**
   * `resuming` says whether this connection asked the server to resume (it sent a last event
   * id): only then can the first burst be a replay of missed events. A fresh connection's first
   * events (a one-shot job streaming fast) notify as themselves. Unknown: treated as resuming.
   */
  onFeedState(change: FeedStateChange, resuming = true): void {
    if (this.#disposed) return
    const feed = this.#stages(change.feedId)
    const state = change.state
    const at = Number.isFinite(change.at) ? change.at : this.#deps.now()
    const previous = feed.state
    feed.state = state.kind
    switch (state.kind) {
      case 'open':
        if (previous === 'open') break // a repeated report, not a new connection
        feed.run.opened(at)
        feed.health.up()
        if (resuming) feed.catchUp.start()
        break
      case 'connecting':
      case 'reconnecting':
      case 'failed':
        feed.catchUp.flush()
        feed.health.down(state, at)
        break
      case 'stopped':
        feed.catchUp.flush()
        feed.health.stopped()
        if (state.reason === 'finished') feed.run.finished(at)
        feed.run.reset()
        break
    }
  }

  /** Call after policy changes (pause ended, quiet hours over, limits changed). */
  policyChanged(): void {
    if (this.#disposed) return
    this.#hold.check()
    for (const feed of this.#feeds.values()) feed.health.recheck()
  }

  /** Forgets a removed feed: its timers and pending summaries. */
  forgetFeed(feedId: string): void {
    const feed = this.#feeds.get(feedId)
    if (feed) disposeStages(feed)
    this.#feeds.delete(feedId)
  }

  dispose(): void {
    this.#disposed = true
    for (const feed of this.#feeds.values()) disposeStages(feed)
    this.#feeds.clear()
    this.#hold.dispose()
    this.#seen.clear()
  }

  #stages(feedId: string): FeedStages {
    let feed = this.#feeds.get(feedId)
    if (feed) return feed
    if (this.#feeds.size >= FEED_LIMIT) {
      const [oldestId, oldest] = this.#feeds.entries().next().value as [string, FeedStages]
      disposeStages(oldest)
      this.#feeds.delete(oldestId)
    }
    const context = this.#context
    const hold = this.#hold
    const timing = this.#timing
    const flood = new FloodControl(feedId, context, timing.floodWindowMs, (summary, weight) =>
      hold.showUnlessHeld(summary, weight),
    )
    feed = {
      state: null,
      catchUp: new CatchUpWindow(
        feedId,
        context,
        {
          windowMs: timing.catchUpWindowMs,
          gapMs: timing.catchUpGapMs,
          maxMs: timing.catchUpMaxMs,
        },
        (notification, weight) => flood.deliver(notification, weight),
      ),
      flood,
      health: new FeedHealth(feedId, context, hold),
      run: new FeedRun(feedId, context, hold, () => this.#deps.mapping?.(feedId)),
    }
    this.#feeds.set(feedId, feed)
    return feed
  }
}

function disposeStages(feed: FeedStages): void {
  feed.catchUp.dispose()
  feed.flood.dispose()
  feed.health.dispose()
}
