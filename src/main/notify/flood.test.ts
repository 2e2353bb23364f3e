import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FloodControl } from './flood.ts'
import type { NotifyPolicy, OutgoingNotification } from './types.ts'

const MINUTE = 60_000
const notice = (title: string): OutgoingNotification => ({
  key: `event:ci:${title}`,
  feedId: 'ci',
  kind: 'task-completed',
  title,
  body: '',
})

function setup(rateLimitPerMinute: number) {
  const shown: string[] = []
  const summaries: Array<{ notification: OutgoingNotification; weight: number }> = []
  const flood = new FloodControl(
    'ci',
    {
      now: () => Date.now(),
      policy: () => ({ rateLimitPerMinute }) as NotifyPolicy,
      key: (kind) => `${kind}:ci:1`,
      name: () => 'CI',
      show: (notification) => shown.push(notification.title),
    },
    MINUTE,
    (notification, weight = 1) => summaries.push({ notification, weight }),
  )
  return { flood, shown, summaries }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('FloodControl', () => {
  it('shows the budget at once and one summary of the rest when the minute ends', () => {
    const { flood, shown, summaries } = setup(2)
    for (const title of ['A', 'B', 'C', 'D']) flood.deliver(notice(title))
    flood.deliver(notice('10 earlier'), 10)
    expect(shown).toEqual(['A', 'B'])
    vi.advanceTimersByTime(MINUTE - 1)
    expect(summaries).toEqual([])
    vi.advanceTimersByTime(1)
    expect(summaries).toHaveLength(1)
    expect(summaries[0]).toMatchObject({
      weight: 12,
      notification: { kind: 'summary', title: '12 more from CI' },
    })
  })

  it('tells the summary of a window that is over before its timer ran', () => {
    const { flood, shown, summaries } = setup(1)
    flood.deliver(notice('A'))
    flood.deliver(notice('B'))
    vi.setSystemTime(Date.now() + MINUTE) // the clock moved, no timer has run
    flood.deliver(notice('C'))
    expect(summaries.map((s) => s.notification.title)).toEqual(['1 more from CI'])
    expect(shown).toEqual(['A', 'C'])
  })

  it.each([0, -3, Number.NaN, 0.5])('lets at least one through with a limit of %s', (limit) => {
    const { flood, shown } = setup(limit)
    flood.deliver(notice('A'))
    flood.deliver(notice('B'))
    expect(shown).toEqual(['A'])
  })

  it('sends no summary when nothing was held back, and dispose() drops what was', () => {
    const quiet = setup(5)
    quiet.flood.deliver(notice('A'))
    vi.advanceTimersByTime(5 * MINUTE)
    expect(quiet.summaries).toEqual([])
    const busy = setup(1)
    busy.flood.deliver(notice('A'))
    busy.flood.deliver(notice('B'))
    busy.flood.dispose()
    vi.advanceTimersByTime(5 * MINUTE)
    expect(busy.summaries).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})
