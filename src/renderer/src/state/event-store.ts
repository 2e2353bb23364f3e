// The log's events in the window: append-only in seq order, bounded, cheap to append in batches.
// A token stream's chunks (src/shared/stream-chunk.ts) join one growing row instead of a row
// each. Plain TypeScript (no DOM, no React) so it can be tested and benchmarked on its own.
import type { LoggedEvent } from '../../../shared/ipc.ts'
import { mayBeChunk, streamChunk } from '../../../shared/stream-chunk.ts'

/** The window keeps this many rows (the history on disk keeps its own count). */
export const DEFAULT_LOG_CAPACITY = 100_000
/** Distinct types offered in the filter: a hostile feed could invent one per event. */
const MAX_TYPES = 500
/** A stream row holds at most this much text, and this many chunks (then a new row starts). */
const STREAM_MAX_CHARS = 100_000
const STREAM_MAX_CHUNKS = 20_000

/** The chunks of one token stream, gathered in the row of its first chunk. */
export interface StreamRow {
  streamId: string
  text: string
  /** Chunks with text. */
  tokens: number
  done: boolean
  /** The text hit its cap and stopped growing. */
  truncated: boolean
  /** Every event of the stream, in order (the row's export). */
  events: LoggedEvent[]
  /** Bumped on every chunk, so the row re-renders while it grows. */
  revision: number
}

/** One row of the log: an event, or the first event of a stream with the rest in `stream`. */
export interface LogEntry extends LoggedEvent {
  stream?: StreamRow
}

type Listener = () => void

export class EventStore {
  readonly capacity: number
  private events: LogEntry[] = []
  private lastSeq = -Infinity
  private version = 0
  /** Bumped by clear() and its undo: views must rebuild instead of catching up. */
  private generation = 0
  private readonly listeners = new Set<Listener>()
  private readonly types = new Set<string>()
  /** Streams still growing, by feed and stream id. */
  private readonly open = new Map<string, LogEntry>()
  private cleared: LogEntry[] | null = null
  /** Notified chunks that joined a stream's row (a stream's end), by their seq. */
  private readonly notified = new Map<number, LogEntry>()

  constructor(options: { capacity?: number } = {}) {
    this.capacity = Math.max(1, options.capacity ?? DEFAULT_LOG_CAPACITY)
  }

  /** Adds events newer than any seen; repeats (snapshot and push overlap) are dropped. */
  append(batch: readonly LoggedEvent[]): LoggedEvent[] {
    const accepted: LoggedEvent[] = []
    for (const event of batch) {
      if (!(event.seq > this.lastSeq)) continue
      this.lastSeq = event.seq
      accepted.push(event)
      const row = this.rowFor(event)
      if (row === null) continue
      this.events.push(row)
      if (this.types.size < MAX_TYPES) this.types.add(event.type)
    }
    if (accepted.length === 0) return accepted
    // Trim in chunks of a tenth so the copy is amortised over many batches.
    if (this.events.length > this.capacity + Math.ceil(this.capacity / 10))
      this.events = this.events.slice(this.events.length - this.capacity)
    this.bump()
    return accepted
  }

  /**
   * Empties the window (the history on disk keeps everything); events that arrive later still
   * show (seq keeps counting). Returns how many rows were hidden; undoClear() brings them back.
   */
  clear(): number {
    const hidden = this.events.length
    this.cleared = this.events
    this.events = []
    this.types.clear()
    this.open.clear()
    this.generation++
    this.bump()
    return hidden
  }

  /** Brings back what the last clear() hid, before what arrived since. */
  undoClear(): boolean {
    const cleared = this.cleared
    if (!cleared) return false
    this.cleared = null
    const first = this.events[0]?.seq ?? Infinity
    this.events = cleared.filter((entry) => entry.seq < first).concat(this.events)
    if (this.events.length > this.capacity)
      this.events = this.events.slice(this.events.length - this.capacity)
    for (const entry of this.events) if (this.types.size < MAX_TYPES) this.types.add(entry.type)
    this.generation++
    this.bump()
    return true
  }

  /** Whether a clear() can be undone. */
  get canUndoClear(): boolean {
    return this.cleared !== null
  }

  all(): readonly LogEntry[] {
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

  /** The row of this event: its own, or its stream's when it was a notified end that joined it. */
  findBySeq(seq: number): LogEntry | undefined {
    const index = lowerBoundBySeq(this.events, seq)
    const event = this.events[index]
    if (event?.seq === seq) return event
    const row = this.notified.get(seq)
    return row && this.findBySeq(row.seq) === row ? row : undefined
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

  /** The row the event starts, or null when it joined the open row of its stream. */
  private rowFor(event: LoggedEvent): LogEntry | null {
    // Most events are not chunks at all.
    if (!mayBeChunk(event.data)) return event
    const chunk = streamChunk(event.type, event.data)
    // A notified chunk stays a row of its own, unless it is the end of its stream.
    if (chunk === null || (event.notification !== null && !chunk.done)) return event
    const key = `${event.feedId}\u0000${chunk.streamId}`
    const row = this.open.get(key)
    const stream = row?.stream
    const first = this.events[0]
    if (
      row &&
      stream &&
      first &&
      row.seq >= first.seq &&
      stream.events.length < STREAM_MAX_CHUNKS
    ) {
      if (chunk.piece !== null) {
        stream.tokens++
        if (stream.text.length + chunk.piece.length <= STREAM_MAX_CHARS) stream.text += chunk.piece
        else stream.truncated = true
      }
      stream.done ||= chunk.done
      stream.events.push(event)
      if (event.notification !== null) {
        // The end raised a notification: the row shows it, and a click on it finds the row.
        row.notification = event.notification
        this.notified.set(event.seq, row)
      }
      stream.revision++
      if (stream.done) this.open.delete(key)
      return null
    }
    if (chunk.piece === null) return event
    if (this.notified.size > 1000) this.notified.clear()
    const entry: LogEntry = { ...event }
    entry.stream = {
      streamId: chunk.streamId,
      text: chunk.piece.slice(0, STREAM_MAX_CHARS),
      tokens: 1,
      done: chunk.done,
      truncated: chunk.piece.length > STREAM_MAX_CHARS,
      events: [event],
      revision: 0,
    }
    if (!chunk.done) this.open.set(key, entry)
    // Bounded: streams that never end are forgotten oldest first.
    if (this.open.size > 1000) this.open.delete(this.open.keys().next().value!)
    return entry
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
