// Reading the interesting fields out of an event's data. Feeds name things differently, so each
// field has a list of aliases (first match wins, keys compared case-insensitively); a feed's
// field mapping (dotted JSON paths) is tried before the aliases.
import type { FieldMapping } from '../settings.ts'
import { httpUrlHref } from '../validate.ts'
import { MAX_BODY, MAX_TITLE, plainText } from './text.ts'

export interface EventFields {
  title?: string
  body?: string
  /** http(s) only, normalised. */
  url?: string
  /** Lower case, e.g. "completed", "failed", "running". */
  status?: string
  /** 0..1 */
  progress?: number
  taskId?: string
  /** 1 (min) .. 5 (max), as ntfy counts. */
  priority?: number
}

export const FIELD_ALIASES = {
  title: ['title', 'name', 'headline', 'subject', 'task', 'job'],
  body: ['body', 'message', 'text', 'description', 'error'],
  url: ['url', 'link', 'href', 'click'],
  status: ['status', 'state', 'result'],
  progress: ['progress', 'percent'],
  taskId: ['taskId', 'task_id', 'jobId', 'job_id', 'runId', 'run_id', 'buildId', 'build_id', 'id'],
  priority: ['priority'],
} as const satisfies Record<keyof EventFields, readonly string[]>

type JsonObject = Record<string, unknown>
type FieldName = keyof EventFields
const NO_MAPPING: FieldMapping = Object.freeze({})

/** What decide() needs beyond the fields: the shape of the data. */
export interface ParsedData {
  fields: EventFields
  /** 'object' for a JSON object, 'value' for any other JSON, 'text' when not JSON. */
  shape: 'object' | 'value' | 'text'
  /** The data as readable text when it is not a JSON object (a JSON string is unquoted). */
  text: string
  object: JsonObject | null
}

export function readEventFields(data: string, mapping?: FieldMapping): EventFields {
  return parseData(data, mapping).fields
}

export function parseData(data: string, mapping?: FieldMapping): ParsedData {
  const raw = typeof data === 'string' ? data : ''
  return fromJson(raw, parseJson(raw), mapping)
}

/** The reading of `raw` whose JSON value (undefined: not JSON) was parsed already. */
export function fromJson(raw: string, json: unknown, mapping?: FieldMapping): ParsedData {
  if (json === undefined) return { fields: {}, shape: 'text', text: raw, object: null }
  if (!isObject(json))
    return {
      fields: {},
      shape: 'value',
      text: typeof json === 'string' ? json : raw,
      object: null,
    }
  return { fields: fieldsOf(json, mapping ?? NO_MAPPING), shape: 'object', text: raw, object: json }
}

/** The JSON value of `raw`, or undefined when it is not JSON. */
export function parseJson(raw: string): unknown {
  // Only things that can be JSON are parsed: plain text stays text without a thrown error. The
  // first character after JSON's own whitespace tells (read in place: no trimmed copy).
  let at = 0
  let code = raw.charCodeAt(0)
  while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09)
    code = raw.charCodeAt(++at)
  if (!mayStartJson(code)) return undefined
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return undefined
  }
}

/** `{`, `[`, `"`, `-`, a digit, or the first letter of true, false, null. */
function mayStartJson(code: number): boolean {
  return (
    code === 0x7b ||
    code === 0x5b ||
    code === 0x22 ||
    code === 0x2d ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x74 ||
    code === 0x66 ||
    code === 0x6e
  )
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Only what the feed's mapping paths give (no aliases): it overrides a preset's reading. */
export function mappedFields(object: JsonObject, mapping: FieldMapping | undefined): EventFields {
  return mapping ? fieldsOf(object, mapping, false) : {}
}

// Fields by number, so reading them is plain array access (this runs for every event that
// is parsed: names as keys would make every access a dictionary lookup).
const FIELD_NAMES = Object.keys(FIELD_ALIASES) as FieldName[]
const [TITLE, BODY, URL_FIELD, STATUS, PROGRESS, TASK_ID, PRIORITY] = FIELD_NAMES.map((_, i) => i)
const LOWER_ALIASES = FIELD_NAMES.map((field) => FIELD_ALIASES[field].map((a) => a.toLowerCase()))

/** Each alias, lower case, to its field and its place in that field's list (first wins). */
const ALIAS_SLOT = new Map<string, { field: number; rank: number }>(
  LOWER_ALIASES.flatMap((aliases, field) =>
    aliases.map((alias, rank) => [alias, { field, rank }] as const),
  ),
)

type Convert = (value: unknown, alias: string) => unknown
const CONVERT: Convert[] = []
CONVERT[TITLE!] = (value) => textOf(value, MAX_TITLE)
CONVERT[BODY!] = (value) => textOf(value, MAX_BODY)
CONVERT[URL_FIELD!] = urlOf
CONVERT[STATUS!] = statusOf
CONVERT[PROGRESS!] = progressOf
CONVERT[TASK_ID!] = (value) => textOf(value, 200)
CONVERT[PRIORITY!] = priorityOf

/** Per field, its alias values by their place in its list. */
type Found = Array<unknown[] | undefined>

function fieldsOf(object: JsonObject, mapping: FieldMapping, aliases = true): EventFields {
  // One pass over the object's keys (compared in lower case, the first of equal ones counts)
  // collects each field's alias values by their place in its list.
  let found: Found | undefined
  if (aliases)
    for (const key of Object.keys(object)) {
      const slot = ALIAS_SLOT.get(key.toLowerCase())
      if (slot === undefined) continue
      const values = ((found ??= [])[slot.field] ??= [])
      if (!(slot.rank in values)) values[slot.rank] = object[key]
    }
  const fields: EventFields = {}
  const title = pick(object, TITLE!, mapping.title, found) as string | undefined
  if (title !== undefined) fields.title = title
  const body = pick(object, BODY!, mapping.body, found) as string | undefined
  if (body !== undefined) fields.body = body
  const url = pick(object, URL_FIELD!, mapping.url, found) as string | undefined
  if (url !== undefined) fields.url = url
  const status = pick(object, STATUS!, mapping.status, found) as string | undefined
  if (status !== undefined) fields.status = status
  const progress = pick(object, PROGRESS!, mapping.progress, found) as number | undefined
  if (progress !== undefined) fields.progress = progress
  const taskId = pick(object, TASK_ID!, mapping.taskId, found) as string | undefined
  if (taskId !== undefined) fields.taskId = taskId
  const priority = pick(object, PRIORITY!, undefined, found) as number | undefined
  if (priority !== undefined) fields.priority = priority
  return fields
}

/** The mapped path first, then the aliases in their order; the first value that converts. */
function pick(
  object: JsonObject,
  field: number,
  path: string | undefined,
  found: Found | undefined,
): unknown {
  const convert = CONVERT[field]!
  if (typeof path === 'string' && path !== '') {
    const mapped = convert(atPath(object, path), path.split('.').at(-1)?.toLowerCase() ?? '')
    if (mapped !== undefined) return mapped
  }
  const values = found?.[field]
  if (values === undefined) return undefined
  const aliases = LOWER_ALIASES[field]!
  for (let rank = 0; rank < values.length; rank++) {
    if (!(rank in values)) continue
    const value = convert(values[rank], aliases[rank]!)
    if (value !== undefined) return value
  }
  return undefined
}

/** Own properties only, so "__proto__" or "constructor" paths read nothing inherited. */
function atPath(object: JsonObject, path: string): unknown {
  let current: unknown = object
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined
    if (!Object.hasOwn(current, part)) return undefined
    current = (current as JsonObject)[part]
  }
  return current
}

function textOf(value: unknown, max: number): string | undefined {
  let text: string
  if (typeof value === 'string') text = value
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value)
  else return undefined
  const clean = plainText(text, max)
  return clean === '' ? undefined : clean
}

function urlOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  return httpUrlHref(value.trim())
}

function statusOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const status = plainText(value, 50).toLowerCase()
  return status === '' ? undefined : status
}

/** Numbers above 1 (and anything named "percent") are percentages; "45%" works too. */
function progressOf(value: unknown, alias: string): number | undefined {
  let number: number
  let percent = alias === 'percent'
  if (typeof value === 'number') number = value
  else if (typeof value === 'string') {
    const match = /^\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value)
    if (!match) return undefined
    number = Number(match[1])
    percent ||= match[2] === '%'
  } else if (isObject(value)) {
    // {"current": 3, "total": 10} and friends
    const done = firstNumber(value, ['current', 'done', 'completed', 'value'])
    const total = firstNumber(value, ['total', 'max', 'of'])
    if (done === undefined || total === undefined || total <= 0) return undefined
    number = done / total
  } else return undefined
  if (!Number.isFinite(number)) return undefined
  if (percent || number > 1) number /= 100
  return Math.min(1, Math.max(0, number))
}

function firstNumber(object: JsonObject, keys: string[]): number | undefined {
  for (const key of keys) {
    const value = object[key]
    if (typeof value === 'number' && Number.isFinite(value)) return value
  }
  return undefined
}

const PRIORITY_NAMES = new Map([
  ['min', 1],
  ['lowest', 1],
  ['low', 2],
  ['default', 3],
  ['normal', 3],
  ['medium', 3],
  ['high', 4],
  ['max', 5],
  ['urgent', 5],
  ['highest', 5],
  ['critical', 5],
])

function priorityOf(value: unknown): number | undefined {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string'
        ? (PRIORITY_NAMES.get(value.trim().toLowerCase()) ?? Number(value.trim() || NaN))
        : NaN
  return Number.isInteger(number) && number >= 1 && number <= 5 ? number : undefined
}
