// One event on one line, as the Log shows it (and, for the same words, the CLI's tail): the
// notification's title and body, else the data's usual text fields ("Build #41 · running · 60%"),
// else the data itself. Plain text, whitespace collapsed, at most 240 characters.
import type { NotificationDecision } from './notification.ts'

export const SUMMARY_MAX = 240

export function eventSummary(event: {
  data: string
  notification?: NotificationDecision | null
}): string {
  return clipText(collapseSpace(summaryText(event)), SUMMARY_MAX)
}

function summaryText(event: { data: string; notification?: NotificationDecision | null }): string {
  const decision = event.notification
  if (decision) return decision.body ? `${decision.title} — ${decision.body}` : decision.title
  const data = event.data
  if (data.startsWith('{') && data.length < 64 * 1024) {
    let value: unknown
    try {
      value = JSON.parse(data)
    } catch {
      value = undefined
    }
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

export function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

export function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
