// How events and state changes look on stdout and stderr: JSON lines for machines, one readable
// line for people. Feed data is untrusted: the readable form shows control characters as escapes
// so an event cannot move the cursor, recolour or retitle the user's terminal.
import type { FeedEvent, FeedState } from '../../shared/feed.ts'
import type { NotificationDecision } from '../../shared/notification.ts'

/**
 * `JSON.stringify({type, data, id, receivedAt, notification})` and a newline, byte for byte.
 * Put together from few parts because most of it repeats: a feed's few types give the start,
 * and a burst's millisecond (with no notification) the end, each made once.
 */
export function eventJsonLine(event: FeedEvent, notification: NotificationDecision | null): string {
  if (event.type !== last.type) {
    last.type = event.type
    last.head = `{"type":${JSON.stringify(event.type)},"data":`
  }
  let tail: string
  if (notification !== null) tail = lineTail(event.receivedAt, JSON.stringify(notification))
  else if (event.receivedAt === last.receivedAt) tail = last.tail
  else {
    last.receivedAt = event.receivedAt
    last.tail = tail = lineTail(event.receivedAt, 'null')
  }
  return last.head + JSON.stringify(event.data) + ',"id":' + JSON.stringify(event.id) + tail
}

/** The parts the last line was made of. */
const last = { type: '', head: '{"type":"","data":', receivedAt: Number.NaN, tail: '' }

/** As JSON.stringify writes the time: NaN and the infinities are null. */
function lineTail(receivedAt: number, notification: string): string {
  return `,"receivedAt":${JSON.stringify(receivedAt)},"notification":${notification}}\n`
}

const PLAIN = (text: string) => text
const sgr = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`
const COLORS = {
  time: sgr('2'),
  type: sgr('36'),
  'task-completed': sgr('1;32'),
  'task-failed': sgr('1;31'),
  news: sgr('1;33'),
  message: sgr('1;33'),
}

/** One readable line. `color` (a terminal without NO_COLOR) styles what Tidings adds, never data. */
export function eventHumanLine(
  event: FeedEvent,
  notification: NotificationDecision | null,
  color = false,
): string {
  const paint = (key: keyof typeof COLORS) => (color ? COLORS[key] : PLAIN)
  const parts = [
    paint('time')(clock(event.receivedAt)),
    paint('type')(visible(event.type)),
    event.id ? `#${visible(event.id)}` : '-',
    visible(event.data),
  ]
  if (notification) parts.push(paint(notification.kind)(`=> ${visible(notification.title)}`))
  return `${parts.join('  ')}\n`
}

export function stateJsonLine(state: FeedState, at: number): string {
  const { kind, ...details } = state
  return `${JSON.stringify({ state: kind, ...details, at })}\n`
}

export function stateHumanLine(state: FeedState, url: string): string {
  switch (state.kind) {
    case 'connecting':
      return `tidings: connecting to ${visible(url)}\n`
    case 'open':
      return 'tidings: connected\n'
    case 'reconnecting':
      return `tidings: ${visible(state.reason)}; reconnecting in ${seconds(state.delayMs)} (attempt ${state.attempt})\n`
    case 'stopped':
      return `tidings: stopped: ${visible(state.reason)}\n`
    case 'failed':
      return `tidings: failed: ${visible(state.reason)}\n`
  }
}

/** Local wall-clock time as HH:MM:SS. */
function clock(epochMs: number): string {
  const date = new Date(epochMs)
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':')
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`
}

// eslint-disable-next-line no-control-regex -- showing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** Text safe to print on one terminal line: line breaks as ⏎, other controls as \u escapes. */
export function visible(text: string): string {
  return text.replace(CONTROL, (char) => {
    if (char === '\n') return '⏎'
    if (char === '\t') return ' '
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
}
