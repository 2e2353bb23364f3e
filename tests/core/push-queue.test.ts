import { describe, expect, it } from 'vitest'
import type { IpcPushes } from '../../src/shared/ipc.ts'
import { PushQueue } from '../../src/main/core/push-queue.ts'
import { loggedEvent, ManualScheduler } from '../app/support/fixtures.ts'

function setup(options: { maxBatch?: number; maxQueued?: number } = {}) {
  const scheduler = new ManualScheduler()
  const sent: Array<{ channel: keyof IpcPushes; payload: unknown }> = []
  const queue = new PushQueue({
    send: (channel, payload) => sent.push({ channel, payload }),
    scheduler,
    ...options,
  })
  const events = () =>
    sent
      .filter((s) => s.channel === 'events')
      .map((s) => (s.payload as { seq: number }[]).map((e) => e.seq))
  return { scheduler, sent, queue, events }
}

describe('PushQueue', () => {
  it('holds everything until the window is ready, then sends it at once', () => {
    const { queue, sent, scheduler, events } = setup()
    queue.event(loggedEvent(1))
    queue.event(loggedEvent(2))
    queue.latest('feeds', [])
    expect(sent).toEqual([])
    expect(scheduler.armed).toBe(0)

    queue.markReady()
    expect(sent.map((s) => s.channel)).toEqual(['feeds', 'events'])
    expect(events()).toEqual([[1, 2]])
  })

  it('batches events arriving together into one push, scheduled 50 ms out', () => {
    const { queue, scheduler, events } = setup()
    queue.markReady()
    for (let seq = 1; seq <= 30; seq++) queue.event(loggedEvent(seq))
    expect(events()).toEqual([])
    expect(scheduler.pending.map((p) => p.delayMs)).toEqual([50])

    scheduler.tick()
    expect(events()).toHaveLength(1)
    expect(events()[0]).toHaveLength(30)
    expect(scheduler.armed).toBe(0)
  })

  it('bounds each batch and sends the rest on later ticks, never sooner', () => {
    const { queue, scheduler, events } = setup({ maxBatch: 10 })
    queue.markReady()
    for (let seq = 1; seq <= 25; seq++) queue.event(loggedEvent(seq))
    scheduler.tick()
    expect(events().map((b) => b.length)).toEqual([10])
    expect(scheduler.pending.map((p) => p.delayMs)).toEqual([50])
    scheduler.tick()
    scheduler.tick()
    expect(events().map((b) => b.length)).toEqual([10, 10, 5])
    expect(events().flat()).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
  })

  it('keeps only the latest value of state channels', () => {
    const { queue, sent, scheduler } = setup()
    queue.markReady()
    queue.latest('tasks', [])
    queue.latest('feeds', [{ id: 'a' }] as never)
    queue.latest('feeds', [{ id: 'b' }] as never)
    scheduler.tick()
    expect(sent).toEqual([
      { channel: 'feeds', payload: [{ id: 'b' }] },
      { channel: 'tasks', payload: [] },
    ])
  })

  it('computes a lazily given value once, when it is sent', () => {
    const { queue, sent, scheduler } = setup()
    queue.markReady()
    let calls = 0
    const feeds = () => {
      calls++
      return []
    }
    for (let i = 0; i < 100; i++) queue.latest('feeds', feeds)
    expect(calls).toBe(0)
    scheduler.tick()
    expect(calls).toBe(1)
    expect(sent).toEqual([{ channel: 'feeds', payload: [] }])
  })

  it('drops the oldest waiting events beyond its bound and counts them', () => {
    const { queue, events } = setup({ maxQueued: 5, maxBatch: 100 })
    for (let seq = 1; seq <= 8; seq++) queue.event(loggedEvent(seq))
    expect(queue.dropped).toBe(3)
    queue.markReady()
    expect(events()).toEqual([[4, 5, 6, 7, 8]])
  })

  it('forgets waiting events once the window took a snapshot holding them', () => {
    const { queue, events, scheduler } = setup()
    queue.event(loggedEvent(1))
    queue.snapshotTaken()
    queue.event(loggedEvent(2))
    queue.markReady()
    scheduler.tick()
    expect(events()).toEqual([[2]])
  })

  it('holds again while the window reloads, and sends focus requests after their event', () => {
    const { queue, sent, scheduler } = setup()
    queue.markReady()
    queue.markNotReady()
    queue.event(loggedEvent(7))
    queue.focusEvent(7)
    scheduler.tick()
    expect(sent).toEqual([])
    queue.markReady()
    expect(sent.map((s) => s.channel)).toEqual(['events', 'focus-event'])
    expect(sent[1]?.payload).toBe(7)
  })

  it('sends nothing after dispose', () => {
    const { queue, sent, scheduler } = setup()
    queue.markReady()
    queue.event(loggedEvent(1))
    queue.dispose()
    scheduler.tick()
    queue.event(loggedEvent(2))
    expect(sent).toEqual([])
    expect(scheduler.armed).toBe(0)
  })

  it('sends a value set with latestSoon at most every fifth flush, and the last one surely', () => {
    const { queue, sent, scheduler } = setup()
    queue.markReady()
    const feedPushes = () => sent.filter((s) => s.channel === 'feeds').map((s) => s.payload)
    // Events with counts that change each time: the first goes out with its batch.
    for (let tick = 1; tick <= 12; tick++) {
      queue.event(loggedEvent(tick))
      queue.latestSoon('feeds', [{ count: tick }] as never)
      scheduler.tick()
    }
    expect(feedPushes()).toEqual([[{ count: 1 }], [{ count: 6 }], [{ count: 11 }]])
    // The events stop; the last count still goes out at its turn, without another push.
    while (scheduler.armed > 0) scheduler.tick()
    expect(feedPushes().at(-1)).toEqual([{ count: 12 }])
    expect(sent.filter((s) => s.channel === 'events')).toHaveLength(12)
  })

  it('a prompt latest() is not held back by latestSoon, before or after it', () => {
    const { queue, sent, scheduler } = setup()
    queue.markReady()
    const feedPushes = () => sent.filter((s) => s.channel === 'feeds').map((s) => s.payload)
    queue.latestSoon('feeds', [{ count: 1 }] as never)
    scheduler.tick()
    queue.latestSoon('feeds', [{ count: 2 }] as never)
    queue.latest('feeds', [{ state: 'reconnecting' }] as never)
    scheduler.tick()
    expect(feedPushes()).toEqual([[{ count: 1 }], [{ state: 'reconnecting' }]])
    queue.latest('feeds', [{ state: 'open' }] as never)
    queue.latestSoon('feeds', [{ count: 3 }] as never)
    scheduler.tick()
    expect(feedPushes().at(-1)).toEqual([{ count: 3 }])
    expect(feedPushes()).toHaveLength(3)
  })
})
