// Preset-specific reading of events: what the generic rules cannot know about a service's own
// format. Relayed webhooks are recognised by their shape on any feed (like ntfy's messages in
// decide.ts); the rest only on feeds created from their preset, whose event types are generic
// words ("update", "put") that mean something else elsewhere.
import type { NotificationDecision } from '../../notification.ts'
import { isHealthEvent } from '../../presets.ts'
import type { ParsedData } from '../fields.ts'
import { EventReading } from '../reading.ts'
import { firebaseEvent } from './firebase.ts'
import { mastodonEvent } from './mastodon.ts'
import { relayedWebhook } from './smee.ts'
import { isCanary, wikimediaChange } from './wikimedia.ts'

export { ntfyMessage, urgencyOf } from './ntfy.ts'
export { htmlToText } from './html-text.ts'

/** Presets whose own reading of the data below can notify whatever the keys (see decide()). */
const READS_DATA = new Set(['wikimedia', 'mastodon', 'firebase'])

export function presetReadsData(presetId: string | undefined): boolean {
  return presetId !== undefined && READS_DATA.has(presetId)
}

/**
 * The preset's decision for this event: a notification, null for "log it only", or undefined
 * when the preset has nothing to say and the generic rules decide.
 */
export function interpretPresetEvent(
  presetId: string | undefined,
  type: string,
  parsed: ParsedData,
): NotificationDecision | null | undefined {
  const object = parsed.object
  if (object !== null && type === 'message') {
    const webhook = relayedWebhook(object)
    if (webhook !== undefined) return webhook
  }
  switch (presetId) {
    case 'wikimedia':
      return object === null ? undefined : wikimediaChange(object)
    case 'mastodon':
      return mastodonEvent(type, object)
    case 'firebase':
      return firebaseEvent(type, object, valueText(parsed))
    default:
      return undefined
  }
}

/**
 * Events that only say the connection is alive: the preset's health types (ntfy open and
 * keepalive, smee ready and ping, Firebase keep-alive) and Wikimedia's hourly canary events.
 */
export function isPresetHealthEvent(
  presetId: string | undefined,
  event: { type: string; data: string },
  reading?: EventReading,
): boolean {
  if (isHealthEvent(presetId, event.type)) return true
  if (presetId !== 'wikimedia' || !event.data.includes('"canary"')) return false
  const value = (reading ?? new EventReading(event.data)).json()
  return typeof value === 'object' && value !== null && isCanary(value as Record<string, unknown>)
}

/** A JSON string's text, or the raw text; undefined for null or nothing. */
function valueText(parsed: ParsedData): string | undefined {
  if (parsed.shape === 'object') return undefined
  const text = parsed.text.trim()
  return text === '' || text === 'null' ? undefined : parsed.text
}
