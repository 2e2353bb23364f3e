// Small state that changes with every event: each feed's last event id (so a restart resumes
// where it left off) and the last sequence number. Saved at most once a second, atomically,
// and once more on quit. A write that fails leaves the state dirty and is tried again with
// backoff, so a full disk that clears loses nothing. A damaged file is kept as a backup and
// every resume id still readable in it is used.
import { writeFileAtomic, writeFileAtomicSync } from './atomic-file.ts'
import { nodeFs, type StoreFs } from './store-fs.ts'
import { silentReporter, type WriteReporter } from './write-health.ts'

export interface PersistedState {
  lastEventIds: Record<string, string>
  lastSeq: number
}

export interface StateFileOptions {
  file: string
  delayMs?: number
  log?: (message: string) => void
  /** The file system (tests pass one that fails chosen calls). */
  io?: StoreFs
  /** Told about each failed and each successful write (the tray shows a failing disk). */
  reporter?: WriteReporter
  now?: () => number
  /**
   * Awaited before each background write, after the state to write is taken: the history's
   * flush, so resume ids on disk never run ahead of the events on disk (a crash between the two
   * writes would resume after events the log never kept).
   */
  beforeWrite?: () => Promise<void>
}

const RETRY_FIRST_MS = 1000
const RETRY_MAX_MS = 30_000

export class StateFile {
  readonly file: string
  #state: PersistedState
  #delayMs: number
  #log: (message: string) => void
  #io: StoreFs
  #reporter: WriteReporter
  #beforeWrite: (() => Promise<void>) | undefined
  #timer: NodeJS.Timeout | null = null
  #writing: Promise<void> = Promise.resolve()
  #dirty = false
  /** A background write is under way (flushSync must write even when nothing changed since). */
  #inFlight = false
  /** Bumped by flushSync: a background write begun before it must not rename over its file. */
  #epoch = 0
  #failures = 0
  #closed = false
  /** A damaged file that could not be backed up is never overwritten. */
  #readOnly = false

  private constructor(options: StateFileOptions, state: PersistedState) {
    this.file = options.file
    this.#delayMs = options.delayMs ?? 1000
    this.#log = options.log ?? (() => {})
    this.#io = options.io ?? nodeFs
    this.#reporter = options.reporter ?? silentReporter
    this.#beforeWrite = options.beforeWrite
    this.#state = state
  }

  static async open(options: StateFileOptions): Promise<StateFile> {
    const io = options.io ?? nodeFs
    const log = options.log ?? (() => {})
    const { file } = options
    await io.unlink(`${file}.tmp`)
    await io.unlink(`${file}.sync.tmp`)
    let bytes: Buffer
    try {
      bytes = await io.readFile(file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        log(`State: could not read ${file}, starting without resume ids: ${String(error)}`)
      return new StateFile(options, emptyState())
    }
    const { state, damaged } = readState(bytes.toString('utf8'))
    const opened = new StateFile(options, state)
    if (!damaged) return opened
    // Keep the file as it was before anything replaces it, then write what was salvaged.
    const stamp = new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-')
    const backup = `${file.replace(/\.json$/, '')}.corrupt-${stamp}.json`
    const kept = Object.keys(state.lastEventIds).length
    try {
      await writeFileAtomic(backup, bytes, { io })
      log(
        `State: ${file} was damaged; the resume ids of ${kept} feed(s) could be read from it ` +
          `and are used. The damaged file is kept as ${backup}.`,
      )
      opened.#touch()
    } catch (error) {
      // Not replaced either, so nothing is lost: the next start tries again.
      log(`State: ${file} is damaged and could not be backed up (${String(error)}); left as is.`)
      opened.#readOnly = true
    }
    return opened
  }

  lastEventId(feedId: string): string | undefined {
    return Object.hasOwn(this.#state.lastEventIds, feedId)
      ? this.#state.lastEventIds[feedId]
      : undefined
  }
  get lastSeq(): number {
    return this.#state.lastSeq
  }
  /** Whether something is not on disk yet (waiting for its moment, or for a retry). */
  get dirty(): boolean {
    return this.#dirty
  }

  record(feedId: string, eventId: string, seq: number): void {
    if (eventId === '') delete this.#state.lastEventIds[feedId]
    else this.#state.lastEventIds[feedId] = eventId
    this.#state.lastSeq = Math.max(this.#state.lastSeq, seq)
    this.#touch()
  }

  forget(feedId: string): void {
    if (!Object.hasOwn(this.#state.lastEventIds, feedId)) return
    delete this.#state.lastEventIds[feedId]
    this.#touch()
  }

  /** Writes now if anything changed; resolves when it is on disk, or when the write failed. */
  flush(): Promise<void> {
    this.#cancelTimer()
    this.#writing = this.#writing.then(() => this.#writeIfDirty())
    return this.#writing
  }

  /** Writes now with synchronous calls: for a session that ends without waiting. */
  flushSync(): void {
    this.#cancelTimer()
    if ((!this.#dirty && !this.#inFlight) || this.#readOnly) return
    this.#epoch++
    this.#dirty = false
    try {
      writeFileAtomicSync(this.file, JSON.stringify(this.#state), {
        io: this.#io,
        tmp: `${this.file}.sync.tmp`,
      })
      this.#succeeded()
    } catch (error) {
      this.#failed(error as Error)
    }
  }

  /** Writes what is dirty and stops the timers (quit). */
  async close(): Promise<void> {
    await this.flush()
    this.#closed = true
    this.#cancelTimer()
  }

  async #writeIfDirty(): Promise<void> {
    if (!this.#dirty || this.#readOnly) return
    this.#dirty = false
    const epoch = this.#epoch
    this.#inFlight = true
    try {
      const text = JSON.stringify(this.#state)
      await this.#beforeWrite?.()
      const written = await writeFileAtomic(this.file, text, {
        io: this.#io,
        stillWanted: () => epoch === this.#epoch,
      })
      // Renamed over what flushSync had just written: write the current state again.
      if (written !== null && epoch !== this.#epoch) this.#touch()
      else if (written !== null) this.#succeeded()
    } catch (error) {
      if (epoch === this.#epoch) this.#failed(error as Error)
    } finally {
      this.#inFlight = false
    }
  }

  #failed(error: Error): void {
    this.#dirty = true
    // Said once per failing stretch: the retries must not flood the log.
    if (this.#failures === 0)
      this.#log(`State: could not write ${this.file} (kept in memory, retrying): ${error.message}`)
    this.#reporter.failed(this.file, error)
    this.#schedule(Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.#failures++))
  }

  #succeeded(): void {
    if (this.#failures > 0) this.#log(`State: writing to ${this.file} works again.`)
    this.#failures = 0
    this.#reporter.written(this.file)
  }

  #touch(): void {
    this.#dirty = true
    this.#schedule(this.#delayMs)
  }

  #schedule(delayMs: number): void {
    if (this.#timer || this.#closed) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      void this.flush()
    }, delayMs)
    this.#timer.unref?.()
  }

  #cancelTimer(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }
}

/** Reads the file's text; `damaged` when anything in it could not be used. */
export function readState(text: string): { state: PersistedState; damaged: boolean } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { state: salvageState(text), damaged: true }
  }
  return parseState(value)
}

function emptyState(): PersistedState {
  return { lastEventIds: Object.create(null), lastSeq: 0 }
}

function parseState(value: unknown): { state: PersistedState; damaged: boolean } {
  const state = emptyState()
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { state, damaged: true }
  let damaged = false
  const raw = value as Record<string, unknown>
  if (typeof raw['lastSeq'] === 'number' && Number.isSafeInteger(raw['lastSeq']))
    state.lastSeq = raw['lastSeq']
  else if (raw['lastSeq'] !== undefined) damaged = true
  const ids = raw['lastEventIds']
  if (typeof ids === 'object' && ids !== null && !Array.isArray(ids)) {
    for (const [feedId, id] of Object.entries(ids))
      if (typeof id === 'string') state.lastEventIds[feedId] = id
      else damaged = true
  } else if (ids !== undefined) damaged = true
  return { state, damaged }
}

const JSON_STRING = String.raw`"((?:[^"\\\u0000-\u001f]|\\.)*)"`
const ID_PAIR = new RegExp(`${JSON_STRING}\\s*:\\s*${JSON_STRING}`, 'g')

/** What a torn or garbled file still says: every whole `"feed": "id"` pair, and the seq. */
function salvageState(text: string): PersistedState {
  const state = emptyState()
  const seq = /"lastSeq"\s*:\s*(\d{1,15})/.exec(text)
  if (seq?.[1]) state.lastSeq = Number(seq[1])
  const start = text.indexOf('"lastEventIds"')
  if (start < 0) return state
  for (const [, key, id] of text.slice(start + '"lastEventIds"'.length).matchAll(ID_PAIR)) {
    try {
      state.lastEventIds[JSON.parse(`"${key}"`) as string] = JSON.parse(`"${id}"`) as string
    } catch {
      // a pair the damage went through: left out
    }
  }
  return state
}
