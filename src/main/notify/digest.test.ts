import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HoldDigest, type HeldAlerts } from './digest.ts'
import type { NotifyPolicy, OutgoingNotification } from './types.ts'

const NOON = new Date(2026, 0, 5, 12, 0).getTime()
const MINUTE = 60_000
const notice = (title: string, feedId = 'ci', eventSeq?: number): OutgoingNotification => ({
  key: `event:${feedId}:${title}`,
  feedId,
  kind: 'task-completed',
  title,
  body: '',
  ...(eventSeq === undefined ? {} : { eventSeq }),
})

function setup(alerts: HeldAlerts = { pending: () => false, release: () => [] }) {
  let pause: NotifyPolicy['pause'] = { until: NOON + 30 * MINUTE }
  const shown: OutgoingNotification[] = []
  const digest = new HoldDigest(
    {
      now: () => Date.now(),
      policy: () =>
        ({
          pause,
          quietHours: { enabled: false, start: '22:00', end: '07:00', failuresBreakThrough: true },
        }) as NotifyPolicy,
      key: (kind) => `${kind}:*:1`,
      name: (feedId) => (feedId === 'ci' ? 'Build server' : feedId),
      show: (notification) => shown.push(notification),
    },
    15 * MINUTE,
    alerts,
  )
  return { digest, shown, resume: () => (pause = null) }
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(NOON)
})
afterEach(() => vi.useRealTimers())

describe('HoldDigest', () => {
  it('holds what comes while paused and tells one digest when the pause ends', () => {
    const { digest, shown } = setup()
    expect(digest.reason()).toBe('paused')
    digest.hold(notice('A', 'ci', 7), 'paused')
    digest.hold(notice('B', 'news'), 'paused')
    digest.hold(notice('C'), 'paused', 3)
    vi.advanceTimersByTime(30 * MINUTE - 1)
    expect(shown).toEqual([])
    vi.advanceTimersByTime(1)
    expect(shown).toEqual([
      {
        key: 'digest:*:1',
        feedId: null,
        kind: 'digest',
        title: '5 notifications while paused',
        body: 'Build server 4, news 1. A · B · C',
        eventSeq: 7,
      },
    ])
  })

  it('tells a single held notification as itself, no longer urgent', () => {
    const { digest, shown, resume } = setup()
    digest.hold({ ...notice('Only'), urgent: true }, 'paused')
    resume()
    digest.check()
    expect(shown).toEqual([{ ...notice('Only'), urgent: false }])
  })

  it('shows made-up notices unless held; urgent ones always', () => {
    const { digest, shown, resume } = setup()
    digest.showUnlessHeld(notice('Held'))
    digest.showUnlessHeld({ ...notice('Urgent'), urgent: true })
    expect(shown.map((n) => n.title)).toEqual(['Urgent'])
    resume()
    digest.showUnlessHeld(notice('Now'))
    expect(shown.map((n) => n.title)).toEqual(['Urgent', 'Now'])
    digest.check()
    expect(shown.map((n) => n.title)).toEqual(['Urgent', 'Now', 'Held'])
  })

  it('adds the alerts still due when the hold ends, and only then asks for them', () => {
    let held = true
    const release = vi.fn(() => {
      held = false
      return [{ ...notice('ci is disconnected'), kind: 'feed-down' as const }]
    })
    const { digest, shown, resume } = setup({ pending: () => held, release })
    digest.watch()
    digest.check()
    expect(release).not.toHaveBeenCalled()
    resume()
    digest.check()
    expect(release).toHaveBeenCalledTimes(1)
    expect(shown.map((n) => n.kind)).toEqual(['feed-down'])
  })

  it('keeps no timer when nothing is held, and dispose() drops the digest', () => {
    const { digest, shown } = setup()
    digest.check()
    expect(vi.getTimerCount()).toBe(0)
    digest.hold(notice('A'), 'paused')
    digest.dispose()
    vi.advanceTimersByTime(24 * 60 * MINUTE)
    expect(shown).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})
