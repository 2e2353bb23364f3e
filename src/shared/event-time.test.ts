import { describe, expect, it } from 'vitest'
import { exportTime } from './event-time.ts'

describe('exportTime', () => {
  it('writes ISO 8601 in UTC with milliseconds', () => {
    expect(exportTime(Date.UTC(2026, 2, 12, 14, 3, 7, 125))).toBe('2026-03-12T14:03:07.125Z')
    expect(exportTime(0)).toBe('1970-01-01T00:00:00.000Z')
  })

  it('writes null for what is not a date, rather than throwing as toISOString does', () => {
    expect(exportTime(Number.NaN)).toBeNull()
    expect(exportTime(Infinity)).toBeNull()
    expect(exportTime(8.64e15 + 1)).toBeNull()
  })
})
