// Takes secret values out of a settings file before it is kept as a backup. Whatever the
// file's version, and even when it is not readable JSON, every header value that is marked
// secret or whose name looks like a credential is emptied (its sealed form stays: that is
// encrypted). The live settings hold those secrets sealed, or the log says to enter them again.
import { looksSecret } from '../../shared/secret-headers.ts'

/** Backups prepareSettingsFile writes: settings.v0-…json, settings.invalid-…, settings.unreadable-… */
export const BACKUP_NAME = /\.(v\d+|invalid|unreadable)-[0-9A-Za-z-]+\.json$/

export interface Redacted {
  bytes: Buffer
  /** How many secret values were taken out (0: `bytes` are the original ones). */
  removed: number
}

export function redactBackup(original: Buffer): Redacted {
  const text = original.toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    const redacted = redactText(text)
    return redacted.removed === 0
      ? { bytes: original, removed: 0 }
      : { bytes: Buffer.from(redacted.text), removed: redacted.removed }
  }
  const removed = redactValue(value)
  return removed === 0
    ? { bytes: original, removed: 0 }
    : { bytes: Buffer.from(JSON.stringify(value, undefined, '\t')), removed }
}

/** Empties secret values in place: `{ name, value, secret }` headers and `{ Name: value }` maps. */
function redactValue(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((sum: number, item) => sum + redactValue(item), 0)
  if (typeof node !== 'object' || node === null) return 0
  const record = node as Record<string, unknown>
  let removed = 0
  const name = record['name']
  if (
    typeof name === 'string' &&
    typeof record['value'] === 'string' &&
    record['value'] !== '' &&
    (record['secret'] === true || looksSecret(name))
  ) {
    record['value'] = ''
    removed++
  }
  for (const [key, child] of Object.entries(record)) {
    if (typeof child === 'string') {
      if (child !== '' && looksSecret(key)) {
        record[key] = ''
        removed++
      }
    } else removed += redactValue(child)
  }
  return removed
}

// A JSON string, possibly cut off by the end of a torn file.
const STRING = String.raw`"(?:[^"\\]|\\.)*(?:"|$)`
const FLAT_OBJECT = /\{[^{}]*(?:\}|$)/g
const NAME_FIELD = new RegExp(String.raw`"name"\s*:\s*(${STRING})`)
const VALUE_FIELD = new RegExp(String.raw`("value"\s*:\s*)(${STRING})`, 'g')
const PAIR = new RegExp(String.raw`(${STRING})(\s*:\s*)(${STRING})`, 'g')

/** The same on text that is not JSON (damaged or torn): by pattern, object by object. */
function redactText(text: string): { text: string; removed: number } {
  let removed = 0
  const empty = (literal: string): boolean => literal === '""' || literal === '"'
  const headers = text.replace(FLAT_OBJECT, (object) => {
    const name = NAME_FIELD.exec(object)?.[1] ?? ''
    if (!/"secret"\s*:\s*true/.test(object) && !looksSecret(name)) return object
    return object.replace(VALUE_FIELD, (whole, head: string, literal: string) => {
      if (empty(literal)) return whole
      removed++
      return `${head}""`
    })
  })
  const pairs = headers.replace(PAIR, (whole, key: string, colon: string, literal: string) => {
    if (empty(literal) || !looksSecret(key)) return whole
    removed++
    return `${key}${colon}""`
  })
  return { text: pairs, removed }
}
