// ntfy messages (https://docs.ntfy.sh/subscribe/api/#json-message-format):
// {"id","time","expires","event":"message","topic","title"?,"message","priority"?: 1-5,
//  "tags"?: string[],"click"?,"attachment"?,"actions"?}
// As ntfy's own apps do: tags that are emoji short codes go before the title as emojis, the
// others are listed under the message; priority 1-2 is a quiet notification, 5 an urgent one.
import type { NotificationDecision, NotificationUrgency } from '../../notification.ts'
import type { EventFields } from '../fields.ts'
import { MAX_TITLE, plainText } from '../text.ts'
import { textAt, type JsonObject } from './json.ts'

/** ntfy's JSON names its topic here; with a string `event` beside it, the data is ntfy's. */
export const NTFY_TOPIC_KEY = 'topic'

/** The short codes people actually use with ntfy (its docs' examples and common alerts). */
const EMOJI: Record<string, string> = {
  '+1': '👍',
  '-1': '👎',
  thumbsup: '👍',
  thumbsdown: '👎',
  warning: '⚠️',
  rotating_light: '🚨',
  triangular_flag_on_post: '🚩',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  x: '❌',
  heavy_check_mark: '✔️',
  white_check_mark: '✅',
  exclamation: '❗',
  question: '❓',
  information_source: 'ℹ️',
  skull: '💀',
  fire: '🔥',
  boom: '💥',
  zap: '⚡',
  tada: '🎉',
  partying_face: '🥳',
  rocket: '🚀',
  bug: '🐛',
  package: '📦',
  loudspeaker: '📢',
  bell: '🔔',
  computer: '💻',
  desktop_computer: '🖥️',
  floppy_disk: '💾',
  cd: '💿',
  lock: '🔒',
  unlock: '🔓',
  key: '🔑',
  email: '📧',
  envelope: '✉️',
  calendar: '📅',
  hourglass: '⌛',
  stopwatch: '⏱️',
  alarm_clock: '⏰',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  moneybag: '💰',
  bulb: '💡',
  battery: '🔋',
  electric_plug: '🔌',
  thermometer: '🌡️',
  droplet: '💧',
  sunny: '☀️',
  cloud: '☁️',
  umbrella: '☔',
  snowflake: '❄️',
  house: '🏠',
  door: '🚪',
  robot: '🤖',
  heart: '❤️',
  broken_heart: '💔',
  star: '⭐',
  red_circle: '🔴',
  green_circle: '🟢',
  yellow_circle: '🟡',
  large_blue_circle: '🔵',
  dog: '🐶',
  cat: '🐱',
}

export function ntfyMessage(object: JsonObject, fields: EventFields): NotificationDecision {
  const tags = Array.isArray(object['tags'])
    ? object['tags'].filter((tag): tag is string => typeof tag === 'string')
    : []
  const emojis = tags.map((tag) => EMOJI[tag.trim().toLowerCase()]).filter(Boolean)
  const others = tags.filter((tag) => !EMOJI[tag.trim().toLowerCase()] && tag.trim() !== '')
  const topic = textAt(object, 'topic') ?? ''
  const baseTitle = fields.title ?? (plainText(topic, MAX_TITLE) || 'Message')
  const title = emojis.length > 0 ? `${emojis.join(' ')} ${baseTitle}` : baseTitle
  const tagLine = others.length > 0 ? `Tags: ${others.join(', ')}` : ''
  const body = [fields.body ?? '', tagLine].filter(Boolean).join(' · ')
  const decision: NotificationDecision = { kind: 'message', title, body }
  if (fields.url !== undefined) decision.url = fields.url
  const urgency = urgencyOf(fields.priority)
  if (urgency !== undefined) decision.urgency = urgency
  return decision
}

/** ntfy's 1 (min) and 2 (low) are quiet, 5 (max/urgent) stays until dismissed. */
export function urgencyOf(priority: number | undefined): NotificationUrgency | undefined {
  if (priority === undefined) return undefined
  if (priority <= 2) return 'low'
  if (priority >= 5) return 'critical'
  return undefined
}
