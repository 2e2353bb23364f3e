// The notification center's vocabulary, shared by its parts and by the app that shows them.
import type { NotificationKind, NotificationUrgency } from '../../shared/notification.ts'

export type OutgoingKind =
  NotificationKind | 'summary' | 'catch-up' | 'digest' | 'feed-down' | 'feed-up' | 'finished'

export interface OutgoingNotification {
  /** Unique per notification (dedupe, tracking clicks). */
  key: string
  feedId: string | null
  kind: OutgoingKind
  title: string
  body: string
  /** http(s) only: a click opens it in the browser. */
  url?: string
  /** A click without url opens the log at this event. */
  eventSeq?: number
  /** A failure that broke through quiet hours or pause. */
  urgent?: boolean
  /** The event's own urgency (a priority 5 ntfy message is critical, 1-2 low). */
  urgency?: NotificationUrgency
}

/** Derived from Settings by the app (see policyFromSettings). */
export interface NotifyPolicy {
  rateLimitPerMinute: number
  disconnectAlertMinutes: number
  quietHours: { enabled: boolean; start: string; end: string; failuresBreakThrough: boolean }
  pause: { until: number | null } | null
  feeds: Record<string, { name: string; snoozedUntil: number | null }>
}

/** What every stage of the center uses: the clock, the policy, names, keys and the display. */
export interface CenterContext {
  now(): number
  policy(): NotifyPolicy
  /** A unique key for a notification the center makes up (summaries, digests, feed notices). */
  key(kind: string, feedId: string | null): string
  /** The feed's name as notifications say it. */
  name(feedId: string): string
  /** Until when (epoch ms) the feed is snoozed, or null when it is not. */
  snoozedUntil(feedId: string, now: number): number | null
  /** The display; a failure there never breaks the center's bookkeeping. */
  show(notification: OutgoingNotification): void
}

/** Where a notification goes next; `weight` > 1 for a summary standing for several. */
export type Deliver = (notification: OutgoingNotification, weight?: number) => void
