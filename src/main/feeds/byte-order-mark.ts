// The start of a response body as the eventsource package gets it: exactly one leading byte
// order mark stripped (HTML standard), then a prefix of ours in its place. The package strips one
// BOM in its TextDecoder and one more in its parser, so a stream starting with two would lose
// both; with the prefix first there is nothing left for either to strip, and a second BOM stays
// part of the first line, as the standard requires.

const BOM = [0xef, 0xbb, 0xbf]

export class StreamStart {
  readonly #prefix: Uint8Array
  #head: number[] | null = []

  constructor(prefix: Uint8Array) {
    this.#prefix = prefix
  }

  /** The bytes to pass on, or null while the body could still start with a BOM. */
  push(chunk: Uint8Array): Uint8Array | null {
    const head = this.#head
    if (head === null) return chunk
    let i = 0
    while (i < chunk.length && head.length < BOM.length && chunk[i] === BOM[head.length]) {
      head.push(chunk[i]!)
      i++
    }
    if (head.length < BOM.length && i === chunk.length) return null
    this.#head = null
    // A whole BOM is dropped; the start of one that was not a BOM is data.
    const kept = head.length === BOM.length ? [] : head
    const out = new Uint8Array(this.#prefix.length + kept.length + chunk.length - i)
    out.set(this.#prefix, 0)
    out.set(kept, this.#prefix.length)
    out.set(chunk.subarray(i), this.#prefix.length + kept.length)
    return out
  }
}
