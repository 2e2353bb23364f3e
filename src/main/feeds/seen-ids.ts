// Remembers the ids of recently delivered events, so events a server re-sends after a
// reconnect are not delivered twice. Bounded: the oldest ids are forgotten first.
//
// Only re-sends across a reconnect matter, so the hot path is cheap: ids of the current
// connection go into a ring (an array store); lookups hit a Set of the ids delivered before
// this connection, rebuilt from the ring when a new connection starts.

export const SEEN_IDS_LIMIT = 4096

export class SeenIds {
  /** Grows to the limit as ids come (an idle feed keeps a few), then is overwritten in turn. */
  readonly #ring: string[] = []
  readonly #limit: number
  #next = 0
  #before = new Set<string>()

  constructor(limit = SEEN_IDS_LIMIT) {
    this.#limit = Math.max(1, limit)
  }

  /** Whether this id was delivered on an earlier connection. */
  has(id: string): boolean {
    // A first connection (no stored id) has nothing before it: skip the hashing.
    return this.#before.size !== 0 && this.#before.has(id)
  }

  add(id: string): void {
    if (this.#ring.length < this.#limit) {
      this.#ring.push(id)
      return
    }
    this.#ring[this.#next] = id
    this.#next = this.#next + 1 === this.#limit ? 0 : this.#next + 1
  }

  /** A new connection starts: everything delivered so far counts as "before". */
  newConnection(): void {
    this.#before = new Set(this.#ring)
  }
}
