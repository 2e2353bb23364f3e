import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FeedHealth } from './feed-health.ts'
import type { CenterContext, NotifyPolicy, OutgoingNotification } from './types.ts'

const MINUTE = 60_000

function setup(options: { held?: boolean; snoozedUntil?: number; minutes?: number } = {}) {
  const shown: OutgoingNotification[] = []
  const viaHold: OutgoingNotification[] = []
  let held = options.held ?? false
  const watch = vi.fn()
  const context: CenterContext = {
    now: () => Date.now(),
    policy: () => ({ disconnectAlertMinutes: options.minutes ?? 10 }) as NotifyPolicy,
    key: (kind, feedId) => `${kind}:${feedId}`,
    name: () => 'Build server',
    snoozedUntil: (_feedId, now) =>
      options.snoozedUntil !== undefined && now < options.snoozedUntil
        ? options.snoozedUntil
        : null,
    show: (notification) => shown.push(notification),
  }
  const health = new FeedHealth('ci', context, {
    reason: () => (held ? 'quiet' : null),
    watch,
    showUnlessHeld: (notification) => viaHold.push(notification),
  })
  return { health, shown, viaHold, watch, unhold: () => (held = false) }
}

const reconnecting = (reason: string) =>
  ({ kind: 'reconnecting', attempt: 1, delayMs: 1000, reason }) as const

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('FeedHealth', () => {
  it('alerts once after the minutes, counting from the first failure, with the last error', () => {
    const { health, shown } = setup()
    health.down(reconnecting('ECONNREFUSED'), Date.now())
    vi.advanceTimersByTime(5 * MINUTE)
    health.down({ kind: 'connecting' }, Date.now())
    vi.advanceTimersByTime(5 * MINUTE - 1)
    expect(shown).toEqual([])
    vi.advanceTimersByTime(1)
    expect(shown).toEqual([
      {
        key: 'feed-down:ci',
        feedId: 'ci',
        kind: 'feed-down',
        title: 'Build server is disconnected',
        body: 'No connection for 10 min. Last error: ECONNREFUSED.',
      },
    ])
    vi.advanceTimersByTime(60 * MINUTE)
    expect(shown).toHaveLength(1)
  })

  it('says it gave up for a failed feed, with the HTTP status', () => {
    const { health, shown } = setup()
    health.down({ kind: 'failed', reason: 'Forbidden', status: 403 }, Date.now())
    vi.advanceTimersByTime(10 * MINUTE)
    expect(shown[0]?.body).toBe('No connection for 10 min. Gave up: Forbidden (HTTP 403).')
  })

  it('says the feed is back only after an alert was shown', () => {
    const quick = setup()
    quick.health.down(reconnecting('reset'), Date.now())
    vi.advanceTimersByTime(MINUTE)
    quick.health.up()
    expect(quick.viaHold).toEqual([])

    const { health, viaHold } = setup()
    health.down(reconnecting('reset'), Date.now())
    vi.advanceTimersByTime(72 * MINUTE)
    health.up()
    expect(viaHold).toEqual([
      {
        key: 'feed-up:ci',
        feedId: 'ci',
        kind: 'feed-up',
        title: 'Build server is back',
        body: 'Reconnected after 1 h 12 min.',
      },
    ])
  })

  it('no alert for a feed stopped on purpose, nor with 0 minutes', () => {
    const stopped = setup()
    stopped.health.down(reconnecting('reset'), Date.now())
    stopped.health.stopped()
    const never = setup({ minutes: 0 })
    never.health.down(reconnecting('reset'), Date.now())
    vi.advanceTimersByTime(24 * 60 * MINUTE)
    expect([...stopped.shown, ...never.shown]).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('waits for a snooze to end', () => {
    const { health, shown } = setup({ snoozedUntil: Date.now() + 30 * MINUTE })
    health.down(reconnecting('reset'), Date.now())
    vi.advanceTimersByTime(30 * MINUTE - 1)
    expect(shown).toEqual([])
    vi.advanceTimersByTime(1)
    expect(shown).toHaveLength(1)
  })

  it('while notifications are held, keeps the alert for the digest', () => {
    const { health, shown, watch } = setup({ held: true })
    health.down(reconnecting('reset'), Date.now())
    vi.advanceTimersByTime(10 * MINUTE)
    expect(shown).toEqual([])
    expect(health.alertHeld).toBe(true)
    expect(watch).toHaveBeenCalled()
    vi.advanceTimersByTime(5 * MINUTE)
    expect(health.releaseHeld()).toMatchObject({
      kind: 'feed-down',
      body: 'No connection for 15 min. Last error: reset.',
    })
    expect(health.alertHeld).toBe(false)
  })
})
