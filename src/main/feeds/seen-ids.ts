// A bounded set of recently delivered event ids, so events a server re-sends after a
// reconnect are not delivered twice. Oldest ids are forgotten first.

export const SEEN_IDS_LIMIT = 4096

export class SeenIds {
  readonly #ids = new Set<string>()
  readonly #limit: number

  constructor(limit = SEEN_IDS_LIMIT) {
    this.#limit = limit
  }

  has(id: string): boolean {
    return this.#ids.has(id)
  }

  add(id: string): void {
    this.#ids.add(id)
    if (this.#ids.size > this.#limit) {
      // Sets iterate in insertion order: the first one is the oldest.
      this.#ids.delete(this.#ids.values().next().value as string)
    }
  }

  get size(): number {
    return this.#ids.size
  }
}
