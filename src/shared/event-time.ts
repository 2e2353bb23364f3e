// How a time is written where events leave Tidings as JSON: the window's JSONL export and
// `tidings tail --json` (event `receivedAt`, state `at`). ISO 8601 in UTC with milliseconds,
// "2026-03-12T14:03:07.125Z": readable, sortable as text, and what every JSON tool parses.

/** An epoch-milliseconds time as ISO 8601 (UTC); null for a time that is not a date (NaN, ±∞). */
export function exportTime(epochMs: number): string | null {
  const date = new Date(epochMs)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
