// The history's lines in memory, as the UTF-8 bytes the file holds, in slabs outside the JS heap.
// Kept as objects and strings, 10 000 events are some 5 MiB that every garbage collection walks:
// at 2,000 events/s each one survives the young generation's collections (it stays 5 s), which
// makes V8 grow the young generation to its largest and promote every event to the old one, to
// die there. Bytes in a Buffer cost the collector nothing; an event is parsed back only when the
// window asks for the whole history (once per window load).

/** Bytes per slab: a few hundred lines; a longer line gets a slab of its own. */
const SLAB_BYTES = 256 * 1024

interface Slab {
  bytes: Buffer
  used: number
  /** Lines in this slab not evicted yet: at 0 the slab is let go. */
  live: number
}

export class LineStore {
  #slabs: Array<Slab | null> = []
  /** Per line, oldest first from #start: its slab's index in #slabs, offset, length, weight. */
  #slabOf: number[] = []
  #offsets: number[] = []
  #lengths: number[] = []
  #weights: number[] = []
  #start = 0
  #weight = 0

  get size(): number {
    return this.#slabOf.length - this.#start
  }

  /** The sum of the weights of the lines kept. */
  get weight(): number {
    return this.#weight
  }

  /** Adds a line (with its newline) and the weight it counts for. */
  push(line: string, weight: number): void {
    const length = Buffer.byteLength(line)
    let slab = this.#slabs.at(-1) ?? null
    if (slab === null || slab.bytes.length - slab.used < length) {
      slab = { bytes: Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, length)), used: 0, live: 0 }
      this.#slabs.push(slab)
    }
    slab.bytes.write(line, slab.used)
    this.#slabOf.push(this.#slabs.length - 1)
    this.#offsets.push(slab.used)
    this.#lengths.push(length)
    this.#weights.push(weight)
    slab.used += length
    slab.live++
    this.#weight += weight
  }

  /** Forgets the oldest line. */
  shift(): void {
    if (this.size === 0) return
    const index = this.#slabOf[this.#start]!
    const slab = this.#slabs[index]!
    this.#weight -= this.#weights[this.#start]!
    this.#start++
    // The slab being filled stays, empty or not; a full one goes with its last line.
    if (--slab.live === 0 && index !== this.#slabs.length - 1) this.#slabs[index] = null
    // Drop the forgotten prefix of the arrays now and then, not on every line.
    if (this.#start > 1024 && this.#start * 2 > this.#slabOf.length) this.#compact()
  }

  /** The lines kept, oldest first, as strings (each with its newline). */
  *lines(): Generator<string> {
    for (let i = this.#start; i < this.#slabOf.length; i++) {
      const offset = this.#offsets[i]!
      yield this.#slabs[this.#slabOf[i]!]!.bytes.toString(
        'utf8',
        offset,
        offset + this.#lengths[i]!,
      )
    }
  }

  /**
   * The bytes of every line kept, oldest first, in as few pieces as the slabs allow: views, not
   * copies, for a whole-file write.
   */
  *bytes(): Generator<Uint8Array> {
    let i = this.#start
    while (i < this.#slabOf.length) {
      const index = this.#slabOf[i]!
      const from = this.#offsets[i]!
      let to = from + this.#lengths[i]!
      for (i++; i < this.#slabOf.length && this.#slabOf[i] === index; i++)
        to = this.#offsets[i]! + this.#lengths[i]!
      yield this.#slabs[index]!.bytes.subarray(from, to)
    }
  }

  #compact(): void {
    const first = this.#slabOf[this.#start]!
    this.#slabOf = this.#slabOf.slice(this.#start).map((index) => index - first)
    this.#offsets = this.#offsets.slice(this.#start)
    this.#lengths = this.#lengths.slice(this.#start)
    this.#weights = this.#weights.slice(this.#start)
    this.#slabs = this.#slabs.slice(first)
    this.#start = 0
  }
}
