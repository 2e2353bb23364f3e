// One event's data as the decision, the task tracker and the notification center read it: the
// JSON is parsed at most once, and only when a question cannot be answered from the raw text.
// Most events of a busy feed can neither notify nor be a task, and that shows without parsing:
// every rule that can raise a notification or make a task needs one of a few keys in the data (a
// status, a progress, a link, ntfy's topic, a relayed webhook's event header, or the mapping's
// path for one of those) or an event type that says so. Pure and browser-safe.
import type { FieldMapping } from '../settings.ts'
import { FIELD_ALIASES, fromJson, parseJson, type ParsedData } from './fields.ts'
import { NTFY_TOPIC_KEY } from './presets/ntfy.ts'
import { WEBHOOK_EVENT_HEADERS } from './presets/smee.ts'

/** The fields whose mere presence can make an event a notification or a task. */
const TRIGGER_FIELDS = ['status', 'progress', 'url'] as const
const TRIGGER_KEYS = [
  ...TRIGGER_FIELDS.flatMap((field) => FIELD_ALIASES[field]),
  NTFY_TOPIC_KEY,
  ...WEBHOOK_EVENT_HEADERS,
]

const UNREAD = Symbol('unread')

export class EventReading {
  readonly data: string
  #json: unknown = UNREAD
  #read: { mapping: FieldMapping | undefined; value: ParsedData } | null = null

  constructor(data: string) {
    this.data = typeof data === 'string' ? data : ''
  }

  /** The data's JSON value (undefined when it is not JSON), parsed on first use. */
  json(): unknown {
    if (this.#json === UNREAD) this.#json = parseJson(this.data)
    return this.#json
  }

  /** The data parsed (once, whatever the mapping) and its fields read with this mapping. */
  read(mapping?: FieldMapping): ParsedData {
    if (this.#read !== null && this.#read.mapping === mapping) return this.#read.value
    const value = fromJson(this.data, this.json(), mapping)
    this.#read = { mapping, value }
    return value
  }

  /**
   * False when the data certainly holds none of the keys that can make an event notify or be a
   * task, so the fields need not be read: then only the event type can. Decided from the raw
   * text, without parsing.
   */
  mayMatter(mapping?: FieldMapping): boolean {
    return triggerTest(mapping).test(this.data)
  }
}

/**
 * A top-level key of a JSON object is in its text as `"key"`, unless written with an escape.
 * So the test is: a backslash anywhere (then the parse decides), or one of the keys in quotes,
 * in any case (the aliases are compared in lower case; Unicode case folding also covers the
 * Kelvin sign, which lower-cases to "k").
 */
function keyTest(keys: readonly string[]): RegExp {
  const alternatives = keys.map((key) => key.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'))
  try {
    return new RegExp(`\\\\|"(?:${alternatives.join('|')})"`, 'iu')
  } catch {
    return /(?:)/ // a key no pattern can hold: always read the fields
  }
}

const DEFAULT_TEST = keyTest(TRIGGER_KEYS)
const MAPPING_TESTS = new WeakMap<FieldMapping, RegExp>()

function triggerTest(mapping: FieldMapping | undefined): RegExp {
  if (typeof mapping !== 'object' || mapping === null) return DEFAULT_TEST
  let test = MAPPING_TESTS.get(mapping)
  if (test === undefined) {
    // A mapped path is read from its first key down.
    const mapped = TRIGGER_FIELDS.map((field) => mapping[field])
      .filter((path): path is string => typeof path === 'string' && path !== '')
      .map((path) => path.split('.')[0]!)
    test = mapped.length === 0 ? DEFAULT_TEST : keyTest([...TRIGGER_KEYS, ...mapped])
    MAPPING_TESTS.set(mapping, test)
  }
  return test
}
