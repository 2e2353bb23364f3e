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
  return { fields: fieldsOf(json, mapping ?? {}), shape: 'object', text: raw, object: json }
}

/** The JSON value of `raw`, or undefined when it is not JSON. */
export function parseJson(raw: string): unknown {
  const start = raw.trimStart()[0]
  // Only things that can be JSON are parsed: plain text stays text without a thrown error.
  if (start === undefined || !/[[{"\-0-9tfn]/.test(start)) return undefined
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return undefined
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Only what the feed's mapping paths give (no aliases): it overrides a preset's reading. */
export function mappedFields(object: JsonObject, mapping: FieldMapping | undefined): EventFields {
  return mapping ? fieldsOf(object, mapping, false) : {}
}

const FIELD_NAMES = Object.keys(FIELD_ALIASES) as FieldName[]

/** Each alias, lower case, to its field and its place in that field's list (first wins). */
const ALIAS_INDEX = new Map<string, { field: FieldName; rank: number }>(
  FIELD_NAMES.flatMap((field) =>
    FIELD_ALIASES[field].map((alias, rank) => [alias.toLowerCase(), { field, rank }] as const),
  ),
)

const LOWER_ALIASES = Object.fromEntries(
  FIELD_NAMES.map((field) => [field, FIELD_ALIASES[field].map((alias) => alias.toLowerCase())]),
) as Record<FieldName, string[]>

type Convert<T> = (value: unknown, alias: string) => T | undefined
const CONVERT: { [F in FieldName]-?: Convert<NonNullable<EventFields[F]>> } = {
  title: (value) => textOf(value, MAX_TITLE),
  body: (value) => textOf(value, MAX_BODY),
  url: urlOf,
  status: statusOf,
  progress: progressOf,
  taskId: (value) => textOf(value, 200),
  priority: priorityOf,
}

function fieldsOf(object: JsonObject, mapping: FieldMapping, aliases = true): EventFields {
  // One pass over the object's keys (compared in lower case, the first of equal ones counts)
  // collects each field's alias values by their place in its list.
  const found: Partial<Record<FieldName, unknown[]>> = {}
  if (aliases)
    for (const key of Object.keys(object)) {
      const alias = ALIAS_INDEX.get(key.toLowerCase())
      if (alias === undefined) continue
      const values = (found[alias.field] ??= [])
      if (!(alias.rank in values)) values[alias.rank] = object[key]
    }
  const fields: EventFields = {}
  for (const name of FIELD_NAMES) {
    const value = pick(object, name, (mapping as Partial<Record<FieldName, string>>)[name], found)
    if (value !== undefined) (fields as Record<FieldName, unknown>)[name] = value
  }
  return fields
}

/** The mapped path first, then the aliases in their order; the first value that converts. */
function pick(
  object: JsonObject,
  name: FieldName,
  path: string | undefined,
  found: Partial<Record<FieldName, unknown[]>>,
): unknown {
  const convert = CONVERT[name] as Convert<unknown>
  if (path) {
    const mapped = convert(atPath(object, path), path.split('.').at(-1)?.toLowerCase() ?? '')
    if (mapped !== undefined) return mapped
  }
  const values = found[name]
  if (values === undefined) return undefined
  const aliases = LOWER_ALIASES[name]
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
