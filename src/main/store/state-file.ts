// Small state that changes with every event: each feed's last event id (so a restart resumes
// where it left off) and the last sequence number. Saved at most once a second, atomically,
// and once more on quit. A write that fails leaves the state dirty and is tried again with
// backoff, so a full disk that clears loses nothing.
import { writeFileAtomic, writeFileAtomicSync } from './atomic-file.ts'
import { nodeFs, type StoreFs } from './store-fs.ts'

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
}

const RETRY_FIRST_MS = 1000
const RETRY_MAX_MS = 30_000

export class StateFile {
  readonly file: string
  #state: PersistedState
  #delayMs: number
  #log: (message: string) => void
  #io: StoreFs
  #timer: NodeJS.Timeout | null = null
  #writing: Promise<void> = Promise.resolve()
  #dirty = false
  /** A background write is under way (flushSync must write even when nothing changed since). */
  #inFlight = false
  /** Bumped by flushSync: a background write begun before it must not rename over its file. */
  #epoch = 0
  #failures = 0
  #closed = false

  private constructor(options: StateFileOptions, state: PersistedState) {
    this.file = options.file
    this.#delayMs = options.delayMs ?? 1000
    this.#log = options.log ?? (() => {})
    this.#io = options.io ?? nodeFs
    this.#state = state
  }

  static async open(options: StateFileOptions): Promise<StateFile> {
    const io = options.io ?? nodeFs
    let state = parseState(null)
    try {
      state = parseState(JSON.parse((await io.readFile(options.file)).toString('utf8')))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        options.log?.(`State: ${options.file} unreadable, starting fresh: ${String(error)}`)
    }
    return new StateFile(options, state)
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
    if (!this.#dirty && !this.#inFlight) return
    this.#epoch++
    this.#dirty = false
    try {
      writeFileAtomicSync(this.file, JSON.stringify(this.#state), {
        io: this.#io,
        tmp: `${this.file}.sync.tmp`,
      })
      this.#failures = 0
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
    if (!this.#dirty) return
    this.#dirty = false
    const epoch = this.#epoch
    this.#inFlight = true
    try {
      const written = await writeFileAtomic(this.file, JSON.stringify(this.#state), {
        io: this.#io,
        stillWanted: () => epoch === this.#epoch,
      })
      // Renamed over what flushSync had just written: write the current state again.
      if (written !== null && epoch !== this.#epoch) this.#touch()
      else this.#failures = 0
    } catch (error) {
      if (epoch === this.#epoch) this.#failed(error as Error)
    } finally {
      this.#inFlight = false
    }
  }

  #failed(error: Error): void {
    this.#dirty = true
    this.#log(`State: could not write ${this.file}: ${error.message}`)
    this.#schedule(Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.#failures++))
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

function parseState(value: unknown): PersistedState {
  const state: PersistedState = { lastEventIds: Object.create(null), lastSeq: 0 }
  if (typeof value !== 'object' || value === null) return state
  const raw = value as Record<string, unknown>
  if (typeof raw['lastSeq'] === 'number' && Number.isSafeInteger(raw['lastSeq']))
    state.lastSeq = raw['lastSeq']
  const ids = raw['lastEventIds']
  if (typeof ids === 'object' && ids !== null)
    for (const [feedId, id] of Object.entries(ids))
      if (typeof id === 'string') state.lastEventIds[feedId] = id
  return state
}
