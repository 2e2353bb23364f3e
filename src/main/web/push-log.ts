// The pushes tidings ui has sent its pages, numbered, so a page whose stream dropped gets
// exactly what it missed when it comes back with Last-Event-ID. Event batches and one-shot
// pushes (focus-event, navigate) are kept in order up to a bound; state channels (feeds, tasks,
// settings) only their latest value, as the push queue sends them. A page that fell further
// behind than the bound is told to reload its state instead (`since` returns null).
import { randomBytes } from 'node:crypto'
import type { IpcPushChannel, IpcPushes } from '../../shared/ipc.ts'
import { LATEST_ORDER } from '../core/push-queue.ts'

export interface PushEntry {
  id: number
  channel: IpcPushChannel
  /** The payload as JSON, serialised once for every page. */
  json: string
}

/** The push queue's latest-only channels: a page needs only their newest value. */
const LATEST: ReadonlySet<IpcPushChannel> = new Set(LATEST_ORDER)

export interface PushLogOptions {
  /** Most events kept for replay, over all kept batches. */
  maxEvents?: number
  /** Most ordered pushes (batches and one-shots) kept for replay. */
  maxEntries?: number
  /** Most bytes of JSON kept for replay (events can be large). */
  maxBytes?: number
}

export class PushLog {
  /** Tells this run's ids from another's: a page of an earlier run must reload. */
  readonly run = randomBytes(4).toString('hex')
  readonly maxEvents: number
  readonly maxEntries: number
  readonly maxBytes: number
  #lastId = 0
  #bytes = 0
  #ordered: Array<PushEntry & { events: number }> = []
  #head = 0
  #events = 0
  #latest = new Map<IpcPushChannel, PushEntry>()
  /** The newest id dropped from the ordered pushes: a page behind it cannot catch up. */
  #lostUpTo = 0

  constructor(options: PushLogOptions = {}) {
    this.maxEvents = options.maxEvents ?? 10_000
    this.maxEntries = options.maxEntries ?? 2_000
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024
  }

  get lastId(): number {
    return this.#lastId
  }

  /** The SSE id of a push: `<run>-<number>`. */
  eventId(id: number): string {
    return `${this.run}-${id}`
  }

  /** The number in an SSE id of this run; null for another run's or a malformed one. */
  parseEventId(text: string | undefined | null): number | null {
    const match = /^([0-9a-f]{8})-(\d{1,15})$/.exec(text ?? '')
    if (!match || match[1] !== this.run) return null
    const id = Number(match[2])
    return id <= this.#lastId ? id : null
  }

  append<C extends IpcPushChannel>(channel: C, payload: IpcPushes[C]): PushEntry {
    const entry: PushEntry = { id: ++this.#lastId, channel, json: JSON.stringify(payload) }
    if (LATEST.has(channel)) {
      this.#latest.set(channel, entry)
      return entry
    }
    const events = channel === 'events' ? (payload as unknown[]).length : 0
    this.#ordered.push({ ...entry, events })
    this.#events += events
    this.#bytes += entry.json.length
    this.#trim()
    return entry
  }

  /** Every push after `id` that is still current, in order; null when some were dropped. */
  since(id: number): PushEntry[] | null {
    if (id < this.#lostUpTo) return null
    const missed: PushEntry[] = []
    for (let at = this.#head; at < this.#ordered.length; at++) {
      const entry = this.#ordered[at]!
      if (entry.id > id) missed.push(entry)
    }
    for (const entry of this.#latest.values()) if (entry.id > id) missed.push(entry)
    return missed.sort((a, b) => a.id - b.id)
  }

  #trim(): void {
    while (
      this.#ordered.length - this.#head > this.maxEntries ||
      ((this.#events > this.maxEvents || this.#bytes > this.maxBytes) &&
        this.#ordered.length - this.#head > 1)
    ) {
      const dropped = this.#ordered[this.#head++]!
      this.#events -= dropped.events
      this.#bytes -= dropped.json.length
      this.#lostUpTo = dropped.id
    }
    // Compacted in one go once half is dead, so dropping stays O(1) per push.
    if (this.#head > 1024 && this.#head * 2 > this.#ordered.length) {
      this.#ordered = this.#ordered.slice(this.#head)
      this.#head = 0
    }
  }
}
