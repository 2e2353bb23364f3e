// "Never twice for the same event": a bounded memory of the events already handled.
import { createHash } from 'node:crypto'
import type { LoggedEvent } from '../../shared/ipc.ts'

/** The event's key: feed + id when it has one, else feed + seq. The id is the stream's last
 *  event id, which id-less events after an identified one inherit, so the content is part of
 *  the key too: a replayed event matches, a different event under the same id does not. */
export function eventKey(
  event: Pick<LoggedEvent, 'feedId' | 'id' | 'seq' | 'type' | 'data'>,
): string {
  if (!event.id) return `${event.feedId}\u0000seq\u0000${event.seq}`
  const digest = createHash('sha1')
    .update(event.type)
    .update('\n')
    .update(event.data)
    .digest('base64')
  return `${event.feedId}\u0000id\u0000${event.id}\u0000${digest}`
}

export class BoundedSet {
  readonly #keys = new Set<string>()
  readonly #limit: number

  constructor(limit: number) {
    this.#limit = Math.max(1, limit)
  }

  /** Adds the key; false when it was already there. */
  add(key: string): boolean {
    if (this.#keys.has(key)) return false
    this.#keys.add(key)
    // Sets iterate in insertion order: the first key is the oldest.
    if (this.#keys.size > this.#limit) this.#keys.delete(this.#keys.values().next().value as string)
    return true
  }

  get size(): number {
    return this.#keys.size
  }

  clear(): void {
    this.#keys.clear()
  }
}
