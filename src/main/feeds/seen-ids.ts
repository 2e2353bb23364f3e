// Remembers the ids of recently delivered events, so events a server re-sends after a
// reconnect are not delivered twice. Bounded: the oldest ids are forgotten first.
//
// Only re-sends across a reconnect matter, so the hot path is cheap: ids of the current
// connection go into a ring (an array store); lookups hit a Set of the ids delivered before
// this connection, rebuilt from the ring when a new connection starts.

export const SEEN_IDS_LIMIT = 4096

/** An id as it is kept: a number when it is a plain decimal one, else a string of its own. */
type Kept = number | string

/** Digits without a leading zero, short enough to be a small integer ("007" stays a string). */
const PLAIN_NUMBER = /^(?:0|[1-9]\d{0,8})$/

/**
 * What the ring keeps for an id. Most servers number their events: kept as a number, an id is
 * nothing for the garbage collector to copy or trace, where 409,600 strings (100 feeds) were.
 * A longer id is copied: the parser slices ids out of the chunk's text, and V8 keeps a slice
 * of 13 characters or more as a view of the whole chunk, so 4,096 UUIDs from bursts of 64 KiB
 * chunks would hold on to every one of those chunks.
 */
function kept(id: string): Kept {
  if (id.length < 10 && PLAIN_NUMBER.test(id)) return Number(id)
  return id.length < 13 ? id : ownCopy(id)
}

/** A string with its own characters, not a view of a larger one. */
function ownCopy(text: string): string {
  // Joining makes a pair; slicing it makes V8 flatten the pair into a new string of exactly
  // these characters (and one more), then view that.
  return ` ${text}`.slice(1)
}

export class SeenIds {
  /** Grows to the limit as ids come (an idle feed keeps a few), then is overwritten in turn. */
  readonly #ring: Kept[] = []
  readonly #limit: number
  #next = 0
  #before = new Set<Kept>()

  constructor(limit = SEEN_IDS_LIMIT) {
    this.#limit = Math.max(1, limit)
  }

  /** Whether this id was delivered on an earlier connection. */
  has(id: string): boolean {
    // A first connection (no stored id) has nothing before it: skip the hashing.
    return this.#before.size !== 0 && this.#before.has(kept(id))
  }

  add(id: string): void {
    const key = kept(id)
    if (this.#ring.length < this.#limit) {
      this.#ring.push(key)
      return
    }
    this.#ring[this.#next] = key
    this.#next = this.#next + 1 === this.#limit ? 0 : this.#next + 1
  }

  /** A new connection starts: everything delivered so far counts as "before". */
  newConnection(): void {
    this.#before = new Set(this.#ring)
  }
}
