// Small state that changes with every event: each feed's last event id (so a restart resumes
// where it left off) and the last sequence number. Saved at most once a second, atomically,
// and once more on quit.
import { readFile } from 'node:fs/promises'
import { writeFileAtomic } from './atomic-file.ts'

export interface PersistedState {
  lastEventIds: Record<string, string>
  lastSeq: number
}

export interface StateFileOptions {
  file: string
  delayMs?: number
  log?: (message: string) => void
}

export class StateFile {
  readonly file: string
  #state: PersistedState
  #delayMs: number
  #log: (message: string) => void
  #timer: NodeJS.Timeout | null = null
  #writing: Promise<void> = Promise.resolve()
  #dirty = false

  private constructor(options: StateFileOptions, state: PersistedState) {
    this.file = options.file
    this.#delayMs = options.delayMs ?? 1000
    this.#log = options.log ?? (() => {})
    this.#state = state
  }

  static async open(options: StateFileOptions): Promise<StateFile> {
    let state = parseState(null)
    try {
      state = parseState(JSON.parse(await readFile(options.file, 'utf8')))
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

  /** Writes now if anything changed; resolves when it is on disk. */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    if (this.#dirty) {
      this.#dirty = false
      const text = JSON.stringify(this.#state)
      this.#writing = this.#writing.then(() =>
        writeFileAtomic(this.file, text).catch((error: Error) =>
          this.#log(`State: could not write ${this.file}: ${error.message}`),
        ),
      )
    }
    await this.#writing
  }

  #touch(): void {
    this.#dirty = true
    if (this.#timer) return
    this.#timer = setTimeout(() => void this.flush(), this.#delayMs)
    this.#timer.unref?.()
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
