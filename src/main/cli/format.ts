// How events and state changes look on stdout and stderr: JSON lines for machines (times as the
// window's JSONL export writes them; docs/formats.md), one readable line for people (the summary
// the window's Log shows; a feed's problem in the window's plain words). Feed data is untrusted:
// what goes to a terminal shows control characters as escapes, so an event cannot move the
// cursor, recolour or retitle the user's terminal.
import { eventSummary } from '../../shared/event-summary.ts'
import { exportTime } from '../../shared/event-time.ts'
import type { FeedEvent, FeedState, FailureFacts } from '../../shared/feed.ts'
import { describeFailure } from '../../shared/feed-problem.ts'
import type { NotificationDecision, NotificationKind } from '../../shared/notification.ts'

/**
 * `JSON.stringify({type, data, id, receivedAt, notification})` and a newline, byte for byte,
 * with `receivedAt` as exportTime writes it. Put together from few parts because most of it
 * repeats: a feed's few types give the start, and a burst's millisecond (with no notification)
 * the end, each made once.
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

function lineTail(receivedAt: number, notification: string): string {
  return `,"receivedAt":${JSON.stringify(exportTime(receivedAt))},"notification":${notification}}\n`
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

/** The window's label for each kind of notification (its Log's chip). */
const KIND_LABELS: Record<NotificationKind, string> = {
  'task-completed': 'completed',
  'task-failed': 'failed',
  news: 'news',
  message: 'message',
}

/**
 * One readable line, as the window's Log row: time, type, id, what the event notifies as, and
 * its one-line summary ("Build #41 · running · 60%"). `color` (a terminal without NO_COLOR)
 * styles what Tidings adds, never data.
 */
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
  ]
  if (notification) parts.push(paint(notification.kind)(KIND_LABELS[notification.kind]))
  parts.push(visible(eventSummary({ data: event.data, notification })))
  return `${parts.join('  ')}\n`
}

/**
 * `--raw`: the data as sent and a newline. To a pipe or a file it goes byte for byte; on a
 * `terminal`, line breaks stay, tabs are spaces and other control characters show as escapes.
 */
export function eventRawLine(event: FeedEvent, terminal: boolean): string {
  return `${terminal ? visibleLines(event.data) : event.data}\n`
}

export function stateJsonLine(state: FeedState, at: number, url: string): string {
  const { kind, ...details } = state
  const line: Record<string, unknown> = { state: kind, ...details, at: exportTime(at) }
  if (state.kind === 'reconnecting' || state.kind === 'failed')
    line['message'] = plainWords(state.reason, state.facts, url).join(' ')
  return `${JSON.stringify(line)}\n`
}

/** What a human state line needs to say beside the state. */
export interface StateWords {
  /** The feed's address: host and port of a problem come from it. */
  url: string
  /** After the address on the connecting line ("via proxy http://…"). */
  via?: string
  /** The engine's technical words beside the plain ones. */
  verbose?: boolean
  /** A failed try in a row of them: its number, and the --retry limit if there is one. */
  retry?: { count: number; limit: number }
  /** What to add to a failure (tail's own next step). */
  hint?: string
  /** How many tries failed in a row before this failure gave up. */
  tries?: number
}

/** One line per state: what happened in plain words, and what happens next. */
export function stateHumanLine(state: FeedState, words: StateWords): string {
  switch (state.kind) {
    case 'connecting':
      return `tidings: connecting to ${visible(words.url)}${words.via ? ` (${words.via})` : ''}\n`
    case 'open':
      return 'tidings: connected\n'
    case 'reconnecting': {
      const retry = words.retry ? ` (${retryCount(words.retry)})` : ''
      const nextTryIn = `in ${seconds(state.delayMs)}${retry}`
      return problemLine('', state.reason, state.facts, words, nextTryIn)
    }
    case 'stopped':
      return `tidings: stopped: ${visible(state.reason)}\n`
    case 'failed':
      return problemLine(
        words.tries && words.tries > 1 ? `failed after ${words.tries} tries: ` : 'failed: ',
        state.reason,
        state.facts,
        words,
      )
  }
}

function problemLine(
  prefix: string,
  reason: string,
  facts: FailureFacts | undefined,
  words: StateWords,
  nextTryIn?: string,
): string {
  const parts = plainWords(reason, facts, words.url)
  // The window's words for what it does next, with when.
  if (nextTryIn) parts.push(`Tidings tries again ${nextTryIn}.`)
  if (words.hint) parts.push(words.hint)
  const said = parts[0]!.toLowerCase().includes(reason.toLowerCase())
  if (words.verbose && !said) parts.push(`[${reason}]`)
  return `tidings: ${prefix}${visible(parts.join(' '))}\n`
}

/** The window's plain words for a problem (src/shared/feed-problem.ts) and its next step. */
function plainWords(reason: string, facts: FailureFacts | undefined, url: string): string[] {
  const problem = describeFailure(reason, facts, { url, retrying: false })
  // The window's next step for a certificate is its Trust button; tail's follows on lines of
  // its own: the certificate presented, and the --trust-cert to run (src/main/cli/tail.ts).
  const next = problem.fix === 'trust' ? '' : problem.next
  return next ? [sentence(problem.summary), next] : [sentence(problem.summary)]
}

/** "retry 2", or "retry 2 of 5" with a limit. */
function retryCount({ count, limit }: { count: number; limit: number }): string {
  return Number.isFinite(limit) ? `retry ${count} of ${limit}` : `retry ${count}`
}

/** The text as a sentence: a full stop unless it already ends like one. */
function sentence(text: string): string {
  return /[.?!…”"]$/.test(text) ? text : `${text}.`
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

/** Text safe to print on a terminal, its line breaks kept. */
function visibleLines(text: string): string {
  return text.includes('\n') ? text.split('\n').map(visible).join('\n') : visible(text)
}

/** Text safe to print on one terminal line: line breaks as ⏎, other controls as \u escapes. */
export function visible(text: string): string {
  return text.replace(CONTROL, (char) => {
    if (char === '\n') return '⏎'
    if (char === '\t') return ' '
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
}
