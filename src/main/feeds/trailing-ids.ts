// `id:` fields in blocks without data move the resume position (HTML standard 9.2.6) but
// dispatch no event, and the eventsource package keeps that position to itself. A later event
// on the same connection carries it, so only the blocks after the last event are unknown: this
// keeps the bytes since the last chunk that dispatched an event and reads their ids with the
// package's own parser (eventsource-parser), only when they pile up or the connection ends.
// Per chunk it costs an array push; nothing is parsed twice while events flow.
import { createParser, type EventSourceParser } from 'eventsource-parser'

/** Bytes held before they are read (bounded memory on a long quiet connection). */
const HOLD_BYTES = 64 * 1024
const CR = 0x0d
const LF = 0x0a

export class TrailingIds {
  readonly #chunks: Uint8Array[] = []
  #held = 0
  #parser: EventSourceParser | null = null
  #decoder: InstanceType<typeof TextDecoder> | null = null
  /** The held bytes start where the stream starts (else mid-line: skip to the next line). */
  #fromStart = true
  #skipping = false
  #last: string | undefined

  /**
   * A chunk the package has parsed, and whether an event came out of it. Returns the last id a
   * data-less block set since the last event when it had to read the held bytes, else undefined.
   */
  parsed(chunk: Uint8Array, dispatched: boolean): string | undefined {
    if (dispatched) {
      this.#chunks.length = 0
      this.#held = 0
      this.#parser = null
      this.#last = undefined
      this.#fromStart = false
    }
    this.#chunks.push(chunk)
    this.#held += chunk.length
    return this.#held > HOLD_BYTES ? this.settle() : undefined
  }

  /** Reads what is held; the last id set after the last event (undefined: none). */
  settle(): string | undefined {
    if (this.#chunks.length === 0) return this.#last
    if (this.#parser === null) {
      this.#parser = createParser({ onId: (id) => (this.#last = id) })
      this.#decoder = new TextDecoder('utf-8', { ignoreBOM: true })
      this.#skipping = !this.#fromStart
    }
    for (const chunk of this.#chunks) {
      let bytes = chunk
      if (this.#skipping) {
        // The event's chunk may start mid-line: its ids are the event's own; read from a line
        // start. The empty line fed first keeps a U+FEFF there from being taken as a BOM.
        const end = lineEnd(bytes)
        if (end === -1) continue
        bytes = bytes.subarray(end + 1)
        this.#skipping = false
        this.#parser.feed('\n')
      }
      this.#parser.feed(this.#decoder!.decode(bytes, { stream: true }))
    }
    this.#chunks.length = 0
    this.#held = 0
    return this.#last
  }
}

function lineEnd(bytes: Uint8Array): number {
  const cr = bytes.indexOf(CR)
  const lf = bytes.indexOf(LF)
  return cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf)
}
