// Notifications held back to be told as one (flood summary, catch-up, digest): a count, and the
// few most important ones in full so the summary can name them.
import { MAX_BODY, MAX_TITLE, plainText, plural } from '../../shared/decide/text.ts'
import type { OutgoingKind, OutgoingNotification } from './types.ts'

const RANK: Record<OutgoingKind, number> = {
  'task-failed': 6,
  'feed-down': 5,
  'task-completed': 4,
  finished: 4,
  message: 3,
  'catch-up': 2,
  summary: 2,
  'feed-up': 2,
  news: 1,
  digest: 0,
}

const KEPT = 5

interface Held {
  notification: OutgoingNotification
  weight: number
  order: number
}

export class Bucket {
  #count = 0
  #order = 0
  #urgent = false
  readonly #top: Held[] = []
  readonly #byKind = new Map<OutgoingKind, number>()
  readonly #byFeed = new Map<string | null, number>()

  /** `weight` > 1 for a summary standing for several notifications. */
  add(notification: OutgoingNotification, weight = 1): void {
    this.#count += weight
    this.#urgent ||= notification.urgent === true
    this.#byKind.set(notification.kind, (this.#byKind.get(notification.kind) ?? 0) + weight)
    this.#byFeed.set(notification.feedId, (this.#byFeed.get(notification.feedId) ?? 0) + weight)
    this.#top.push({ notification, weight, order: this.#order++ })
    this.#top.sort(
      (a, b) => RANK[b.notification.kind] - RANK[a.notification.kind] || a.order - b.order,
    )
    this.#top.length = Math.min(this.#top.length, KEPT)
  }

  get count(): number {
    return this.#count
  }

  get urgent(): boolean {
    return this.#urgent
  }

  /** The one notification when the bucket holds exactly one (weight 1), else null. */
  single(): OutgoingNotification | null {
    const only = this.#top[0]
    return this.#count === 1 && only?.weight === 1 ? only.notification : null
  }

  /** The most important first. */
  top(): OutgoingNotification[] {
    return this.#top.map((held) => held.notification)
  }

  /** The event a click on the summary opens: the most important one that has an event. */
  eventSeq(): number | undefined {
    return this.#top.find((held) => held.notification.eventSeq !== undefined)?.notification.eventSeq
  }

  byFeed(): Map<string | null, number> {
    return new Map(this.#byFeed)
  }

  /** "2 failed, 3 completed, 4 news" (summaries inside count as "others"). */
  kindsPhrase(): string {
    const parts: string[] = []
    let others = 0
    for (const [kind, count] of [...this.#byKind].sort((a, b) => RANK[b[0]] - RANK[a[0]])) {
      const label = KIND_LABEL[kind]
      if (label) parts.push(label(count))
      else others += count
    }
    if (others > 0) parts.push(plural(others, 'other'))
    return parts.join(', ')
  }

  /** "Build #42 failed · Deploy failed · and 10 more" */
  titlesPhrase(limit = 3): string {
    const shown = this.#top.slice(0, limit)
    const titles = shown.map((held) => held.notification.title)
    const rest = this.#count - shown.reduce((sum, held) => sum + held.weight, 0)
    if (rest > 0) titles.push(`and ${rest} more`)
    return titles.join(' · ')
  }
}

/** One notification for what a bucket holds: its kinds, then the most important titles. */
export function bucketSummary(
  bucket: Bucket,
  notice: { key: string; feedId: string; kind: 'summary' | 'catch-up'; title: string },
): OutgoingNotification {
  const summary: OutgoingNotification = {
    key: notice.key,
    feedId: notice.feedId,
    kind: notice.kind,
    title: plainText(notice.title, MAX_TITLE),
    body: plainText(`${bucket.kindsPhrase()}: ${bucket.titlesPhrase()}`, MAX_BODY),
  }
  const seq = bucket.eventSeq()
  if (seq !== undefined) summary.eventSeq = seq
  if (bucket.urgent) summary.urgent = true
  return summary
}

const KIND_LABEL: Partial<Record<OutgoingKind, (count: number) => string>> = {
  'task-failed': (count) => `${count} failed`,
  'feed-down': (count) => `${count} disconnected`,
  'task-completed': (count) => `${count} completed`,
  finished: (count) => `${count} finished`,
  message: (count) => plural(count, 'message'),
  'feed-up': (count) => `${count} reconnected`,
  news: (count) => `${count} news`,
}
