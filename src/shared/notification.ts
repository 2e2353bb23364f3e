// The outcome of the notification decision for one event (see src/main/notify/decide.ts).

export type NotificationKind = 'task-completed' | 'task-failed' | 'news' | 'message'

/** How insistent the notification is (Linux urgency; 'critical' stays until dismissed). */
export type NotificationUrgency = 'low' | 'normal' | 'critical'

export interface NotificationDecision {
  kind: NotificationKind
  /** Plain text, whitespace collapsed, at most 120 characters. */
  title: string
  /** Plain text, whitespace collapsed, at most 400 characters. */
  body: string
  /** Only ever an http: or https: URL. */
  url?: string
  /** From the event's priority (ntfy 1-2 low, 5 critical); absent means normal. */
  urgency?: NotificationUrgency
}
