// Mastodon streaming (https://docs.joinmastodon.org/methods/streaming/): `event: update` with a
// Status as data, `event: notification` with a Notification, `event: delete` with a status id,
// `status.update` for an edited Status, plus `filters_changed`, `announcement` and friends.
// Status content is HTML: it becomes plain text here, never markup.
import type { NotificationDecision } from '../../notification.ts'
import { isHttpUrl } from '../../validate.ts'
import { htmlToText } from './html-text.ts'
import { objectAt, textAt, type JsonObject } from './json.ts'

const NOTIFICATION_TITLES: Record<string, (name: string) => string> = {
  mention: (name) => `${name} mentioned you`,
  status: (name) => `${name} just posted`,
  reblog: (name) => `${name} boosted your post`,
  favourite: (name) => `${name} favourited your post`,
  follow: (name) => `${name} followed you`,
  follow_request: (name) => `${name} requested to follow you`,
  poll: () => 'A poll has ended',
  update: (name) => `${name} edited a post`,
  'admin.sign_up': (name) => `${name} signed up`,
  'admin.report': (name) => `${name} filed a report`,
}

/** A decision for Mastodon's event types, null for ones only logged, undefined for others. */
export function mastodonEvent(
  type: string,
  object: JsonObject | null,
): NotificationDecision | null | undefined {
  switch (type) {
    case 'update':
    case 'status.update':
      if (object === null || textAt(object, 'content') === undefined) return undefined
      return statusDecision(object, type === 'status.update' ? 'edited a post' : undefined)
    case 'notification':
      return object === null ? undefined : notificationDecision(object)
    case 'announcement':
      return object === null
        ? undefined
        : decision('Announcement', htmlToText(textAt(object, 'content') ?? ''), undefined)
    case 'delete':
    case 'filters_changed':
    case 'announcement.reaction':
    case 'announcement.delete':
    case 'encrypted_message':
      return null
    default:
      return undefined
  }
}

function statusDecision(status: JsonObject, verb: string | undefined): NotificationDecision {
  const reblog = objectAt(status, 'reblog')
  const shown = reblog ?? status
  const name = nameOf(objectAt(status, 'account'))
  const title = reblog
    ? `${name} boosted ${nameOf(objectAt(reblog, 'account'))}`
    : verb
      ? `${name} ${verb}`
      : name
  return decision(title, statusText(shown), textAt(shown, 'url'))
}

function notificationDecision(notification: JsonObject): NotificationDecision {
  const type = textAt(notification, 'type') ?? 'notification'
  const name = nameOf(objectAt(notification, 'account'))
  const status = objectAt(notification, 'status')
  const title = NOTIFICATION_TITLES[type]?.(name) ?? `${name}: ${type}`
  const url = textAt(status, 'url') ?? textAt(objectAt(notification, 'account'), 'url')
  return decision(title, status ? statusText(status) : '', url)
}

/** A content warning hides the text, as Mastodon does. */
function statusText(status: JsonObject): string {
  const warning = textAt(status, 'spoiler_text')
  if (warning) return `CW: ${warning}`
  return htmlToText(textAt(status, 'content') ?? '')
}

function nameOf(account: JsonObject | undefined): string {
  return textAt(account, 'display_name') ?? textAt(account, 'acct') ?? 'Someone'
}

function decision(title: string, body: string, url: string | undefined): NotificationDecision {
  const result: NotificationDecision = { kind: 'message', title, body }
  if (url !== undefined && isHttpUrl(url)) result.url = new URL(url).href
  return result
}
