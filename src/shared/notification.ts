// The outcome of the notification decision for one event (see src/main/notify/decide.ts).

export type NotificationKind = 'task-completed' | 'task-failed' | 'news' | 'message'

export interface NotificationDecision {
  kind: NotificationKind
  /** Plain text, whitespace collapsed, at most 120 characters. */
  title: string
  /** Plain text, whitespace collapsed, at most 400 characters. */
  body: string
  /** Only ever an http: or https: URL. */
  url?: string
}
