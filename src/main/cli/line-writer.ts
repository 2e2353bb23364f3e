// Writes lines to stdout in batches (one write per burst of events, not per event), tells the
// caller when the pipe is full so it can stop reading the feed, and treats a closed pipe
// (`tidings tail ... | head -1`) as the reader being done rather than as a crash.
import { drained } from './io.ts'

export interface LineWriterHooks {
  /** The stream's buffer is full: stop producing until onDrained. */
  onBlocked(): void
  onDrained(): void
  /** The reader went away (EPIPE) or the stream failed; nothing more can be written. */
  onBroken(error: Error): void
}

/** Past this much batched text a burst is written at once instead of at the next turn. */
const BATCH_CHARS = 64 * 1024

export class LineWriter {
  readonly #stream: NodeJS.WritableStream
  readonly #hooks: LineWriterHooks
  #pending: string[] = []
  #pendingChars = 0
  #scheduled = false
  #blocked = false
  #broken = false

  constructor(stream: NodeJS.WritableStream, hooks: LineWriterHooks) {
    this.#stream = stream
    this.#hooks = hooks
    stream.on('error', this.#onError)
  }

  get broken(): boolean {
    return this.#broken
  }

  write(line: string): void {
    if (this.#broken) return
    this.#pending.push(line)
    this.#pendingChars += line.length
    if (this.#pendingChars >= BATCH_CHARS) this.#flushBatch()
    else if (!this.#scheduled) {
      this.#scheduled = true
      setImmediate(() => this.#flushBatch())
    }
  }

  /** Writes what is batched now: before a line on another stream (stderr), so both keep order. */
  writeBatch(): void {
    this.#flushBatch()
  }

  /** Writes what is batched and resolves once the stream has taken all of it (or broke). */
  async flush(): Promise<void> {
    this.#flushBatch()
    if (!this.#broken) await drained(this.#stream)
  }

  dispose(): void {
    this.#stream.off('error', this.#onError)
    // Keep swallowing a late EPIPE from writes still in flight rather than crash at exit.
    this.#stream.on('error', () => {})
  }

  #flushBatch(): void {
    this.#scheduled = false
    if (this.#broken || this.#pending.length === 0) return
    const chunk = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join('')
    this.#pending = []
    this.#pendingChars = 0
    const accepted = this.#stream.write(chunk)
    // A stream that failed on this write reports onBroken instead, on its 'error' event.
    if (!accepted && !this.#blocked && !hasFailed(this.#stream)) {
      this.#blocked = true
      this.#hooks.onBlocked()
      this.#stream.once('drain', () => {
        this.#blocked = false
        if (!this.#broken) this.#hooks.onDrained()
      })
    }
  }

  readonly #onError = (error: Error) => {
    if (this.#broken) return
    this.#broken = true
    this.#pending = []
    this.#hooks.onBroken(error)
  }
}

function hasFailed(stream: NodeJS.WritableStream): boolean {
  const state = stream as NodeJS.WritableStream & { destroyed?: boolean; errored?: unknown }
  return state.destroyed === true || Boolean(state.errored)
}
