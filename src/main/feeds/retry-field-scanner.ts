// Reads `retry:` fields from the raw bytes of an event stream.
// The eventsource package applies `retry:` internally but never exposes it, and the reconnect
// policy needs it, so this scanner watches the same bytes. It only looks at line starts and
// jumps between line terminators with native indexOf, so it costs little per event.

const CR = 0x0d
const LF = 0x0a
const SPACE = 0x20
const RETRY_COLON = [0x72, 0x65, 0x74, 0x72, 0x79, 0x3a] // "retry:"
const MAX_RETRY = Number.MAX_SAFE_INTEGER

const LINE_START = 0
const SKIP = 1
const PREFIX = 2
const VALUE_START = 3
const VALUE = 4

export class RetryFieldScanner {
  #mode = LINE_START
  #matched = 0
  #value = 0
  #digits = 0
  readonly #onRetry: (ms: number) => void

  constructor(onRetry: (ms: number) => void) {
    this.#onRetry = onRetry
  }

  /** Feeds stream bytes (after any BOM). Lines may be split anywhere across calls. */
  feed(chunk: Uint8Array): void {
    const n = chunk.length
    let nextCR = -2
    let nextLF = -2
    let i = 0
    while (i < n) {
      const mode = this.#mode
      if (mode === SKIP) {
        // Jump to the next CR or LF; positions are cached so a chunk is scanned once.
        if (nextCR !== -1 && nextCR < i) nextCR = chunk.indexOf(CR, i)
        if (nextLF !== -1 && nextLF < i) nextLF = chunk.indexOf(LF, i)
        const end = nextCR === -1 ? nextLF : nextLF === -1 ? nextCR : Math.min(nextCR, nextLF)
        if (end === -1) return
        i = end + 1
        this.#mode = LINE_START
        continue
      }
      const byte = chunk[i]!
      if (mode === LINE_START) {
        if (byte === CR || byte === LF) {
          i++
        } else if (byte === RETRY_COLON[0]) {
          this.#mode = PREFIX
          this.#matched = 1
          i++
        } else {
          this.#mode = SKIP
        }
      } else if (mode === PREFIX) {
        if (byte === RETRY_COLON[this.#matched]) {
          i++
          if (++this.#matched === RETRY_COLON.length) this.#mode = VALUE_START
        } else {
          this.#mode = byte === CR || byte === LF ? LINE_START : SKIP
          if (this.#mode === LINE_START) i++
        }
      } else if (mode === VALUE_START) {
        // One optional space after the colon belongs to the syntax, not the value.
        this.#mode = VALUE
        this.#value = 0
        this.#digits = 0
        if (byte === SPACE) i++
      } else {
        if (byte === CR || byte === LF) {
          if (this.#digits > 0) this.#onRetry(this.#value)
          this.#mode = LINE_START
          i++
        } else if (byte >= 0x30 && byte <= 0x39) {
          this.#value = Math.min(this.#value * 10 + (byte - 0x30), MAX_RETRY)
          this.#digits++
          i++
        } else {
          this.#mode = SKIP // not all digits: the field is ignored
        }
      }
    }
  }
}
