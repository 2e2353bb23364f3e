import { describe, expect, it } from 'vitest'
import { clockMinutes, holdEndsAt, holdReason, isPaused, isQuietTime } from './hold.ts'
import type { NotifyPolicy } from './types.ts'

// Local wall-clock times, so the tests mean the same in every time zone.
const at = (hours: number, minutes = 0, day = 5) => new Date(2026, 0, day, hours, minutes).getTime()
const quiet = (start: string, end: string, enabled = true) => ({
  enabled,
  start,
  end,
  failuresBreakThrough: true,
})
const policy = (overrides: Partial<NotifyPolicy> = {}): NotifyPolicy => ({
  rateLimitPerMinute: 5,
  disconnectAlertMinutes: 10,
  quietHours: quiet('22:00', '07:00', false),
  pause: null,
  feeds: {},
  ...overrides,
})

describe('clockMinutes', () => {
  it.each([
    ['00:00', 0],
    ['07:30', 450],
    ['7:05', 425],
    ['23:59', 1439],
  ])('%s is %d', (text, minutes) => {
    expect(clockMinutes(text)).toBe(minutes)
  })

  it.each(['24:00', '12:60', '', 'noon', '12-30', '1230'])('%j is not a time', (text) => {
    expect(clockMinutes(text)).toBeNull()
  })
})

describe('isQuietTime', () => {
  it.each([
    [21, 59, false],
    [22, 0, true],
    [23, 30, true],
    [0, 0, true],
    [3, 0, true],
    [6, 59, true],
    [7, 0, false],
    [12, 0, false],
  ])('22:00-07:00 (wrapping midnight) at %d:%d is quiet: %s', (hours, minutes, expected) => {
    expect(isQuietTime(at(hours, minutes), quiet('22:00', '07:00'))).toBe(expected)
  })

  it.each([
    [11, 59, false],
    [12, 0, true],
    [12, 59, true],
    [13, 0, false],
    [0, 30, false],
  ])('12:00-13:00 at %d:%d is quiet: %s', (hours, minutes, expected) => {
    expect(isQuietTime(at(hours, minutes), quiet('12:00', '13:00'))).toBe(expected)
  })

  it('is never quiet when disabled, empty (start = end) or malformed', () => {
    expect(isQuietTime(at(23), quiet('22:00', '07:00', false))).toBe(false)
    expect(isQuietTime(at(23), quiet('22:00', '22:00'))).toBe(false)
    expect(isQuietTime(at(23), quiet('22:00', 'later'))).toBe(false)
    expect(isQuietTime(at(23), null)).toBe(false)
  })
})

describe('pause and hold', () => {
  it('pauses until a time or until resumed', () => {
    expect(isPaused(at(12), null)).toBe(false)
    expect(isPaused(at(12), { until: null })).toBe(true)
    expect(isPaused(at(12), { until: at(13) })).toBe(true)
    expect(isPaused(at(13), { until: at(13) })).toBe(false)
  })

  it('names the reason, pause first', () => {
    const night = quiet('22:00', '07:00')
    expect(holdReason(at(12), policy())).toBeNull()
    expect(holdReason(at(23), policy({ quietHours: night }))).toBe('quiet')
    expect(holdReason(at(23), policy({ quietHours: night, pause: { until: null } }))).toBe('paused')
  })

  it('says when the hold ends: the pause end, the next end of quiet hours, or never', () => {
    const night = quiet('22:00', '07:00')
    expect(holdEndsAt(at(23), policy({ quietHours: night }))).toBe(at(7, 0, 6))
    expect(holdEndsAt(at(3), policy({ quietHours: night }))).toBe(at(7, 0, 5))
    expect(holdEndsAt(at(12), policy({ pause: { until: at(14) } }))).toBe(at(14))
    expect(holdEndsAt(at(12), policy({ pause: { until: null } }))).toBeNull()
    expect(holdEndsAt(at(12), policy())).toBe(at(12))
  })
})
