// Reads `retry:` fields from the raw bytes of an event stream.
// The eventsource package applies `retry:` internally but never exposes it, and the reconnect
// policy needs it, so this scanner watches the same bytes. Per chunk it does one native search
// for "retry:" (almost never found) and one for the last line end; only a line that spans
// chunks is followed byte by byte.

const CR = 0x0d
const LF = 0x0a
const SPACE = 0x20
const RETRY_COLON = Buffer.from('retry:')
const MAX_RETRY = Number.MAX_SAFE_INTEGER

// Where the line still open at the end of the last chunk stands.
const LINE_START = 0 // no line open: the next chunk starts a line
const OTHER = 1 // a line that is not a retry field
const PREFIX = 2 // a line that so far matches the start of "retry:"
const VALUE = 3 // inside a retry field's value
type Carry = typeof LINE_START | typeof OTHER | typeof PREFIX | typeof VALUE

const isLineEnd = (byte: number | undefined): boolean => byte === CR || byte === LF

/** Where the chunk's last CR or LF is, or -1. */
function lastLineEnd(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= 0; i--) if (isLineEnd(bytes[i])) return i
  return -1
}

export class RetryFieldScanner {
  #carry: Carry = LINE_START
  /** PREFIX: how many bytes of "retry:" the open line has matched. */
  #matched = 0
  /** VALUE: the value so far, whether the optional space was passed, and its validity. */
  #value = 0
  #digits = 0
  #started = false
  #valid = true
  readonly #onRetry: (ms: number) => void

  constructor(onRetry: (ms: number) => void) {
    this.#onRetry = onRetry
  }

  /** Feeds stream bytes (after any BOM). Lines may be split anywhere across calls. */
  feed(chunk: Uint8Array): void {
    // undici's chunks are Buffers already; others are viewed as one (no copy).
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let start = 0
    if (this.#carry !== LINE_START) {
      start = this.#finishOpenLine(bytes)
      if (start === -1) return // the open line goes on past this chunk
    }
    // `start` is a line start. Find each "retry:" that begins a line.
    for (
      let at = bytes.indexOf(RETRY_COLON, start);
      at !== -1;
      at = bytes.indexOf(RETRY_COLON, at + 1)
    ) {
      if (at !== start && !isLineEnd(bytes[at - 1])) continue
      this.#beginValue()
      const end = this.#readValue(bytes, at + RETRY_COLON.length)
      if (end === -1) return // the value goes on in the next chunk
    }
    // The line still open at the end: is it a start of "retry:"? (A chunk of whole events ends
    // with its line end: found at once, from the end.)
    const lastEnd = lastLineEnd(bytes)
    const openFrom = Math.max(start, lastEnd + 1)
    if (openFrom === bytes.length) {
      this.#carry = LINE_START
      return
    }
    this.#carry = OTHER
    const open = bytes.subarray(openFrom)
    if (open.length < RETRY_COLON.length && RETRY_COLON.subarray(0, open.length).equals(open)) {
      this.#carry = PREFIX
      this.#matched = open.length
    }
  }

  /** Continues the line left open by the previous chunk; returns where the next line starts. */
  #finishOpenLine(bytes: Buffer): number {
    let i = 0
    if (this.#carry === PREFIX) {
      while (i < bytes.length && this.#matched < RETRY_COLON.length) {
        if (bytes[i] !== RETRY_COLON[this.#matched]) {
          this.#carry = OTHER
          break
        }
        this.#matched++
        i++
      }
      if (this.#carry === PREFIX) {
        if (this.#matched < RETRY_COLON.length) return -1 // still a prefix at the chunk's end
        this.#beginValue()
      }
    }
    if (this.#carry === VALUE) return this.#readValue(bytes, i)
    const cr = bytes.indexOf(CR, i)
    const lf = bytes.indexOf(LF, i)
    const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf)
    if (end === -1) return -1
    this.#carry = LINE_START
    return end + 1
  }

  #beginValue(): void {
    this.#carry = VALUE
    this.#value = 0
    this.#digits = 0
    this.#started = false
    this.#valid = true
  }

  /** Reads a value's bytes from `i`; at its line end reports it and returns the next line start. */
  #readValue(bytes: Buffer, i: number): number {
    for (; i < bytes.length; i++) {
      const byte = bytes[i]!
      if (byte === CR || byte === LF) {
        if (this.#valid && this.#digits > 0) this.#onRetry(this.#value)
        this.#carry = LINE_START
        return i + 1
      }
      // One space after the colon belongs to the syntax, not the value.
      if (!this.#started && byte === SPACE) {
        this.#started = true
        continue
      }
      this.#started = true
      if (byte >= 0x30 && byte <= 0x39) {
        this.#value = Math.min(this.#value * 10 + (byte - 0x30), MAX_RETRY)
        this.#digits++
      } else {
        this.#valid = false // not all digits: the field is ignored
      }
    }
    return -1
  }
}
