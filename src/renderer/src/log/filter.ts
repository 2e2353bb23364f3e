// The log's filter: feed, type, notification kind and a case-insensitive text search.
import type { LoggedEvent } from '../../../shared/ipc.ts'
import type { EventPredicate } from '../state/filtered-log.ts'

export type KindFilter =
  'any' | 'notified' | 'none' | 'task-completed' | 'task-failed' | 'news' | 'message'

export interface LogFilter {
  feedId: string | null
  type: string | null
  kind: KindFilter
  search: string
}

export const EMPTY_FILTER: LogFilter = { feedId: null, type: null, kind: 'any', search: '' }

export function isFiltering(filter: LogFilter): boolean {
  return (
    filter.feedId !== null ||
    filter.type !== null ||
    filter.kind !== 'any' ||
    filter.search.trim() !== ''
  )
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A predicate for the filter; feed names are searched too, so `feedName` maps ids to names. */
export function makePredicate(
  filter: LogFilter,
  feedName: (feedId: string) => string | undefined,
): EventPredicate {
  const { feedId, type, kind } = filter
  const query = filter.search.trim()
  // A case-insensitive regex scans without allocating lower-cased copies of every event.
  const pattern = query === '' ? null : new RegExp(escapeRegExp(query), 'i')
  return (event: LoggedEvent) => {
    if (feedId !== null && event.feedId !== feedId) return false
    if (type !== null && event.type !== type) return false
    if (kind !== 'any') {
      const decided = event.notification?.kind
      if (
        kind === 'notified'
          ? decided === undefined
          : kind === 'none'
            ? decided !== undefined
            : decided !== kind
      )
        return false
    }
    if (pattern === null) return true
    const decision = event.notification
    return (
      pattern.test(event.data) ||
      pattern.test(event.type) ||
      pattern.test(event.id) ||
      (decision !== null && (pattern.test(decision.title) || pattern.test(decision.body))) ||
      pattern.test(feedName(event.feedId) ?? event.feedId)
    )
  }
}
