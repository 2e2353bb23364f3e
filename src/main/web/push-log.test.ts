import { describe, expect, it } from 'vitest'
import type { FeedStatus, LoggedEvent } from '../../shared/ipc.ts'
import { PushLog } from './push-log.ts'

const event = (seq: number): LoggedEvent => ({
  feedId: 'f',
  type: 'message',
  data: `e${seq}`,
  id: String(seq),
  receivedAt: seq,
  seq,
  notification: null,
})
const feeds = (count: number) => [{ eventCount: count } as FeedStatus]

describe('PushLog', () => {
  it('replays exactly what came after an id: every batch and one-shot, state channels latest only', () => {
    const log = new PushLog()
    log.append('events', [event(1)])
    const seen = log.append('feeds', feeds(1)).id
    log.append('events', [event(2), event(3)])
    log.append('feeds', feeds(2))
    log.append('focus-event', 2)
    log.append('feeds', feeds(3))
    log.append('navigate', 'settings')
    const missed = log.since(seen)!
    expect(missed.map((entry) => [entry.channel, JSON.parse(entry.json)])).toEqual([
      ['events', [event(2), event(3)]],
      ['focus-event', 2],
      ['feeds', feeds(3)],
      ['navigate', 'settings'],
    ])
    expect(log.since(log.lastId)).toEqual([])
  })

  it('says a page is too far behind once batches it missed were dropped', () => {
    const log = new PushLog({ maxEvents: 4 })
    const first = log.append('events', [event(1), event(2)]).id
    log.append('events', [event(3), event(4)])
    const third = log.append('events', [event(5), event(6)]).id
    // The first batch went to stay within 4 events: a page that saw only it cannot catch up.
    expect(log.since(first - 1)).toBeNull()
    expect(log.since(first)?.map((entry) => entry.id)).toEqual([first + 1, third])
    expect(log.since(third)).toEqual([])
  })

  it('keeps one batch even when it alone exceeds the bound, and bounds the number of pushes', () => {
    const log = new PushLog({ maxEvents: 1, maxEntries: 3 })
    const big = log.append('events', [event(1), event(2), event(3)]).id
    expect(log.since(big - 1)?.length).toBe(1)
    for (let at = 0; at < 5; at++) log.append('focus-event', at)
    expect(log.since(log.lastId - 3)?.length).toBe(3)
    expect(log.since(log.lastId - 4)).toBeNull()
  })

  it('bounds the bytes it keeps too', () => {
    const log = new PushLog({ maxBytes: 1000 })
    const big = (seq: number) => ({ ...event(seq), data: 'x'.repeat(400) })
    const first = log.append('events', [big(1)]).id
    log.append('events', [big(2)])
    log.append('events', [big(3)])
    expect(log.since(first - 1)).toBeNull()
    expect(log.since(first + 1)?.length).toBe(1)
  })

  it('reads only its own run’s ids', () => {
    const log = new PushLog()
    const entry = log.append('events', [event(1)])
    const other = new PushLog()
    expect(log.parseEventId(log.eventId(entry.id))).toBe(entry.id)
    expect(other.parseEventId(log.eventId(entry.id))).toBeNull()
    expect(log.parseEventId(`${log.run}-99`)).toBeNull()
    for (const bad of ['', '1', `${log.run}-`, `${log.run}-1x`, `x${log.run}-1`, null, undefined])
      expect(log.parseEventId(bad)).toBeNull()
  })
})
