import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CatchUpWindow } from './catch-up.ts'
import type { OutgoingNotification } from './types.ts'

const timing = { windowMs: 1500, gapMs: 500, maxMs: 10_000 }
const notice = (title: string, kind: OutgoingNotification['kind'] = 'task-completed') => ({
  key: `event:ci:${title}`,
  feedId: 'ci',
  kind,
  title,
  body: '',
  eventSeq: title.length,
})

function setup() {
  const delivered: Array<{ notification: OutgoingNotification; weight: number }> = []
  let serial = 0
  const window = new CatchUpWindow(
    'ci',
    {
      now: () => Date.now(),
      key: (kind, feedId) => `${kind}:${feedId}:${++serial}`,
      name: () => 'CI',
    },
    timing,
    (notification, weight = 1) => delivered.push({ notification, weight }),
  )
  return { window, delivered }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('CatchUpWindow', () => {
  it('holds nothing while closed', () => {
    const { window } = setup()
    expect(window.open).toBe(false)
    expect(window.hold(notice('A'))).toBe(false)
  })

  it('tells a burst as one summary standing for all of it, naming the most important first', () => {
    const { window, delivered } = setup()
    window.start()
    expect(window.hold(notice('Deploy', 'news'))).toBe(true)
    expect(window.hold(notice('Build', 'task-failed'))).toBe(true)
    expect(window.hold(notice('Tests'))).toBe(true)
    vi.advanceTimersByTime(1499)
    expect(delivered).toEqual([])
    vi.advanceTimersByTime(1)
    expect(delivered).toEqual([
      {
        notification: {
          key: 'catch-up:ci:1',
          feedId: 'ci',
          kind: 'catch-up',
          title: '3 missed while disconnected from CI',
          body: '1 failed, 1 completed, 1 news: Build · Tests · Deploy',
          eventSeq: 5,
        },
        weight: 3,
      },
    ])
    expect(window.open).toBe(false)
  })

  it('lets a single held notification go on as itself', () => {
    const { window, delivered } = setup()
    window.start()
    window.hold(notice('Only'))
    window.flush()
    expect(delivered).toEqual([{ notification: notice('Only'), weight: 1 }])
  })

  it('follows the burst: open while events come within the gap, never past the bound', () => {
    const { window, delivered } = setup()
    window.start()
    window.hold(notice('A'))
    for (let t = 0; t < 12_000; t += 400) {
      vi.advanceTimersByTime(400)
      window.onEvent(Date.now())
      if (t < 9000) expect(window.open).toBe(true)
    }
    expect(window.open).toBe(false)
    expect(delivered.map((d) => d.notification.title)).toEqual(['A'])
  })

  it('ends as soon as an event comes after the window, even before its timer ran', () => {
    const { window, delivered } = setup()
    window.start()
    window.hold(notice('A'))
    window.hold(notice('B'))
    vi.setSystemTime(Date.now() + 2000) // the clock moved, no timer has run
    window.onEvent(Date.now())
    expect(delivered.map((d) => d.notification.kind)).toEqual(['catch-up'])
  })

  it('a new start tells what the last window held first', () => {
    const { window, delivered } = setup()
    window.start()
    window.hold(notice('A'))
    window.start()
    expect(delivered.map((d) => d.notification.title)).toEqual(['A'])
    expect(window.open).toBe(true)
  })

  it('dispose() forgets the window and what it held', () => {
    const { window, delivered } = setup()
    window.start()
    window.hold(notice('A'))
    window.dispose()
    vi.advanceTimersByTime(60_000)
    expect(delivered).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})
