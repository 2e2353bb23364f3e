// Text for the log: everything here returns plain strings that React renders as text.
import type { LoggedEvent } from '../../../shared/ipc.ts'
import { formatDuration } from '../../../shared/decide/text.ts'
import type { NotificationKind } from '../../../shared/notification.ts'
import type { StreamRow } from '../state/event-store.ts'

// The one duration format, the notifications' own ("3 min 12 s"), so the window says the same.
export { formatDuration }

const SUMMARY_MAX = 240
const summaries = new WeakMap<LoggedEvent, string>()

/** One line: the notification's title and body, else the data's text fields, else the data. */
export function summarize(event: LoggedEvent): string {
  const cached = summaries.get(event)
  if (cached !== undefined) return cached
  const summary = clip(collapse(summaryText(event)), SUMMARY_MAX)
  summaries.set(event, summary)
  return summary
}

function summaryText(event: LoggedEvent): string {
  const decision = event.notification
  if (decision) return decision.body ? `${decision.title} — ${decision.body}` : decision.title
  const data = event.data
  if (data.startsWith('{') && data.length < 64 * 1024) {
    const value = parseJson(data)
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const text = describeObject(value as Record<string, unknown>)
      if (text !== '') return text
    }
  }
  return data
}

const TITLE_FIELDS = ['title', 'name', 'headline', 'subject', 'task', 'job']
const BODY_FIELDS = ['message', 'body', 'text', 'description', 'error', 'summary', 'delta', 'token']

/** "Export report · running · 30% · Uploading" from the usual field names. */
function describeObject(fields: Record<string, unknown>): string {
  const first = (names: string[]): string | undefined =>
    names
      .map((name) => fields[name])
      .find((value): value is string => typeof value === 'string' && value.trim() !== '')
  const parts: string[] = []
  const title = first(TITLE_FIELDS)
  if (title) parts.push(title)
  const status = first(['status', 'state', 'result'])
  if (status) parts.push(status)
  const progress = fields.progress ?? fields.percent
  if (typeof progress === 'number' && Number.isFinite(progress))
    parts.push(`${Math.round(progress <= 1 ? progress * 100 : progress)}%`)
  const body = first(BODY_FIELDS)
  if (body) parts.push(body)
  return parts.join(' · ')
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

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

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

/** The event as one JSON line for export and "copy event". */
export function eventAsJson(event: LoggedEvent, feedName?: string): string {
  return JSON.stringify({
    seq: event.seq,
    receivedAt: new Date(event.receivedAt).toISOString(),
    feedId: event.feedId,
    ...(feedName === undefined ? {} : { feed: feedName }),
    type: event.type,
    id: event.id,
    data: event.data,
    notification: event.notification,
  })
}
