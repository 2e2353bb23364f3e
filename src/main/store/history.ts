// The event history: the last N events (default 10 000), in memory for the log window and on
// disk as JSON Lines in the user data folder. Appends are batched and asynchronous so the
// main loop never waits on the disk; the file is compacted (temp file + rename, so a crash
// leaves either the old or the new file) once it holds half as many lines again as needed.
// A crash mid-append leaves a torn last line: opening skips it and any damaged line, and
// rewrites the file so later appends do not glue onto the damage.
import { open, readFile, rm } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import type { LoggedEvent } from '../../shared/ipc.ts'
import { writeFileAtomic } from './atomic-file.ts'

export interface HistoryOptions {
  file: string
  /** Most events kept. */
  limit: number
  /** Most characters of event data kept, in memory and so on disk (bounds huge events). */
  maxChars?: number
  /** Told about anything recovered from or any write that failed (never throws). */
  log?: (message: string) => void
}

export interface Recovery {
  /** Lines that could not be read back (torn by a crash, or damaged). */
  droppedLines: number
  /** Events beyond the limit dropped while opening. */
  trimmed: number
}

const DEFAULT_MAX_CHARS = 64 * 1024 * 1024
// Per-event overhead in the character budget: ids, type, timestamps, JSON punctuation.
const OVERHEAD = 160

export class EventHistory {
  readonly file: string
  readonly recovery: Recovery
  #limit: number
  #maxChars: number
  #log: (message: string) => void
  #events: LoggedEvent[] = []
  #start = 0
  #chars = 0
  #pending: string[] = []
  #linesOnDisk = 0
  #handle: FileHandle | null = null
  #writing: Promise<void> | null = null
  #closed = false

  private constructor(options: HistoryOptions, events: LoggedEvent[], recovery: Recovery) {
    this.file = options.file
    this.#limit = options.limit
    this.#maxChars = options.maxChars ?? DEFAULT_MAX_CHARS
    this.#log = options.log ?? (() => {})
    this.recovery = recovery
    for (const event of events) this.#remember(event)
    this.#linesOnDisk = this.size
  }

  /** Reads the file (recovering what a crash left), and rewrites it if it needed repair. */
  static async open(options: HistoryOptions): Promise<EventHistory> {
    await rm(`${options.file}.tmp`, { force: true })
    let text = ''
    try {
      text = await readFile(options.file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    const { events, droppedLines } = parseHistory(text)
    const trimmed = Math.max(0, events.length - options.limit)
    const history = new EventHistory(options, events.slice(trimmed), { droppedLines, trimmed })
    // Rewrite when lines were damaged or limits (count, then characters) dropped events.
    if (droppedLines > 0 || history.size < events.length) {
      if (droppedLines > 0)
        history.#log(`History: skipped ${droppedLines} unreadable line(s) in ${options.file}.`)
      await history.#rewrite()
    }
    return history
  }

  get size(): number {
    return this.#events.length - this.#start
  }
  get limit(): number {
    return this.#limit
  }

  /** Oldest first. */
  events(): LoggedEvent[] {
    return this.#events.slice(this.#start)
  }

  lastSeq(): number {
    return this.#events.at(-1)?.seq ?? 0
  }

  /** Adds an event; the write happens in the background, batched with its neighbours. */
  append(event: LoggedEvent): void {
    if (this.#closed) return
    this.#remember(event)
    this.#pending.push(`${JSON.stringify(event)}\n`)
    this.#kick()
  }

  setLimit(limit: number): void {
    this.#limit = limit
    this.#evict()
    this.#kick(true)
  }

  /** Resolves once everything appended so far is on disk. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing
  }

  async close(): Promise<void> {
    await this.flush()
    this.#closed = true
    await this.#handle?.close()
    this.#handle = null
  }

  #remember(event: LoggedEvent): void {
    this.#events.push(event)
    this.#chars += weight(event)
    this.#evict()
  }

  #evict(): void {
    while (this.size > this.#limit || (this.#chars > this.#maxChars && this.size > 1)) {
      const oldest = this.#events[this.#start]
      if (oldest) this.#chars -= weight(oldest)
      this.#start++
    }
    // Drop the evicted prefix now and then, not on every event.
    if (this.#start > 1024 && this.#start * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#start)
      this.#start = 0
    }
  }

  #kick(compactSoon = false): void {
    if (this.#writing || this.#closed) return
    this.#writing = this.#drain(compactSoon).finally(() => {
      this.#writing = null
      if (this.#pending.length > 0) this.#kick()
    })
  }

  async #drain(compactSoon: boolean): Promise<void> {
    try {
      if (compactSoon && this.#linesOnDisk > this.size) return await this.#rewrite()
      while (this.#pending.length > 0) {
        const lines = this.#pending
        this.#pending = []
        this.#handle ??= await open(this.file, 'a')
        await this.#handle.write(lines.join(''))
        this.#linesOnDisk += lines.length
        if (this.#linesOnDisk > this.#limit + Math.max(100, this.#limit / 2)) await this.#rewrite()
      }
    } catch (error) {
      // The events stay in memory; the next append retries with a fresh handle.
      this.#log(`History: could not write ${this.file}: ${(error as Error).message}`)
      await this.#handle?.close().catch(() => {})
      this.#handle = null
    }
  }

  /** Replaces the file by what memory holds: written aside, flushed, then renamed over. */
  async #rewrite(): Promise<void> {
    this.#pending = []
    const events = this.events()
    await this.#handle?.close()
    this.#handle = null
    await writeFileAtomic(this.file, jsonLines(events))
    this.#linesOnDisk = events.length
  }
}

/** Parses JSON Lines, keeping every well-formed event and counting the rest. */
export function parseHistory(text: string): { events: LoggedEvent[]; droppedLines: number } {
  const events: LoggedEvent[] = []
  let droppedLines = 0
  const lines = text.split('\n')
  // A file that does not end in a newline was torn mid-append: its last line is incomplete.
  const last = lines.pop() ?? ''
  if (last.trim() !== '') droppedLines++
  for (const line of lines) {
    if (line.trim() === '') continue
    const event = parseEvent(line)
    if (event) events.push(event)
    else droppedLines++
  }
  return { events, droppedLines }
}

function parseEvent(line: string): LoggedEvent | null {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const e = value as Record<string, unknown>
  if (
    typeof e['seq'] !== 'number' ||
    !Number.isSafeInteger(e['seq']) ||
    typeof e['feedId'] !== 'string' ||
    typeof e['type'] !== 'string' ||
    typeof e['data'] !== 'string' ||
    typeof e['id'] !== 'string' ||
    typeof e['receivedAt'] !== 'number'
  )
    return null
  const notification = e['notification']
  return {
    seq: e['seq'],
    feedId: e['feedId'],
    type: e['type'],
    data: e['data'],
    id: e['id'],
    receivedAt: e['receivedAt'],
    notification: isDecision(notification) ? notification : null,
  }
}

function isDecision(value: unknown): value is LoggedEvent['notification'] & object {
  if (typeof value !== 'object' || value === null) return false
  const d = value as Record<string, unknown>
  return (
    typeof d['kind'] === 'string' &&
    typeof d['title'] === 'string' &&
    typeof d['body'] === 'string' &&
    (d['url'] === undefined || typeof d['url'] === 'string')
  )
}

function* jsonLines(events: LoggedEvent[], perChunk = 500): Generator<string> {
  for (let i = 0; i < events.length; i += perChunk)
    yield events
      .slice(i, i + perChunk)
      .map((event) => `${JSON.stringify(event)}\n`)
      .join('')
}

function weight(event: LoggedEvent): number {
  return event.data.length + event.type.length + event.id.length + OVERHEAD
}
