// The notification policy between decisions and the screen: dedupe, snooze, quiet hours and
// pause (held into one digest), the catch-up burst after a (re)connect (one summary), flood
// control per feed (one summary per minute), task durations, disconnect alerts and the
// "finished" notice of one-shot feeds. Plain Node: the app passes `show` and draws nothing here.
import type { FeedState, FeedStateChange } from '../../shared/feed.ts'
import type { LoggedEvent, TaskView } from '../../shared/ipc.ts'
import type { NotificationDecision } from '../../shared/notification.ts'
import type { FieldMapping } from '../../shared/settings.ts'
import { Bucket } from './bucket.ts'
import { BoundedSet, eventKey } from './dedupe.ts'
import { readEventFields } from '../../shared/decide/fields.ts'
import { holdEndsAt, holdReason, type HoldReason } from './hold.ts'
import { TaskTracker } from './tasks.ts'
import {
  MAX_BODY,
  MAX_TITLE,
  formatDuration,
  plainText,
  plural,
  truncate,
} from '../../shared/decide/text.ts'
import { Timer } from './timer.ts'
import type { NotifyPolicy, OutgoingNotification } from './types.ts'

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
  /** Share the app's tracker so the task list and durations agree; one is made otherwise. */
  tasks?: TaskTracker
  /** A feed's field mapping, for reading titles out of its events. */
  mapping?(feedId: string): FieldMapping | undefined
  timing?: CenterTiming
}

/** The engine may mark events of the first burst after a (re)connect. */
export type CenterEvent = LoggedEvent & { replay?: boolean }

type DownAlert = 'none' | 'held' | 'shown'

interface FeedTrack {
  id: string
  state: FeedState['kind'] | null
  catchUp: { until: number; hardUntil: number; bucket: Bucket } | null
  catchUpTimer: Timer
  flood: { windowStart: number; shown: number; bucket: Bucket } | null
  floodTimer: Timer
  downSince: number | null
  downReason: string | null
  downAlert: DownAlert
  downTimer: Timer
  /** The current run, from the first `open` until `stopped`, for the "finished" notice. */
  runStartedAt: number | null
  runEvents: number
  runLastTitle: string | null
  runTaskNotified: boolean
}

const DEDUPE_LIMIT = 10_000
/** Feeds the center remembers state for; far above the settings' limit of 500. */
const FEED_LIMIT = 2_000

export class NotificationCenter {
  readonly #deps: CenterDeps
  readonly #tasks: TaskTracker
  readonly #timing: Required<CenterTiming>
  readonly #feeds = new Map<string, FeedTrack>()
  readonly #seen = new BoundedSet(DEDUPE_LIMIT)
  #digest: { bucket: Bucket; reason: HoldReason } | null = null
  readonly #holdTimer = new Timer()
  #serial = 0
  #disposed = false

  constructor(deps: CenterDeps) {
    this.#deps = deps
    this.#tasks =
      deps.tasks ??
      new TaskTracker({
        mapping: (feedId) => deps.mapping?.(feedId),
        now: () => deps.now(),
      })
    this.#timing = {
      catchUpWindowMs: deps.timing?.catchUpWindowMs ?? 1500,
      catchUpGapMs: deps.timing?.catchUpGapMs ?? 500,
      catchUpMaxMs: deps.timing?.catchUpMaxMs ?? 10_000,
      floodWindowMs: deps.timing?.floodWindowMs ?? 60_000,
      holdRecheckMs: deps.timing?.holdRecheckMs ?? 15 * 60_000,
    }
  }

  get tasks(): TaskTracker {
    return this.#tasks
  }

  /** An event with its decision (`event.notification`); null decisions are only counted. */
  onEvent(event: CenterEvent): void {
    if (this.#disposed) return
    const now = this.#deps.now()
    const track = this.#track(event.feedId)
    const fields = readEventFields(event.data, this.#deps.mapping?.(event.feedId))
    const task = this.#tasks.observe(event, fields)
    const decision = event.notification

    track.runEvents += 1
    track.runLastTitle = decision?.title ?? fields.title ?? null
    if (decision?.kind === 'task-completed' || decision?.kind === 'task-failed')
      track.runTaskNotified = true
    this.#extendCatchUp(track, now, event.replay === true)

    if (!decision || !this.#seen.add(eventKey(event))) return
    if (this.#snoozed(track.id, now)) return
    const notification = this.#fromEvent(event, decision, task)
    const policy = this.#deps.policy()
    const held = holdReason(now, policy)
    if (held) {
      if (decision.kind !== 'task-failed' || !policy.quietHours.failuresBreakThrough) {
        this.#hold(notification, held)
        return
      }
      notification.urgent = true
    }
    if (track.catchUp) track.catchUp.bucket.add(notification)
    else this.#deliver(track, notification)
  }

  /**
   * `resuming` says whether this connection asked the server to resume (it sent a last event
   * id): only then can the first burst be a replay of missed events. A fresh connection's first
   * events (a one-shot job streaming fast) notify as themselves. Unknown: treated as resuming.
   */
  onFeedState(change: FeedStateChange, resuming = true): void {
    if (this.#disposed) return
    const track = this.#track(change.feedId)
    const state = change.state
    const at = Number.isFinite(change.at) ? change.at : this.#deps.now()
    const previous = track.state
    track.state = state.kind
    switch (state.kind) {
      case 'open':
        if (previous === 'open') break // a repeated report, not a new connection
        track.runStartedAt ??= at
        this.#recovered(track)
        if (resuming) this.#startCatchUp(track)
        break
      case 'connecting':
      case 'reconnecting':
      case 'failed':
        this.#flushCatchUp(track)
        if (state.kind !== 'connecting') track.downReason = describeDown(state)
        if (track.downSince === null) {
          track.downSince = at
          this.#checkDown(track)
        }
        break
      case 'stopped':
        this.#flushCatchUp(track)
        // Stopped on purpose (disabled, removed, finished): not an outage to report.
        track.downTimer.clear()
        track.downSince = null
        track.downReason = null
        track.downAlert = 'none'
        if (state.reason === 'finished') this.#finished(track, at)
        track.runStartedAt = null
        track.runEvents = 0
        track.runLastTitle = null
        track.runTaskNotified = false
        break
    }
  }

  /** Events the user has already seen (e.g. the history loaded at start-up): if the server
   *  replays them, they are not notified or counted again. */
  markSeen(events: Iterable<Pick<LoggedEvent, 'feedId' | 'id' | 'seq' | 'type' | 'data'>>): void {
    for (const event of events) this.#seen.add(eventKey(event))
  }

  /** Call after policy changes (pause ended, quiet hours over, limits changed). */
  policyChanged(): void {
    if (this.#disposed) return
    this.#checkHold()
    for (const track of this.#feeds.values()) if (track.downSince !== null) this.#checkDown(track)
  }

  /** Forgets a removed feed: its timers, pending summaries and tasks. */
  forgetFeed(feedId: string): void {
    const track = this.#feeds.get(feedId)
    if (track) clearTimers(track)
    this.#feeds.delete(feedId)
    this.#tasks.forgetFeed(feedId)
  }

  dispose(): void {
    this.#disposed = true
    for (const track of this.#feeds.values()) clearTimers(track)
    this.#feeds.clear()
    this.#holdTimer.clear()
    this.#digest = null
    this.#seen.clear()
    if (!this.#deps.tasks) this.#tasks.dispose()
  }

  // --- events -------------------------------------------------------------------------------

  #fromEvent(
    event: LoggedEvent,
    decision: NotificationDecision,
    task: TaskView | null,
  ): OutgoingNotification {
    let title = decision.title
    let body = decision.body
    // Only when this very event ended the task and its start was seen.
    const ended = task !== null && task.lastSeq === event.seq && task.endedAt !== null ? task : null
    if (ended?.durationMs != null && decision.kind.startsWith('task-')) {
      const duration = formatDuration(ended.durationMs)
      const completed = decision.kind === 'task-completed'
      const verbAtEnd = completed
        ? /\b(completed|finished|done|succeeded)$/i
        : /\b(failed|cancelled|canceled|timed out)$/i
      const phrase = completed ? ` in ${duration}` : ` after ${duration}`
      if (verbAtEnd.test(title)) title = `${truncate(title, MAX_TITLE - phrase.length)}${phrase}`
      else body = `${completed ? 'Took' : 'Ran for'} ${duration}. ${body}`
    }
    const notification: OutgoingNotification = {
      key: `event:${event.feedId}:${event.seq}`,
      feedId: event.feedId,
      kind: decision.kind,
      title: plainText(title, MAX_TITLE),
      body: plainText(body, MAX_BODY),
      eventSeq: event.seq,
    }
    if (decision.url !== undefined) notification.url = decision.url
    if (decision.urgency !== undefined) notification.urgency = decision.urgency
    return notification
  }

  /** Flood control: at most N a minute per feed, the rest told as one summary at the end. */
  #deliver(track: FeedTrack, notification: OutgoingNotification, weight = 1): void {
    const now = this.#deps.now()
    const windowMs = this.#timing.floodWindowMs
    if (track.flood && now >= track.flood.windowStart + windowMs) {
      // The window is over even if its timer has not run yet: tell its summary first.
      track.floodTimer.clear()
      this.#endFlood(track)
    }
    track.flood ??= { windowStart: now, shown: 0, bucket: new Bucket() }
    const flood = track.flood
    const limit = Math.max(1, Math.floor(this.#deps.policy().rateLimitPerMinute) || 1)
    if (flood.shown < limit) {
      flood.shown += 1
      this.#show(notification)
      return
    }
    flood.bucket.add(notification, weight)
    if (!track.floodTimer.pending)
      track.floodTimer.set(flood.windowStart + windowMs - now, () => this.#endFlood(track))
  }

  #endFlood(track: FeedTrack): void {
    const bucket = track.flood?.bucket
    track.flood = null
    if (!bucket || bucket.count === 0) return
    const title = `${bucket.count} more from ${this.#name(track.id)}`
    this.#showHeldAware(this.#summary(track.id, 'summary', title, bucket), bucket.count)
  }

  // --- catch-up -----------------------------------------------------------------------------

  #startCatchUp(track: FeedTrack): void {
    this.#flushCatchUp(track)
    const now = this.#deps.now()
    track.catchUp = {
      until: now + this.#timing.catchUpWindowMs,
      hardUntil: now + this.#timing.catchUpMaxMs,
      bucket: new Bucket(),
    }
    this.#scheduleCatchUp(track)
  }

  #extendCatchUp(track: FeedTrack, now: number, replay: boolean): void {
    if (!track.catchUp && replay) {
      // The engine says this is a replay although no `open` was seen: open a window now.
      this.#startCatchUp(track)
    }
    const catchUp = track.catchUp
    if (!catchUp) return
    if (now >= catchUp.until) {
      // The timer has not run yet (same tick): the window is over all the same.
      this.#flushCatchUp(track)
      return
    }
    catchUp.until = Math.min(
      catchUp.hardUntil,
      Math.max(catchUp.until, now + this.#timing.catchUpGapMs),
    )
  }

  #scheduleCatchUp(track: FeedTrack): void {
    const catchUp = track.catchUp
    if (!catchUp) return
    track.catchUpTimer.set(catchUp.until - this.#deps.now(), () => {
      if (track.catchUp && this.#deps.now() < track.catchUp.until) this.#scheduleCatchUp(track)
      else this.#flushCatchUp(track)
    })
  }

  /** Ends the catch-up window: one event notifies normally, more become one summary. */
  #flushCatchUp(track: FeedTrack): void {
    const catchUp = track.catchUp
    track.catchUp = null
    track.catchUpTimer.clear()
    if (!catchUp || catchUp.bucket.count === 0) return
    const single = catchUp.bucket.single()
    if (single) {
      this.#deliver(track, single)
      return
    }
    const bucket = catchUp.bucket
    const summary = this.#summary(
      track.id,
      'catch-up',
      `${bucket.count} missed while disconnected from ${this.#name(track.id)}`,
      bucket,
    )
    this.#deliver(track, summary, bucket.count)
  }

  // --- quiet hours and pause ----------------------------------------------------------------

  #hold(notification: OutgoingNotification, reason: HoldReason, weight = 1): void {
    this.#digest ??= { bucket: new Bucket(), reason }
    this.#digest.bucket.add({ ...notification, urgent: false }, weight)
    this.#scheduleHoldCheck()
  }

  /** Shows feed-level notices (and summaries that come due) unless notifications are held. */
  #showHeldAware(notification: OutgoingNotification, weight = 1): void {
    const held = notification.urgent ? null : holdReason(this.#deps.now(), this.#deps.policy())
    if (held) this.#hold(notification, held, weight)
    else this.#show(notification)
  }

  #scheduleHoldCheck(): void {
    const now = this.#deps.now()
    const endsAt = holdEndsAt(now, this.#deps.policy())
    const recheck = this.#timing.holdRecheckMs
    const delay = endsAt === null ? recheck : Math.min(recheck, endsAt - now)
    this.#holdTimer.set(delay, () => this.#checkHold())
  }

  #checkHold(): void {
    const heldDowns = [...this.#feeds.values()].filter((track) => track.downAlert === 'held')
    if (!this.#digest && heldDowns.length === 0) {
      this.#holdTimer.clear()
      return
    }
    if (holdReason(this.#deps.now(), this.#deps.policy())) {
      this.#scheduleHoldCheck()
      return
    }
    this.#holdTimer.clear()
    const digest = this.#digest ?? { bucket: new Bucket(), reason: 'paused' as HoldReason }
    this.#digest = null
    // Feeds still down when the hold ends are told now; those that recovered meanwhile are not.
    for (const track of heldDowns) {
      track.downAlert = 'shown'
      digest.bucket.add(this.#feedDown(track))
    }
    const bucket = digest.bucket
    const single = bucket.single()
    if (single) {
      this.#show(single)
      return
    }
    const when = digest.reason === 'quiet' ? 'during quiet hours' : 'while paused'
    const feeds = [...bucket.byFeed()]
      .filter(([feedId]) => feedId !== null)
      .map(([feedId, count]) => `${this.#name(feedId as string)} ${count}`)
      .join(', ')
    this.#show({
      key: this.#key('digest', null),
      feedId: null,
      kind: 'digest',
      title: plainText(`${plural(bucket.count, 'notification')} ${when}`, MAX_TITLE),
      body: plainText(`${feeds ? `${feeds}. ` : ''}${bucket.titlesPhrase()}`, MAX_BODY),
      ...seqOf(bucket),
    })
  }

  // --- feed health and one-shot runs --------------------------------------------------------

  #checkDown(track: FeedTrack): void {
    track.downTimer.clear()
    if (track.downSince === null || track.downAlert !== 'none') return
    const minutes = this.#deps.policy().disconnectAlertMinutes
    if (!(minutes > 0)) return
    const now = this.#deps.now()
    const dueAt = track.downSince + minutes * 60_000
    const snoozedUntil = this.#snoozedUntil(track.id, now)
    const waitUntil = Math.max(dueAt, snoozedUntil ?? 0)
    if (now < waitUntil) {
      track.downTimer.set(waitUntil - now, () => this.#checkDown(track))
      return
    }
    const held = holdReason(now, this.#deps.policy())
    if (held) {
      // Told in the digest if the feed is still down when the hold ends.
      track.downAlert = 'held'
      this.#scheduleHoldCheck()
      return
    }
    track.downAlert = 'shown'
    this.#show(this.#feedDown(track))
  }

  #feedDown(track: FeedTrack): OutgoingNotification {
    const now = this.#deps.now()
    const failed = track.state === 'failed'
    const since = formatDuration(now - (track.downSince ?? now))
    const reason = track.downReason
      ? ` ${failed ? 'Gave up' : 'Last error'}: ${track.downReason}.`
      : ''
    return {
      key: this.#key('feed-down', track.id),
      feedId: track.id,
      kind: 'feed-down',
      title: plainText(`${this.#name(track.id)} is disconnected`, MAX_TITLE),
      body: plainText(`No connection for ${since}.${reason}`, MAX_BODY),
    }
  }

  #recovered(track: FeedTrack): void {
    track.downTimer.clear()
    const downSince = track.downSince
    const alert = track.downAlert
    track.downSince = null
    track.downReason = null
    track.downAlert = 'none'
    if (alert !== 'shown' || downSince === null) return
    const now = this.#deps.now()
    if (this.#snoozed(track.id, now)) return
    this.#showHeldAware({
      key: this.#key('feed-up', track.id),
      feedId: track.id,
      kind: 'feed-up',
      title: plainText(`${this.#name(track.id)} is back`, MAX_TITLE),
      body: `Reconnected after ${formatDuration(now - downSince)}.`,
    })
  }

  #finished(track: FeedTrack, at: number): void {
    if (track.runTaskNotified || this.#snoozed(track.id, this.#deps.now())) return
    const ran =
      track.runStartedAt === null ? '' : `Ran ${formatDuration(at - track.runStartedAt)}. `
    const what = track.runLastTitle
      ? `Last: ${track.runLastTitle}`
      : `${plural(track.runEvents, 'event')} delivered.`
    this.#showHeldAware({
      key: this.#key('finished', track.id),
      feedId: track.id,
      kind: 'finished',
      title: plainText(`${this.#name(track.id)} finished`, MAX_TITLE),
      body: plainText(`${ran}${what}`, MAX_BODY),
    })
  }

  // --- helpers ------------------------------------------------------------------------------

  #summary(
    feedId: string,
    kind: 'summary' | 'catch-up',
    title: string,
    bucket: Bucket,
  ): OutgoingNotification {
    const summary: OutgoingNotification = {
      key: this.#key(kind, feedId),
      feedId,
      kind,
      title: plainText(title, MAX_TITLE),
      body: plainText(`${bucket.kindsPhrase()}: ${bucket.titlesPhrase()}`, MAX_BODY),
      ...seqOf(bucket),
    }
    if (bucket.urgent) summary.urgent = true
    return summary
  }

  #show(notification: OutgoingNotification): void {
    try {
      this.#deps.show(notification)
    } catch (error) {
      // The app's display failing must not break the policy's bookkeeping.
      console.error('tidings: showing a notification failed:', error)
    }
  }

  #track(feedId: string): FeedTrack {
    let track = this.#feeds.get(feedId)
    if (track) return track
    if (this.#feeds.size >= FEED_LIMIT) {
      const oldest = this.#feeds.values().next().value as FeedTrack
      clearTimers(oldest)
      this.#feeds.delete(oldest.id)
    }
    track = {
      id: feedId,
      state: null,
      catchUp: null,
      catchUpTimer: new Timer(),
      flood: null,
      floodTimer: new Timer(),
      downSince: null,
      downReason: null,
      downAlert: 'none',
      downTimer: new Timer(),
      runStartedAt: null,
      runEvents: 0,
      runLastTitle: null,
      runTaskNotified: false,
    }
    this.#feeds.set(feedId, track)
    return track
  }

  #name(feedId: string): string {
    const name = this.#deps.policy().feeds[feedId]?.name
    return plainText(typeof name === 'string' && name.trim() ? name : feedId, 60)
  }

  #snoozedUntil(feedId: string, now: number): number | null {
    const until = this.#deps.policy().feeds[feedId]?.snoozedUntil
    return typeof until === 'number' && now < until ? until : null
  }

  #snoozed(feedId: string, now: number): boolean {
    return this.#snoozedUntil(feedId, now) !== null
  }

  #key(kind: string, feedId: string | null): string {
    this.#serial += 1
    return `${kind}:${feedId ?? '*'}:${this.#serial}`
  }
}

function describeDown(state: FeedState): string | null {
  if (state.kind === 'failed') {
    const status = state.status
    return status !== undefined && !state.reason.includes(String(status))
      ? `${state.reason} (HTTP ${status})`
      : state.reason
  }
  return state.kind === 'reconnecting' ? state.reason : null
}

function seqOf(bucket: Bucket): { eventSeq?: number } {
  const seq = bucket.top().find((notification) => notification.eventSeq !== undefined)?.eventSeq
  return seq === undefined ? {} : { eventSeq: seq }
}

function clearTimers(track: FeedTrack): void {
  track.catchUpTimer.clear()
  track.floodTimer.clear()
  track.downTimer.clear()
}
