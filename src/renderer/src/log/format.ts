// Text for the log: everything here returns plain strings that React renders as text.
import type { LoggedEvent } from '../../../shared/ipc.ts'
import { formatDuration } from '../../../shared/decide/text.ts'
import { clipText, collapseSpace, eventSummary } from '../../../shared/event-summary.ts'
import { exportTime } from '../../../shared/event-time.ts'
import type { NotificationKind } from '../../../shared/notification.ts'
import type { StreamRow } from '../state/event-store.ts'

// The one duration format, the notifications' own ("3 min 12 s"), so the window says the same.
export { formatDuration }

const summaries = new WeakMap<LoggedEvent, string>()

/** One line (src/shared/event-summary.ts), computed once per event. */
export function summarize(event: LoggedEvent): string {
  const cached = summaries.get(event)
  if (cached !== undefined) return cached
  const summary = eventSummary(event)
  summaries.set(event, summary)
  return summary
}

/** The data pretty-printed when it is JSON, else as received. */
export function prettyData(data: string): { text: string; json: boolean } {
  const trimmed = data.trim()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const value = parseJson(trimmed)
    if (value !== undefined) return { text: JSON.stringify(value, null, 2), json: true }
  }
  return { text: data, json: false }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

export const collapse = collapseSpace
export const clip = clipText

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0')
}

/** ["14:03:07", ".125"] in local time: the log's time column (narrow windows drop the ms). */
export function clockTime(epochMs: number): [string, string] {
  const date = new Date(epochMs)
  return [
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`,
    `.${pad(date.getMilliseconds(), 3)}`,
  ]
}

const STREAM_TAIL = 200

/**
 * A stream's row: while it streams, the newest of its text (it grows at the end); once done,
 * its start. Then how many tokens it took.
 */
export function streamSummary(stream: StreamRow): string {
  const { text, done, tokens } = stream
  const part = done
    ? clip(collapse(text.slice(0, STREAM_TAIL * 2)), STREAM_TAIL)
    : tailOf(collapse(text.slice(-STREAM_TAIL * 2)), STREAM_TAIL)
  return `${part} (${tokens.toLocaleString()} ${tokens === 1 ? 'token' : 'tokens'})`
}

function tailOf(text: string, max: number): string {
  return text.length > max ? `…${text.slice(-(max - 1))}` : text
}

/** 14:03 or, for another day, 12 Mar 14:03. */
export function shortDateTime(epochMs: number, now = Date.now()): string {
  const date = new Date(epochMs)
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`
  if (new Date(now).toDateString() === date.toDateString()) return time
  return `${date.getDate()} ${date.toLocaleString(undefined, { month: 'short' })} ${time}`
}

/** "5 s ago", "3 min ago": for since / last event columns. */
export function ago(epochMs: number, now: number): string {
  const ms = Math.max(0, now - epochMs)
  if (ms < 1000) return 'just now'
  return `${formatDuration(Math.floor(ms / 1000) * 1000)} ago`
}

/** The tone (styles/tokens.css) each kind's chip takes. */
export const KIND_TONES: Record<NotificationKind, 'ok' | 'bad' | 'news' | 'msg'> = {
  'task-completed': 'ok',
  'task-failed': 'bad',
  news: 'news',
  message: 'msg',
}

export const KIND_LABELS: Record<NotificationKind, string> = {
  'task-completed': 'completed',
  'task-failed': 'failed',
  news: 'news',
  message: 'message',
}

/** The event as one JSON line for export and "copy event" (docs/formats.md). */
export function eventAsJson(event: LoggedEvent, feedName?: string): string {
  return JSON.stringify({
    seq: event.seq,
    receivedAt: exportTime(event.receivedAt),
    feedId: event.feedId,
    ...(feedName === undefined ? {} : { feed: feedName }),
    type: event.type,
    id: event.id,
    data: event.data,
    notification: event.notification,
  })
}
