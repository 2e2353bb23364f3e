// An event's own notification from its decision: plain text within bounds, and for a task this
// very event ended, how long it took when its start was seen.
import type { LoggedEvent, TaskView } from '../../shared/ipc.ts'
import type { NotificationDecision } from '../../shared/notification.ts'
import {
  MAX_BODY,
  MAX_TITLE,
  formatDuration,
  plainText,
  truncate,
} from '../../shared/decide/text.ts'
import type { OutgoingNotification } from './types.ts'

export function eventNotice(
  event: Pick<LoggedEvent, 'feedId' | 'seq'>,
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
