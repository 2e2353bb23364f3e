// The start of a response body: exactly one leading byte order mark stripped (HTML standard), in
// bytes, however the chunks split it. Node's TextDecoder cannot be left to do it: with the BOM
// split across chunks it strips a second one too. The parser strips one more of its first input,
// so the engine feeds it a comment line first (feed-connection.ts).

const BOM = [0xef, 0xbb, 0xbf]

export class StreamStart {
  #head: number[] | null = []

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
    if (head.length === BOM.length || head.length === 0) return chunk.subarray(i)
    const out = new Uint8Array(head.length + chunk.length - i)
    out.set(head, 0)
    out.set(chunk.subarray(i), head.length)
    return out
  }
}
