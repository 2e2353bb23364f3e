// "did you mean `tail`?": the known name nearest to a mistyped one, when it is near enough to be
// what was meant (a typo, a swapped pair of letters, a letter too many or too few).

/** The candidate nearest to `word`, or undefined when none is plausibly what was meant. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const typed = word.toLowerCase()
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  // One edit in four letters, at least one, at most three: "tial" is tail, "ui" is not "tail".
  const allowed = Math.min(3, Math.max(1, Math.floor(typed.length / 4)))
  return bestDistance <= allowed ? best : undefined
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
 *  neighbouring letters each cost 1. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)]
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, rows[i - 2]![j - 2]! + 1)
      row.push(value)
    }
    rows.push(row)
  }
  return rows[a.length]![b.length]!
}
