// A small seeded PRNG (mulberry32) so chaos runs replay exactly from their seed.

export interface Random {
  /** [0, 1) */
  next(): number
  /** An integer in [min, max]. */
  int(min: number, max: number): number
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
  /** Picks by weight: [[item, weight], ...]. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T
  /** An independent stream derived from this seed and a label (per feed, per purpose). */
  fork(label: string): Random
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted(entries) {
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
      let roll = next() * total
      for (const [item, weight] of entries) {
        roll -= weight
        if (roll < 0) return item
      }
      return entries.at(-1)![0]
    },
    fork(label) {
      let hash = seed >>> 0
      for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0
      return seededRandom(hash)
    },
  }
  return random
}

/** The seed from an environment variable (decimal), else the given default. */
export function seedFrom(variable: string, fallback: number): number {
  const text = process.env[variable]
  if (text === undefined || text.trim() === '') return fallback
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new Error(`${variable} must be an integer, got "${text}"`)
  return value
}
