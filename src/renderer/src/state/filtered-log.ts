// The rows the log shows: the store's events that pass the filter, kept in step with the store
// incrementally (only new events are tested; a trim drops rows from the front).
import type { LoggedEvent } from '../../../shared/ipc.ts'
import { lowerBoundBySeq, type EventStore, type LogEntry } from './event-store.ts'

export type EventPredicate = (event: LoggedEvent) => boolean

export interface SyncResult {
  rows: readonly LogEntry[]
  /** Rows dropped from the front by this sync (the store trimmed), for scroll compensation. */
  trimmed: number
}

export class FilteredLog {
  private readonly store: EventStore
  /**
   * One array for the view's whole life, changed in place. A render's closures keep that
   * render's variables, its `rows` among them, for as long as any of them lives (a callback
   * memoised in the first render lives as long as the view): handing out a new array at each
   * trim left every older one, events the store had dropped included, alive behind them.
   */
  private readonly rows: LogEntry[] = []
  private predicate: EventPredicate | null = null
  private generation = -1
  private lastSeq = -Infinity

  constructor(store: EventStore) {
    this.store = store
  }

  /** Brings the rows up to date with the store; cheap to call on every render. */
  sync(predicate: EventPredicate): SyncResult {
    const events = this.store.all()
    if (predicate !== this.predicate || this.store.getGeneration() !== this.generation) {
      this.predicate = predicate
      this.generation = this.store.getGeneration()
      this.rows.length = 0
      for (const event of events) if (predicate(event)) this.rows.push(event)
      this.lastSeq = events.at(-1)?.seq ?? -Infinity
      return { rows: this.rows, trimmed: 0 }
    }
    let start = events.length
    while (start > 0 && events[start - 1]!.seq > this.lastSeq) start--
    for (let index = start; index < events.length; index++) {
      const event = events[index]!
      if (predicate(event)) this.rows.push(event)
    }
    if (events.length > 0) this.lastSeq = events.at(-1)!.seq
    let trimmed = 0
    const first = events[0]
    if (first && this.rows.length > 0 && this.rows[0]!.seq < first.seq) {
      trimmed = lowerBoundBySeq(this.rows, first.seq)
      this.rows.splice(0, trimmed)
    }
    return { rows: this.rows, trimmed }
  }
}
