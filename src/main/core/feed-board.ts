// The status of every configured feed as the window and the tray show it, kept up to date from
// the settings and the engine's state changes and events.
import type { FeedEvent, FeedState, FeedStateChange } from '../../shared/feed.ts'
import type { FeedStatus } from '../../shared/ipc.ts'
import type { StoredFeed } from '../store/settings-schema.ts'

const PALETTE = [
  '#3b82f6',
  '#10b981',
  '#f59e0b',
  '#ef4444',
  '#8b5cf6',
  '#ec4899',
  '#14b8a6',
  '#f97316',
]

/** A stable colour per feed id, for feeds without a chosen one. */
export function feedColor(feed: Pick<StoredFeed, 'id' | 'color'>): string {
  if (feed.color) return feed.color
  let hash = 0
  for (const char of feed.id) hash = (hash * 31 + char.charCodeAt(0)) | 0
  return PALETTE[Math.abs(hash) % PALETTE.length] as string
}

export class FeedBoard {
  #now: () => number
  #feeds = new Map<string, FeedStatus>()

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  /** Follows the settings: adds, updates and removes feeds, keeping their live state. */
  sync(
    feeds: readonly StoredFeed[],
    details: { url(feed: StoredFeed): string; lastEventId(feedId: string): string | undefined },
  ): void {
    const next = new Map<string, FeedStatus>()
    for (const feed of feeds) {
      const existing = this.#feeds.get(feed.id)
      const state: FeedState =
        existing?.state ??
        (feed.enabled ? { kind: 'connecting' } : { kind: 'stopped', reason: 'disabled' })
      next.set(feed.id, {
        id: feed.id,
        name: feed.name,
        color: feedColor(feed),
        url: details.url(feed),
        enabled: feed.enabled,
        state,
        since: existing?.since ?? this.#now(),
        lastEventAt: existing?.lastEventAt ?? null,
        lastAliveAt: existing?.lastAliveAt ?? null,
        lastEventId: existing?.lastEventId ?? details.lastEventId(feed.id) ?? null,
        eventCount: existing?.eventCount ?? 0,
        nextRetryAt: existing?.nextRetryAt ?? null,
        snoozedUntil: feed.snoozedUntil,
      })
    }
    this.#feeds = next
  }

  /** Returns false for a feed the board does not know (removed meanwhile). */
  onState(change: FeedStateChange): boolean {
    const feed = this.#feeds.get(change.feedId)
    if (!feed) return false
    feed.state = change.state
    feed.since = change.at
    feed.nextRetryAt =
      change.state.kind === 'reconnecting' ? change.at + change.state.delayMs : null
    return true
  }

  /** A health event (keepalive): a sign of life, not an event. */
  onHealth(event: FeedEvent): boolean {
    const feed = this.#feeds.get(event.feedId)
    if (!feed) return false
    feed.lastAliveAt = event.receivedAt
    return true
  }

  onEvent(event: FeedEvent): boolean {
    const feed = this.#feeds.get(event.feedId)
    if (!feed) return false
    feed.lastEventAt = event.receivedAt
    feed.lastAliveAt = event.receivedAt
    feed.lastEventId = event.id === '' ? null : event.id
    feed.eventCount++
    return true
  }

  get(feedId: string): FeedStatus | undefined {
    return this.#feeds.get(feedId)
  }

  /** Copies, in settings order. */
  list(): FeedStatus[] {
    return [...this.#feeds.values()].map((feed) => ({ ...feed }))
  }
}
