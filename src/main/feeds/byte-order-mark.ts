// Exactly one leading byte order mark is stripped from an event stream (HTML standard).
// The eventsource package strips one in its TextDecoder and then one more in its parser, so a
// stream starting with two BOMs would lose both. Where the stream starts with two, we add a
// third: after the two strips the first line keeps one, as the standard requires.

const BOM = [0xef, 0xbb, 0xbf]
const DOUBLE_BOM = [...BOM, ...BOM]

export class LeadingBomGuard {
  #head: number[] | null = []
  /** How many leading bytes of the first released chunk are the (single) stripped BOM. */
  bomLength = 0

  /** Returns the bytes to pass on, or null while the stream could still start with two BOMs. */
  push(chunk: Uint8Array): Uint8Array | null {
    const head = this.#head
    if (head === null) return chunk
    let i = 0
    while (i < chunk.length && head.length < DOUBLE_BOM.length) {
      if (chunk[i] !== DOUBLE_BOM[head.length]) return this.#release(chunk, i, false)
      head.push(chunk[i]!)
      i++
    }
    return head.length < DOUBLE_BOM.length ? null : this.#release(chunk, i, true)
  }

  #release(chunk: Uint8Array, consumed: number, doubleBom: boolean): Uint8Array {
    const head = this.#head!
    this.#head = null
    // With two BOMs the first line starts with one (it is not a field); with one, it is stripped.
    this.bomLength = !doubleBom && head.length >= BOM.length ? BOM.length : 0
    const prefix = doubleBom ? [...BOM, ...head] : head
    if (prefix.length === 0) return chunk
    const out = new Uint8Array(prefix.length + chunk.length - consumed)
    out.set(prefix, 0)
    out.set(chunk.subarray(consumed), prefix.length)
    return out
  }
}
