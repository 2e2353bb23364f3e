// The event history: the last N events (default 10 000), in memory for the log window and on
// disk as JSON Lines in the user data folder. Appends are batched (one write per 100 ms while
// events flow) and asynchronous so the main loop never waits on the disk; the file is compacted
// (temp file + rename, so a crash leaves either the old or the new file) from the lines kept in
// memory once it holds twice as many lines as needed (each compaction writes the whole history,
// so it comes once per `limit` events: at 2,000 events/s with 10 000 kept, every 5 s).
// A crash mid-append leaves a torn last line: opening skips it and any damaged line, and
// rewrites the file so later appends do not glue onto the damage.
//
// Each batch is written at the offset where the file's last whole line ends, so a write that
// failed half-way (a full disk) is cut back to that offset and the batch written again, and a
// synchronous flush (flushSync, for a session that ends now) can write the batch an async
// write is still busy with: the same bytes at the same offset, whichever lands last.
import type { LoggedEvent } from '../../shared/ipc.ts'
import { writeFileAtomic, writeFileAtomicSync } from './atomic-file.ts'
import { LineStore } from './line-store.ts'
import { nodeFs, writeAll, writeAllSync, type StoreFs } from './store-fs.ts'
import { silentReporter, type WriteReporter } from './write-health.ts'

export interface HistoryOptions {
  file: string
  /** Most events kept. */
  limit: number
  /** Most characters of event data kept, in memory and so on disk (bounds huge events). */
  maxChars?: number
  /** Told about anything recovered from or any write that failed (never throws). */
  log?: (message: string) => void
  /** The file system (tests pass one that fails chosen calls). */
  io?: StoreFs
  /** Told about each failed and each successful write (the tray shows a failing disk). */
  reporter?: WriteReporter
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
/** While events flow, appends are written together at most this often (one write, not one per
 *  burst: each write costs the main thread a hand-off to the I/O thread), or at once when this
 *  much waits. Well under the resume ids' second (state-file.ts), which waits for them anyway. */
const BATCH_MS = 100
const BATCH_CHARS = 256 * 1024
const RETRY_FIRST_MS = 1000
const RETRY_MAX_MS = 30_000

/** What the background writer is doing: flushSync must not race a cut or a whole-file write. */
type Busy = 'append' | 'truncate' | 'rewrite' | null

export class EventHistory {
  readonly file: string
  readonly recovery: Recovery
  #limit: number
  #maxChars: number
  #log: (message: string) => void
  #io: StoreFs
  #reporter: WriteReporter
  /** Each event's line as written, out of the JS heap (line-store.ts): what a rewrite writes. */
  #store = new LineStore()
  #lastSeq = 0
  /** Lines not yet handed to a write, and their length. */
  #pending: string[] = []
  #pendingChars = 0
  /** Lines the background write is putting at #offset. */
  #inFlight: string[] = []
  #busy: Busy = null
  /** Bumped by flushSync: a background write begun before it must not touch what it wrote. */
  #epoch = 0
  /** Bytes of whole lines in the file: where the next batch goes. */
  #offset = 0
  /** A failed write may have left bytes past #offset: cut them before writing there. */
  #tornTail = false
  /** The file must be written whole from memory before anything is appended to it. */
  #needsRewrite = false
  #linesOnDisk = 0
  #fd: number | null = null
  #writing: Promise<void> | null = null
  #retryTimer: NodeJS.Timeout | null = null
  #batchTimer: NodeJS.Timeout | null = null
  #failures = 0
  #compactSoon = false
  #closed = false

  private constructor(
    options: HistoryOptions,
    events: LoggedEvent[],
    recovery: Recovery,
    offset: number,
  ) {
    this.file = options.file
    this.#limit = options.limit
    this.#maxChars = options.maxChars ?? DEFAULT_MAX_CHARS
    this.#log = options.log ?? (() => {})
    this.#io = options.io ?? nodeFs
    this.#reporter = options.reporter ?? silentReporter
    this.recovery = recovery
    for (const event of events) this.#remember(event, `${JSON.stringify(event)}\n`)
    this.#linesOnDisk = this.size
    this.#offset = offset
  }

  /** Reads the file (recovering what a crash left), and rewrites it if it needed repair. */
  static async open(options: HistoryOptions): Promise<EventHistory> {
    const io = options.io ?? nodeFs
    await io.unlink(`${options.file}.tmp`)
    await io.unlink(`${options.file}.sync.tmp`)
    let bytes: Buffer = Buffer.alloc(0)
    try {
      bytes = await io.readFile(options.file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    const { events, droppedLines } = parseHistory(bytes.toString('utf8'))
    const trimmed = Math.max(0, events.length - options.limit)
    const history = new EventHistory(
      options,
      events.slice(trimmed),
      { droppedLines, trimmed },
      bytes.byteLength,
    )
    // Rewrite when lines were damaged or limits (count, then characters) dropped events.
    if (droppedLines > 0 || history.size < events.length) {
      if (droppedLines > 0)
        history.#log(`History: skipped ${droppedLines} unreadable line(s) in ${options.file}.`)
      history.#needsRewrite = true
      try {
        await history.#rewrite()
      } catch (error) {
        // Nothing is appended before the repair is done; it is retried with backoff.
        history.#failed(error as Error)
        history.#retryLater()
      }
    }
    return history
  }

  get size(): number {
    return this.#store.size
  }
  get limit(): number {
    return this.#limit
  }

  /** Oldest first: parsed back from the lines kept (for a window's load, not per event). */
  events(): LoggedEvent[] {
    return Array.from(this.#store.lines(), (line) => JSON.parse(line) as LoggedEvent)
  }

  lastSeq(): number {
    return this.#lastSeq
  }

  /** Adds an event; the write happens in the background, batched with its neighbours. */
  append(event: LoggedEvent): void {
    if (this.#closed) return
    const line = `${JSON.stringify(event)}\n`
    this.#remember(event, line)
    this.#pending.push(line)
    this.#pendingChars += line.length
    // Writes stuck (a full disk) for longer than the history holds: what memory keeps is all
    // there is to write, so write that whole once the disk takes it, instead of every line.
    if (this.#pending.length > this.#limit) {
      this.#takePending()
      this.#needsRewrite = true
    }
    this.#kickSoon()
  }

  setLimit(limit: number): void {
    this.#limit = limit
    this.#evict()
    this.#compactSoon = true
    this.#kick()
  }

  /**
   * Resolves once everything appended so far is on disk, or once a write now failed (a full
   * disk): what failed stays queued and is retried, with backoff, until it is written.
   */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing
    if (this.#pending.length === 0 && !this.#needsRewrite && !this.#compactSoon) return
    this.#retryNow()
    while (this.#writing) await this.#writing
  }

  /**
   * Writes every appended line now, with synchronous calls: for a session that ends without
   * waiting (Windows `session-end`). A background write still under way cannot undo it.
   */
  flushSync(): void {
    if (this.#closed) return
    const lines = [...this.#inFlight, ...this.#pending]
    const whole = this.#needsRewrite || this.#busy === 'rewrite' || this.#busy === 'truncate'
    if (lines.length === 0 && !whole) return
    this.#epoch++
    try {
      if (whole) this.#rewriteSync()
      else {
        // Nothing but an append of the same lines at the same offset can be under way.
        const bytes = Buffer.from(lines.join(''))
        this.#fd ??= this.#io.openSync(this.file, 'c')
        if (this.#tornTail) this.#io.ftruncateSync(this.#fd, this.#offset)
        this.#tornTail = false
        writeAllSync(this.#io, this.#fd, bytes, this.#offset)
        this.#io.fsyncSync(this.#fd)
        this.#offset += bytes.byteLength
        this.#linesOnDisk += lines.length
      }
      this.#inFlight = []
      this.#takePending()
      this.#reporter.written(this.file)
    } catch (error) {
      this.#inFlight = []
      this.#setPending(lines)
      this.#tornTail = true
      // A whole-file write that failed may have taken lines out of #pending: memory has them.
      if (whole) this.#needsRewrite = true
      this.#failed(error as Error)
      // Cut the fragment now, unless a background write of these lines may still land there.
      if (this.#fd !== null && !whole && this.#busy === null)
        try {
          this.#io.ftruncateSync(this.#fd, this.#offset)
          this.#tornTail = false
        } catch {
          // cut before the next write instead
        }
      if (!this.#writing) this.#retryLater()
    }
  }

  async close(): Promise<void> {
    await this.flush()
    this.#closed = true
    if (this.#retryTimer) clearTimeout(this.#retryTimer)
    this.#retryTimer = null
    if (this.#batchTimer) clearTimeout(this.#batchTimer)
    this.#batchTimer = null
    if (this.#pending.length > 0)
      this.#log(`History: ${this.#pending.length} event(s) could not be written to ${this.file}.`)
    const fd = this.#fd
    this.#fd = null
    if (fd !== null) await this.#io.close(fd)
  }

  #remember(event: LoggedEvent, line: string): void {
    this.#store.push(line, weight(event))
    this.#lastSeq = event.seq
    this.#evict()
  }

  #evict(): void {
    const store = this.#store
    while (store.size > this.#limit || (store.weight > this.#maxChars && store.size > 1))
      store.shift()
  }

  /** The pending lines, handed to a write (or dropped for a whole-file one). */
  #takePending(): string[] {
    const lines = this.#pending
    this.#pending = []
    this.#pendingChars = 0
    return lines
  }

  /** Lines a failed write gives back. */
  #setPending(lines: string[]): void {
    this.#pending = lines
    this.#pendingChars = lines.reduce((sum, line) => sum + line.length, 0)
  }

  /** A write soon: with whatever else arrives meanwhile. */
  #kickSoon(): void {
    if (this.#writing || this.#closed || this.#retryTimer || this.#batchTimer) return
    if (this.#pendingChars >= BATCH_CHARS) return this.#kick()
    this.#batchTimer = setTimeout(() => {
      this.#batchTimer = null
      this.#kick()
    }, BATCH_MS)
    this.#batchTimer.unref?.()
  }

  #kick(): void {
    if (this.#batchTimer) clearTimeout(this.#batchTimer)
    this.#batchTimer = null
    if (this.#writing || this.#closed || this.#retryTimer) return
    this.#writing = this.#drain().then((ok) => {
      this.#writing = null
      if (!ok) this.#retryLater()
      else {
        if (this.#failures > 0) this.#log(`History: writing to ${this.file} works again.`)
        this.#failures = 0
        if (this.#needsRewrite) this.#kick()
        else if (this.#pending.length > 0) this.#kickSoon()
      }
    })
  }

  /** Backs off while the disk refuses writes: 1 s, 2 s, 4 s… up to 30 s. */
  #retryLater(): void {
    if (this.#closed || this.#retryTimer) return
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.#failures++)
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null
      this.#kick()
    }, delay)
    this.#retryTimer.unref?.()
  }

  #retryNow(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer)
    this.#retryTimer = null
    this.#kick()
  }

  /** One pass over what is waiting; false when a write failed (it is kept for the retry). */
  async #drain(): Promise<boolean> {
    try {
      if (this.#needsRewrite || (this.#compactSoon && this.#linesOnDisk > this.size))
        await this.#rewrite()
      this.#compactSoon = false
      // What arrives during this write goes with the next batch.
      if (this.#pending.length > 0) {
        await this.#appendPending()
        if (this.#linesOnDisk > this.#limit + Math.max(100, this.#limit)) await this.#rewrite()
      }
      this.#reporter.written(this.file)
      return true
    } catch (error) {
      this.#failed(error as Error)
      return false
    }
  }

  #failed(error: Error): void {
    // Said once per failing stretch: a full disk retried every 30 s must not flood the log.
    if (this.#failures === 0)
      this.#log(
        `History: could not write ${this.file} (kept in memory, retrying): ${error.message}`,
      )
    this.#reporter.failed(this.file, error)
  }

  /** Writes the pending lines at the end of the last whole line. */
  async #appendPending(): Promise<void> {
    const epoch = this.#epoch
    const lines = this.#takePending()
    this.#inFlight = lines
    const bytes = Buffer.from(lines.join(''))
    let fd: number | null = null
    // After each wait: did flushSync write these lines meanwhile (and count them)?
    const superseded = () => epoch !== this.#epoch
    try {
      fd = await this.#openFd()
      if (superseded()) return await this.#orphaned(fd)
      if (this.#tornTail) {
        this.#busy = 'truncate'
        await this.#io.ftruncate(fd, this.#offset)
        this.#tornTail = false
        if (superseded()) return await this.#orphaned(fd)
      }
      this.#busy = 'append'
      await writeAll(this.#io, fd, bytes, this.#offset)
    } catch (error) {
      if (superseded()) return await this.#orphaned(fd)
      this.#inFlight = []
      this.#setPending([...lines, ...this.#pending])
      this.#tornTail = true
      // Cut the torn fragment off now, so not even a crash before the retry leaves it behind.
      if (fd !== null) {
        this.#busy = 'truncate'
        try {
          await this.#io.ftruncate(fd, this.#offset)
          this.#tornTail = false
        } catch {
          // cut before the next write instead
        }
        if (superseded()) return await this.#orphaned(fd)
      }
      throw error
    } finally {
      this.#busy = null
    }
    if (superseded()) return await this.#orphaned(fd)
    this.#inFlight = []
    this.#offset += bytes.byteLength
    this.#linesOnDisk += lines.length
  }

  async #openFd(): Promise<number> {
    if (this.#fd !== null) return this.#fd
    const fd = await this.#io.open(this.file, 'c')
    if (this.#fd === null) this.#fd = fd
    else await this.#io.close(fd)
    return this.#fd
  }

  /** A descriptor flushSync let go of (it replaced the file) is closed once its write is done. */
  async #orphaned(fd: number | null): Promise<void> {
    if (fd !== null && fd !== this.#fd) await this.#io.close(fd).catch(() => {})
  }

  /** Replaces the file by what memory holds: written aside, flushed, then renamed over. */
  async #rewrite(): Promise<void> {
    const epoch = this.#epoch
    const pending = this.#takePending()
    // Views of the slabs as they are now: what is appended meanwhile goes after this write.
    const pieces = [...this.#store.bytes()]
    const count = this.#store.size
    this.#busy = 'rewrite'
    try {
      const fd = this.#fd
      this.#fd = null
      if (fd !== null) await this.#io.close(fd)
      const written = await writeFileAtomic(this.file, pieces, {
        io: this.#io,
        stillWanted: () => epoch === this.#epoch,
      })
      // Dropped, or renamed over the file flushSync had just written: write it whole again.
      if (written === null) return
      if (epoch !== this.#epoch) {
        this.#needsRewrite = true
        return
      }
      this.#offset = written
      this.#linesOnDisk = count
      this.#tornTail = false
      this.#needsRewrite = false
    } catch (error) {
      if (epoch === this.#epoch) this.#setPending([...pending, ...this.#pending])
      throw error
    } finally {
      this.#busy = null
    }
  }

  /** The same as #rewrite, synchronously (flushSync while a background rewrite runs). */
  #rewriteSync(): void {
    const count = this.#store.size
    // A background operation still using the descriptor closes it when done (#orphaned).
    if (this.#busy === null && this.#fd !== null) this.#io.closeSync(this.#fd)
    this.#fd = null
    this.#offset = writeFileAtomicSync(this.file, this.#store.bytes(), {
      io: this.#io,
      tmp: `${this.file}.sync.tmp`,
    })
    this.#linesOnDisk = count
    this.#tornTail = false
    this.#needsRewrite = false
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

function weight(event: LoggedEvent): number {
  return event.data.length + event.type.length + event.id.length + OVERHEAD
}
