// Small readers for untrusted JSON: a value is only used when it has the expected type.

export type JsonObject = Record<string, unknown>

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function objectAt(value: unknown, key: string): JsonObject | undefined {
  if (!isObject(value) || !Object.hasOwn(value, key)) return undefined
  const child = value[key]
  return isObject(child) ? child : undefined
}

/** A non-empty string (or finite number, as text) at `key`. */
export function textAt(value: unknown, key: string): string | undefined {
  if (!isObject(value) || !Object.hasOwn(value, key)) return undefined
  const child = value[key]
  if (typeof child === 'string') return child.trim() === '' ? undefined : child
  return typeof child === 'number' && Number.isFinite(child) ? String(child) : undefined
}

/** One line that says what a JSON value holds: `text: hi, user: ada`, `3 items`. */
export function summarize(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return 'nothing'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`
  if (!isObject(value)) return ''
  const entries = Object.entries(value)
  if (depth > 0) return `{${entries.length} field${entries.length === 1 ? '' : 's'}}`
  return entries
    .slice(0, 12)
    .map(([key, child]) => `${key}: ${summarize(child, depth + 1)}`)
    .join(', ')
}
