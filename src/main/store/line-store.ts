// The history's lines in memory, as the UTF-8 bytes the file holds, in slabs outside the JS heap.
// Kept as objects and strings, 10 000 events are some 5 MiB that every garbage collection walks:
// at 2,000 events/s each one survives the young generation's collections (it stays 5 s), which
// makes V8 grow the young generation to its largest and promote every event to the old one, to
// die there. Bytes in a Buffer cost the collector nothing; an event is parsed back only when the
// window asks for the whole history (once per window load).

/** Bytes per slab: a few hundred lines; a longer line gets a slab of its own. */
const SLAB_BYTES = 256 * 1024
/** Lines the index holds before it first grows (it doubles when full). */
const FIRST_CAPACITY = 1024

interface Slab {
  bytes: Buffer
  used: number
  /** Lines in this slab not evicted yet: at 0 the slab is let go. */
  live: number
}

/**
 * Where each line is, in a ring of typed arrays: also outside the heap, and never reallocated in
 * steady state. (Number arrays that grow and are sliced to drop their head are new arrays every
 * few thousand lines, each promoted to the old generation to die there.)
 */
export class LineStore {
  /** Slabs in order; #slabs[0] has the number #firstSlab. Lines leave oldest first, so do slabs. */
  #slabs: Slab[] = []
  #firstSlab = 0
  /** Per line, at (#head + i) & #mask for the i-th oldest: its slab's number, offset, length, weight. */
  #slabOf = new Uint32Array(FIRST_CAPACITY)
  #offsets = new Uint32Array(FIRST_CAPACITY)
  #lengths = new Uint32Array(FIRST_CAPACITY)
  #weights = new Float64Array(FIRST_CAPACITY)
  #mask = FIRST_CAPACITY - 1
  #head = 0
  #size = 0
  #weight = 0

  get size(): number {
    return this.#size
  }

  /** The sum of the weights of the lines kept. */
  get weight(): number {
    return this.#weight
  }

  /** Adds a line (with its newline) and the weight it counts for. */
  push(line: string, weight: number): void {
    const length = Buffer.byteLength(line)
    let slab = this.#slabs.at(-1)
    if (slab === undefined || slab.bytes.length - slab.used < length) {
      slab = { bytes: Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, length)), used: 0, live: 0 }
      this.#slabs.push(slab)
      this.#dropEmptySlabs()
    }
    slab.bytes.write(line, slab.used)
    if (this.#size > this.#mask) this.#grow()
    const at = (this.#head + this.#size) & this.#mask
    this.#slabOf[at] = this.#firstSlab + this.#slabs.length - 1
    this.#offsets[at] = slab.used
    this.#lengths[at] = length
    this.#weights[at] = weight
    this.#size++
    slab.used += length
    slab.live++
    this.#weight += weight
  }

  /** Forgets the oldest line. */
  shift(): void {
    if (this.#size === 0) return
    const at = this.#head
    const slab = this.#slabAt(at)
    this.#weight -= this.#weights[at]!
    this.#head = (at + 1) & this.#mask
    this.#size--
    slab.live--
    this.#dropEmptySlabs()
  }

  /** The lines kept, oldest first, as strings (each with its newline). */
  *lines(): Generator<string> {
    for (let i = 0; i < this.#size; i++) {
      const at = (this.#head + i) & this.#mask
      const offset = this.#offsets[at]!
      yield this.#slabAt(at).bytes.toString('utf8', offset, offset + this.#lengths[at]!)
    }
  }

  /**
   * The bytes of every line kept, oldest first, in as few pieces as the slabs allow: views, not
   * copies, for a whole-file write.
   */
  *bytes(): Generator<Uint8Array> {
    let i = 0
    while (i < this.#size) {
      const at = (this.#head + i) & this.#mask
      const slab = this.#slabOf[at]!
      const from = this.#offsets[at]!
      let to = from + this.#lengths[at]!
      for (i++; i < this.#size; i++) {
        const next = (this.#head + i) & this.#mask
        if (this.#slabOf[next] !== slab) break
        to = this.#offsets[next]! + this.#lengths[next]!
      }
      yield this.#slabs[slab - this.#firstSlab]!.bytes.subarray(from, to)
    }
  }

  /**
   * Lets go of the oldest slabs once none of their lines is kept (lines leave oldest first, so
   * empty slabs are only ever at the front). The slab being filled stays, empty or not.
   */
  #dropEmptySlabs(): void {
    while (this.#slabs.length > 1 && this.#slabs[0]!.live === 0) {
      this.#slabs.shift()
      this.#firstSlab++
    }
  }

  #slabAt(at: number): Slab {
    return this.#slabs[this.#slabOf[at]! - this.#firstSlab]!
  }

  /** Twice the room, the lines moved to its start in order. */
  #grow(): void {
    const capacity = (this.#mask + 1) * 2
    const moved = <T extends Uint32Array | Float64Array>(from: T, to: T): T => {
      to.set(from.subarray(this.#head))
      to.set(from.subarray(0, this.#head), from.length - this.#head)
      return to
    }
    this.#slabOf = moved(this.#slabOf, new Uint32Array(capacity))
    this.#offsets = moved(this.#offsets, new Uint32Array(capacity))
    this.#lengths = moved(this.#lengths, new Uint32Array(capacity))
    this.#weights = moved(this.#weights, new Float64Array(capacity))
    this.#mask = capacity - 1
    this.#head = 0
  }
}
