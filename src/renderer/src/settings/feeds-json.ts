// Import and export of feeds as JSON. Exports leave secrets out (a secret header keeps its name
// and flag, with an empty value); imports are all-or-nothing with the first problem named.
import type { FeedSetting, HeaderSetting } from '../../../shared/settings.ts'
import { feedSettingSchema } from '../../../shared/settings.ts'
import { describePath, friendly, newFeedId } from './draft.ts'

export const EXPORT_KIND = 'tidings-feeds'

export function exportFeeds(feeds: readonly FeedSetting[]): string {
  const exported = feeds.map((feed) => {
    const { id: _id, snoozedUntil: _snoozed, ...rest } = feed
    return {
      ...rest,
      headers: feed.headers.map((header: HeaderSetting) => ({
        name: header.name,
        value: header.secret ? '' : header.value,
        secret: header.secret,
      })),
    }
  })
  return `${JSON.stringify({ kind: EXPORT_KIND, version: 1, feeds: exported }, null, 2)}\n`
}

export type ImportResult = { ok: true; feeds: FeedSetting[] } | { ok: false; error: string }

/** Parses an export (or a bare array of feeds); every feed gets a fresh id. */
export function importFeeds(text: string): ImportResult {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { ok: false, error: `The file is not valid JSON (${(error as Error).message}).` }
  }
  const list: unknown = Array.isArray(value)
    ? value
    : value && typeof value === 'object'
      ? (value as { feeds?: unknown }).feeds
      : undefined
  if (!Array.isArray(list))
    return { ok: false, error: 'Expected a Tidings feeds export: an object with a "feeds" array.' }
  if (list.length === 0) return { ok: false, error: 'The file contains no feeds.' }
  if (list.length > 500)
    return { ok: false, error: `Too many feeds (${list.length}, at most 500).` }
  const feeds: FeedSetting[] = []
  for (const [index, item] of list.entries()) {
    if (!item || typeof item !== 'object' || Array.isArray(item))
      return { ok: false, error: `Feed ${index + 1} is not an object.` }
    const candidate: Record<string, unknown> = {
      ...(item as Record<string, unknown>),
      id: newFeedId(),
      snoozedUntil: null,
    }
    if (Array.isArray(candidate.headers))
      candidate.headers = candidate.headers.map((header: unknown) =>
        header && typeof header === 'object' ? { ...header, stored: undefined } : header,
      )
    const parsed = feedSettingSchema.safeParse(candidate)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const name = typeof candidate.name === 'string' ? candidate.name : undefined
      const where = describePath(`feeds.${index}.${issue.path.join('.')}`, () => name)
      return { ok: false, error: `${where}: ${friendly(issue.message)}` }
    }
    feeds.push(parsed.data)
  }
  return { ok: true, feeds }
}
