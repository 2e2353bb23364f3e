// The notification decision: a pure function from one event (and its feed's settings) to the
// notification it deserves, or null when it is only logged. Never throws, whatever the input.
import type { FeedEvent, NotifyMode } from '../feed.ts'
import type { NotificationDecision, NotificationKind } from '../notification.ts'
import type { FieldMapping } from '../settings.ts'
import { mappedFields, type ParsedData } from './fields.ts'
import { presetById } from '../presets.ts'
import {
  interpretPresetEvent,
  isPresetHealthEvent,
  ntfyMessage,
  presetReadsData,
} from './presets/index.ts'
import { NTFY_TOPIC_KEY } from './presets/ntfy.ts'
import { EventReading } from './reading.ts'
import { MAX_BODY, MAX_TITLE, humanizeType, plainText, truncate } from './text.ts'

export { readEventFields, type EventFields } from './fields.ts'
export { EventReading } from './reading.ts'

export interface DecideOptions {
  notify: NotifyMode
  mapping?: FieldMapping
  /** Events whose data carries a priority (1-5) below this raise nothing. */
  minPriority?: number
  /** The feed's preset (src/shared/presets.ts): its health events and its own formats. */
  preset?: string
}

const COMPLETED = new Set(['complete', 'completed', 'done', 'finished', 'succeeded', 'success'])
const FAILED = new Set([
  'fail',
  'failed',
  'failure',
  'error',
  'errored',
  'cancelled',
  'canceled',
  'timeout',
  'timedout',
])
const COMPLETED_STATUS = new Set([...COMPLETED, 'successful'])
const NEWS = new Set(['news', 'article', 'post', 'headline', 'story', 'announcement'])
/** Types that never look like news even when their data has a title and a link. */
const LIFECYCLE = new Set([
  'progress',
  'start',
  'started',
  'running',
  'queued',
  'pending',
  'update',
  'updated',
  'token',
  'tokens',
  'delta',
  'chunk',
  'keepalive',
  'ping',
  'pong',
  'heartbeat',
  'open',
])
/** Protocol chatter: never a notification, whatever the mode (types lists aside). */
const CHATTER = new Set(['keepalive', 'keep-alive', 'ping', 'pong', 'heartbeat'])
const NTFY_CONTROL = new Set(['open', 'keepalive', 'poll_request'])

export type Outcome = 'completed' | 'failed' | null

/**
 * `reading` is this event's data as the caller already reads it (the task tracker, the center):
 * passing it means the data is parsed at most once between them, and not at all when no rule
 * can apply.
 */
export function decide(
  event: Pick<FeedEvent, 'type' | 'data'>,
  options: DecideOptions = { notify: 'smart' },
  reading?: EventReading,
): NotificationDecision | null {
  try {
    return decideOrThrow(event, options, reading)
  } catch {
    // Defensive: a decision bug must cost one notification, never the event or the feed.
    return null
  }
}

function decideOrThrow(
  event: Pick<FeedEvent, 'type' | 'data'>,
  options: DecideOptions,
  reading: EventReading | undefined,
): NotificationDecision | null {
  const mode = options?.notify ?? 'smart'
  if (mode === 'none') return null
  const type = typeof event?.type === 'string' && event.type !== '' ? event.type : 'message'
  const data = typeof event?.data === 'string' ? event.data : ''
  const preset = typeof options?.preset === 'string' ? options.preset : undefined
  const read = reading ?? new EventReading(data)
  if (isPresetHealthEvent(preset, { type, data }, read) && !listsType(mode, type)) return null
  // A type list notifies the types it lists and nothing else.
  if (typeof mode === 'object' && mode !== null && !listsType(mode, type)) return null
  // The smart rules need a telling type or one of a few keys in the data: most events of a busy
  // feed have neither, and are told apart without parsing them.
  if (mode === 'smart' && !presetReadsData(preset) && !typeMayNotify(type)) {
    if (!read.mayMatter(options?.mapping)) return null
  }
  const parsed = read.read(options?.mapping)
  const minPriority = options?.minPriority ?? 1
  const ntfyEvent = ntfyEventOf(parsed)
  // ntfy leaves out the default priority (3) from its JSON.
  const priority = parsed.fields.priority ?? (ntfyEvent === 'message' ? 3 : undefined)
  if (priority !== undefined && priority < minPriority) return null

  if (ntfyEvent !== null && NTFY_CONTROL.has(ntfyEvent) && !listsType(mode, type)) return null

  const interpreted = interpretPresetEvent(preset, type, parsed)
  // The preset says "log only" (a snapshot, a deletion): 'all' does not override that.
  if (interpreted === null && !listsType(mode, type)) return null
  const smart =
    interpreted === undefined
      ? smartDecision(type, parsed, ntfyEvent)
      : interpreted && withMapping(interpreted, parsed, changedMapping(preset, options?.mapping))
  if (mode === 'smart') return smart
  if (typeof mode === 'object' && mode !== null) {
    return listsType(mode, type) ? (smart ?? anyDecision(type, parsed)) : null
  }
  // 'all': every event, except keepalive chatter, which would notify every few seconds.
  if (CHATTER.has(type.toLowerCase())) return null
  return smart ?? anyDecision(type, parsed)
}

function smartDecision(
  type: string,
  parsed: ParsedData,
  ntfyEvent: string | null,
): NotificationDecision | null {
  const { fields } = parsed
  if (ntfyEvent === 'message' && parsed.object !== null) {
    const message = ntfyMessage(parsed.object, fields)
    return {
      ...decision(message.kind, message.title, message.body, message.url),
      ...urgent(message),
    }
  }
  if (ntfyEvent !== null) return null

  const tokens = typeTokens(type)
  const last = tokens.at(-1) ?? ''
  const outcome = outcomeOf(last, fields.status)
  if (outcome !== null) {
    const base = fields.title ?? fields.taskId ?? (type === 'message' ? 'Task' : humanizeType(type))
    const verb = outcome === 'completed' ? 'completed' : failureVerb(last, fields.status)
    return decision(
      outcome === 'completed' ? 'task-completed' : 'task-failed',
      withVerb(base, verb),
      fields.body ?? textBody(parsed),
      fields.url,
    )
  }

  const newsType = NEWS.has(last)
  const newsShape =
    parsed.shape === 'object' &&
    fields.title !== undefined &&
    fields.url !== undefined &&
    fields.status === undefined &&
    fields.progress === undefined &&
    !LIFECYCLE.has(last)
  if (newsType || newsShape) {
    return decision(
      'news',
      fields.title ?? humanizeType(type),
      fields.body ?? textBody(parsed),
      fields.url,
    )
  }
  return null
}

/** For 'all' and type lists: an event the smart rules would not notify. */
function anyDecision(type: string, parsed: ParsedData): NotificationDecision {
  const { fields } = parsed
  const title = fields.title ?? (type === 'message' ? 'Message' : humanizeType(type))
  return decision('message', title, fields.body ?? parsed.text, fields.url)
}

function decision(
  kind: NotificationKind,
  title: string,
  body: string,
  url: string | undefined,
): NotificationDecision {
  const result: NotificationDecision = {
    kind,
    title: plainText(title, MAX_TITLE) || 'Notification',
    body: plainText(body, MAX_BODY),
  }
  if (url !== undefined) result.url = url
  return result
}

/** The paths the user changed from the preset's default mapping (which its reading includes). */
function changedMapping(
  preset: string | undefined,
  mapping: FieldMapping | undefined,
): FieldMapping | undefined {
  if (!mapping) return undefined
  const defaults: FieldMapping = presetById(preset).mapping
  const changed: FieldMapping = {}
  for (const [key, path] of Object.entries(mapping) as Array<[keyof FieldMapping, string]>)
    if (path && path !== defaults[key]) changed[key] = path
  return changed
}

/** A preset's decision, with the fields the user mapped explicitly taking precedence. */
function withMapping(
  preset: NotificationDecision,
  parsed: ParsedData,
  mapping: FieldMapping | undefined,
): NotificationDecision {
  const mapped = parsed.object ? mappedFields(parsed.object, mapping) : {}
  return {
    ...decision(
      preset.kind,
      mapped.title ?? preset.title,
      mapped.body ?? preset.body,
      mapped.url ?? preset.url,
    ),
    ...urgent(preset),
  }
}

function urgent(from: NotificationDecision): Pick<NotificationDecision, 'urgency'> {
  return from.urgency === undefined ? {} : { urgency: from.urgency }
}

function textBody(parsed: ParsedData): string {
  return parsed.shape === 'object' ? '' : parsed.text
}

/** ntfy's JSON: {"event": "message" | "open" | "keepalive", "topic": ..., ...}. */
function ntfyEventOf(parsed: ParsedData): string | null {
  const object = parsed.object
  if (object === null) return null
  const event = object['event']
  return typeof event === 'string' && typeof object[NTFY_TOPIC_KEY] === 'string' ? event : null
}

/** Whether the type alone can make the smart rules notify: it says a task ended, or news. */
function typeMayNotify(type: string): boolean {
  return typeWords(type).mayNotify
}

/** "Build.Completed", "job:failed", "task_done", "deploy-success", "taskCompleted". */
export function typeTokens(type: string): readonly string[] {
  return typeWords(type).tokens
}

interface TypeWords {
  tokens: readonly string[]
  mayNotify: boolean
}

/** Feeds use a handful of types over and over: each is read once (short ones, a bounded few). */
const TYPES = new Map<string, TypeWords>()
const TYPES_KEPT = 1024
const TYPE_LENGTH_KEPT = 200

function typeWords(type: string): TypeWords {
  const known = TYPES.get(type)
  if (known !== undefined) return known
  const tokens = Object.freeze(
    type
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[.:_\-/\s]+/)
      .filter(Boolean),
  )
  const last = tokens.at(-1) ?? ''
  const words = { tokens, mayNotify: outcomeOf(last, undefined) !== null || NEWS.has(last) }
  if (type.length <= TYPE_LENGTH_KEPT) {
    if (TYPES.size >= TYPES_KEPT) TYPES.clear()
    TYPES.set(type, words)
  }
  return words
}

function outcomeOf(lastToken: string, status: string | undefined): Outcome {
  const normalizedStatus = status?.replace(/[\s_-]+/g, '')
  // A failure anywhere wins: "job.completed" with status "failed" is a failed job.
  if (FAILED.has(lastToken) || (normalizedStatus && FAILED.has(normalizedStatus))) return 'failed'
  if (COMPLETED.has(lastToken) || (normalizedStatus && COMPLETED_STATUS.has(normalizedStatus)))
    return 'completed'
  return null
}

/** How an event says a task ended, from its type and status: null when it does not. */
export function taskOutcome(type: string, status: string | undefined): Outcome {
  return outcomeOf(typeTokens(type).at(-1) ?? '', status)
}

function failureVerb(lastToken: string, status: string | undefined): string {
  const words = [status?.replace(/[\s_-]+/g, '') ?? '', lastToken]
  if (words.some((word) => word === 'cancelled' || word === 'canceled')) return 'cancelled'
  if (words.some((word) => word === 'timeout' || word === 'timedout')) return 'timed out'
  return 'failed'
}

const VERB_WORDS =
  /\b(complete|completed|done|finished|succeeded|success|successful|fail|failed|failure|error|errored|cancell?ed|timeout|timed out)\b/i

/** "Build #42" -> "Build #42 completed"; "Deploy finished" stays as it is. */
function withVerb(title: string, verb: string): string {
  const clean = plainText(title, MAX_TITLE)
  if (VERB_WORDS.test(clean)) return clean
  return `${truncate(clean, MAX_TITLE - verb.length - 1)} ${verb}`
}

function listsType(mode: NotifyMode, type: string): boolean {
  if (typeof mode !== 'object' || mode === null || !Array.isArray(mode.types)) return false
  const wanted = type.toLowerCase()
  return mode.types.some((pattern) => {
    if (typeof pattern !== 'string') return false
    const lower = pattern.trim().toLowerCase()
    // "build.*" matches every type that starts with "build."
    return lower.endsWith('*') ? wanted.startsWith(lower.slice(0, -1)) : lower === wanted
  })
}
