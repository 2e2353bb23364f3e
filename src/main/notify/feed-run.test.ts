import { afterEach, describe, expect, it, vi } from 'vitest'
import { decide } from '../../shared/decide/decide.ts'
import { EventReading } from '../../shared/decide/reading.ts'
import type { FieldMapping } from '../../shared/settings.ts'
import { FeedRun } from './feed-run.ts'
import type { CenterContext, NotifyPolicy, OutgoingNotification } from './types.ts'

afterEach(() => vi.restoreAllMocks())

function setup(options: { snoozed?: boolean; mapping?: FieldMapping } = {}) {
  const shown: OutgoingNotification[] = []
  const context: CenterContext = {
    now: () => 0,
    policy: () => ({}) as NotifyPolicy,
    key: (kind, feedId) => `${kind}:${feedId}`,
    name: () => 'Export',
    snoozedUntil: () => (options.snoozed ? 1 : null),
    show: () => {
      throw new Error('a finished notice waits while notifications are held')
    },
  }
  const run = new FeedRun(
    'job',
    context,
    { showUnlessHeld: (n) => shown.push(n) },
    () => options.mapping,
  )
  const event = (type: string, data: string) => {
    run.onEvent(decide({ type, data }), new EventReading(data))
  }
  return { run, shown, event }
}

describe('FeedRun', () => {
  it('says how long it ran and how many events it delivered', () => {
    const { run, shown, event } = setup()
    run.opened(1000)
    run.opened(5000) // a reconnect within the run
    event('log', 'compiling')
    event('log', 'linking')
    run.finished(1000 + 192_000)
    expect(shown).toEqual([
      {
        key: 'finished:job',
        feedId: 'job',
        kind: 'finished',
        title: 'Export finished',
        body: 'Ran 3 min 12 s. 2 events delivered.',
      },
    ])
  })

  it("gives the last event's title, read from its data only when the run finishes", () => {
    const parse = vi.spyOn(JSON, 'parse')
    const { run, shown, event } = setup({ mapping: { title: 'step.name' } })
    run.opened(0)
    for (let i = 1; i <= 100; i++) event('progress', `{"step":{"name":"Part ${i}/100"}}`)
    expect(parse).not.toHaveBeenCalled()
    run.finished(5000)
    expect(parse).toHaveBeenCalledTimes(1)
    expect(shown[0]?.body).toBe('Ran 5 s. Last: Part 100/100')
  })

  it('says nothing when an event already told how the task ended, or the feed is snoozed', () => {
    const told = setup()
    told.event('build.failed', '{"task":"Build"}')
    told.event('log', 'cleaning up')
    told.run.finished(0)
    const snoozed = setup({ snoozed: true })
    snoozed.run.finished(0)
    expect([...told.shown, ...snoozed.shown]).toEqual([])
  })

  it('starts afresh after reset()', () => {
    const { run, shown, event } = setup()
    run.opened(0)
    event('build.failed', '{"task":"Build"}')
    run.reset()
    run.finished(0)
    expect(shown.map((n) => n.body)).toEqual(['0 events delivered.'])
  })
})
