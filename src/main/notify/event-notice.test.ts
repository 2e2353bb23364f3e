import { describe, expect, it } from 'vitest'
import type { TaskView } from '../../shared/ipc.ts'
import type { NotificationDecision } from '../../shared/notification.ts'
import { eventNotice } from './event-notice.ts'

const event = { feedId: 'ci', seq: 42 }
const task = (overrides: Partial<TaskView> = {}): TaskView => ({
  key: 'ci\u0000b',
  feedId: 'ci',
  taskId: 'b',
  title: 'Build',
  status: 'completed',
  progress: 1,
  startedAt: 0,
  endedAt: 192_000,
  durationMs: 192_000,
  detail: null,
  lastSeq: 42,
  ...overrides,
})
const decision = (overrides: Partial<NotificationDecision> = {}): NotificationDecision => ({
  kind: 'task-completed',
  title: 'Build completed',
  body: 'Green',
  ...overrides,
})

describe('eventNotice', () => {
  it('keys the notice by the event and keeps its link and urgency', () => {
    expect(
      eventNotice(event, decision({ url: 'https://ci.example/42', urgency: 'critical' }), null),
    ).toEqual({
      key: 'event:ci:42',
      feedId: 'ci',
      kind: 'task-completed',
      title: 'Build completed',
      body: 'Green',
      url: 'https://ci.example/42',
      urgency: 'critical',
      eventSeq: 42,
    })
  })

  it('adds the duration to a title that ends in its verb, else to the body', () => {
    expect(eventNotice(event, decision(), task()).title).toBe('Build completed in 3 min 12 s')
    const failed = decision({ kind: 'task-failed', title: 'Deploy failed', body: 'x' })
    expect(eventNotice(event, failed, task({ status: 'failed' })).title).toBe(
      'Deploy failed after 3 min 12 s',
    )
    const noVerb = eventNotice(event, decision({ title: 'Report export' }), task())
    expect([noVerb.title, noVerb.body]).toEqual(['Report export', 'Took 3 min 12 s. Green'])
  })

  it('gives no duration unless this very event ended a task whose start was seen', () => {
    expect(eventNotice(event, decision(), task({ lastSeq: 41 })).title).toBe('Build completed')
    expect(eventNotice(event, decision(), task({ durationMs: null })).title).toBe('Build completed')
    expect(eventNotice(event, decision(), task({ endedAt: null })).title).toBe('Build completed')
    expect(eventNotice(event, decision({ kind: 'news' }), task()).title).toBe('Build completed')
  })

  it('keeps the title within bounds when the duration is added', () => {
    const long = decision({ title: `${'x'.repeat(110)} completed` })
    const title = eventNotice(event, long, task()).title
    expect(title.length).toBeLessThanOrEqual(120)
    expect(title.endsWith(' in 3 min 12 s')).toBe(true)
  })
})
