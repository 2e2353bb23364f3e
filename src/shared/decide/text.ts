// Plain-text hygiene for anything that ends up in a notification: feed data is untrusted, so it
// is shown as text, never markup, with invisible direction/format tricks removed and a bound.

export const MAX_TITLE = 120
export const MAX_BODY = 400

// Controls become spaces (then collapse); bidi overrides and zero-width characters are dropped
// because they can make a notification read differently from what it says.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g

/** Whitespace collapsed, controls removed, at most `max` characters (ending in … when cut). */
export function plainText(value: string, max: number): string {
  // Clean a growing prefix rather than a whole 1 MiB body: once the cleaned prefix is longer
  // than the bound, the rest cannot change what is kept.
  for (let limit = max * 4 + 64; ; limit *= 4) {
    const part = value.length > limit ? value.slice(0, limit) : value
    const text = clean(part)
    if (part === value || text.length > max) return truncate(text, max)
  }
}

/** Anything clean() would change: a control or invisible character, whitespace other than one
 *  space between words. Most feed text has none, and testing is cheaper than three replaces. */
const UNCLEAN =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|[^\S ]|^ | $| {2}/

function clean(value: string): string {
  if (!UNCLEAN.test(value)) return value
  return value.replace(CONTROLS, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim()
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  let cut = text.slice(0, Math.max(0, max - 1))
  // Never leave half of a surrogate pair at the end.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1)
  return `${cut.trimEnd()}…`
}

/** "build.completed" -> "Build completed", for titles when the data has none. */
export function humanizeType(type: string): string {
  const words = plainText(type.replace(/[.:_\-/]+/g, ' '), MAX_TITLE)
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : ''
}

/** "3 min 12 s", "2 h 5 min", "under a second". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1000) return 'under a second'
  const seconds = Math.floor(ms / 1000)
  const days = Math.floor(seconds / 86_400)
  const hours = Math.floor((seconds % 86_400) / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = seconds % 60
  if (days > 0) return join([days, 'd'], [hours, 'h'])
  if (hours > 0) return join([hours, 'h'], [minutes, 'min'])
  if (minutes > 0) return join([minutes, 'min'], [rest, 's'])
  return `${rest} s`
}

function join(...parts: [number, string][]): string {
  return parts
    .filter(([value], index) => index === 0 || value > 0)
    .map(([value, unit]) => `${value} ${unit}`)
    .join(' ')
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}
