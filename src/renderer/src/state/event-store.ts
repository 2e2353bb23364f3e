// The log's events in the window: append-only in seq order, bounded, cheap to append in batches.
// Plain TypeScript (no DOM, no React) so it can be tested and benchmarked on its own.
import type { LoggedEvent } from '../../../shared/ipc.ts'

export const DEFAULT_LOG_CAPACITY = 50_000
/** Distinct types offered in the filter: a hostile feed could invent one per event. */
const MAX_TYPES = 500

type Listener = () => void

export class EventStore {
  readonly capacity: number
  private events: LoggedEvent[] = []
  private lastSeq = -Infinity
  private version = 0
  /** Bumped by clear(): views must rebuild instead of catching up. */
  private generation = 0
  private readonly listeners = new Set<Listener>()
  private readonly types = new Set<string>()

  constructor(options: { capacity?: number } = {}) {
    this.capacity = Math.max(1, options.capacity ?? DEFAULT_LOG_CAPACITY)
  }

  /** Adds events newer than any seen; repeats (snapshot and push overlap) are dropped. */
  append(batch: readonly LoggedEvent[]): LoggedEvent[] {
    const accepted: LoggedEvent[] = []
    for (const event of batch) {
      if (!(event.seq > this.lastSeq)) continue
      this.lastSeq = event.seq
      this.events.push(event)
      if (this.types.size < MAX_TYPES) this.types.add(event.type)
      accepted.push(event)
    }
    if (accepted.length === 0) return accepted
    // Trim in chunks of a tenth so the copy is amortised over many batches.
    if (this.events.length > this.capacity + Math.ceil(this.capacity / 10))
      this.events = this.events.slice(this.events.length - this.capacity)
    this.bump()
    return accepted
  }

  /** Empties the window; events that arrive later still show (seq keeps counting). */
  clear(): void {
    this.events = []
    this.types.clear()
    this.generation++
    this.bump()
  }

  all(): readonly LoggedEvent[] {
    return this.events
  }

  get size(): number {
    return this.events.length
  }

  getGeneration(): number {
    return this.generation
  }

  /** Event types seen since the last clear, for the filter. */
  seenTypes(): string[] {
    return [...this.types].sort()
  }

  findBySeq(seq: number): LoggedEvent | undefined {
    const index = lowerBoundBySeq(this.events, seq)
    const event = this.events[index]
    return event?.seq === seq ? event : undefined
  }

  getVersion = (): number => this.version

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private bump(): void {
    this.version++
    for (const listener of this.listeners) listener()
  }
}

/** Index of the first event whose seq is >= `seq` (events sorted by seq). */
export function lowerBoundBySeq(events: readonly LoggedEvent[], seq: number): number {
  let low = 0
  let high = events.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (events[middle]!.seq < seq) low = middle + 1
    else high = middle
  }
  return low
}
