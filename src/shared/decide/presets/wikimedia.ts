// Wikimedia EventStreams (https://wikitech.wikimedia.org/wiki/Event_Platform/EventStreams):
// `event: message`, `id:` a JSON list of Kafka positions, and data such as recentchange's
// {"$schema":"/mediawiki/recentchange/1.0.0","meta":{"uri","domain","dt","stream",…},
//  "type":"edit"|"new"|"log"|"categorize","title","comment","user","bot","server_name",…}
// or page-create's {"page_title","performer":{"user_text"},"comment","meta":{"uri",…}}.
// Hourly canary events (meta.domain "canary") are the platform testing itself: never shown.
import type { NotificationDecision } from '../../notification.ts'
import { isHttpUrl } from '../../validate.ts'
import { objectAt, textAt, type JsonObject } from './json.ts'

const CHANGE_WORDS: Record<string, string> = {
  edit: 'Edited',
  new: 'Created',
  log: 'Logged',
  categorize: 'Categorized',
}

export function isCanary(object: JsonObject): boolean {
  return textAt(objectAt(object, 'meta'), 'domain') === 'canary'
}

export function wikimediaChange(object: JsonObject): NotificationDecision | null | undefined {
  const meta = objectAt(object, 'meta')
  if (meta === undefined) return undefined
  if (isCanary(object)) return null
  const title = textAt(object, 'title') ?? textAt(object, 'page_title')
  if (title === undefined) return undefined
  const wiki = textAt(object, 'server_name') ?? textAt(meta, 'domain')
  const user = textAt(object, 'user') ?? textAt(objectAt(object, 'performer'), 'user_text')
  const change = textAt(object, 'type')
  const what = (change && CHANGE_WORDS[change]) ?? 'Changed'
  const action = textAt(object, 'log_action')
  const head = [
    change === 'log' && action ? `${what} (${action})` : what,
    user ? `by ${user}${object['bot'] === true ? ' (bot)' : ''}` : undefined,
    wiki ? `on ${wiki}` : undefined,
  ]
    .filter(Boolean)
    .join(' ')
  const comment = textAt(object, 'comment')
  const decision: NotificationDecision = {
    kind: 'message',
    title,
    body: comment ? `${head}: ${comment}` : head,
  }
  const uri = textAt(meta, 'uri')
  if (uri !== undefined && isHttpUrl(uri)) decision.url = new URL(uri).href
  return decision
}
