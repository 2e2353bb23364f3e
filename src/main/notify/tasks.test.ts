import { describe, expect, it } from 'vitest'
import type { LoggedEvent } from '../../shared/ipc.ts'
import { TaskTracker } from './tasks.ts'

let seq = 0
function event(type: string, data: unknown, receivedAt: number, feedId = 'ci'): LoggedEvent {
  seq += 1
  return {
    feedId,
    type,
    data: typeof data === 'string' ? data : JSON.stringify(data),
    id: '',
    receivedAt,
    seq,
    notification: null,
  }
}

describe('TaskTracker', () => {
  it('follows a task from start to completion and measures its duration', () => {
    const tracker = new TaskTracker({ now: () => 0 })
    const started = tracker.observe(
      event('task.started', { taskId: 'b-42', task: 'Build #42', status: 'running' }, 1_000),
    )
    expect(started).toMatchObject({
      key: 'ci\u0000b-42',
      feedId: 'ci',
      taskId: 'b-42',
      title: 'Build #42',
      status: 'running',
      progress: null,
      startedAt: 1_000,
      endedAt: null,
      durationMs: null,
    })
    tracker.observe(event('task.progress', { taskId: 'b-42', progress: 0.5 }, 60_000))
    const done = tracker.observe(
      event('task.done', { taskId: 'b-42', status: 'done' }, 1_000 + 192_000),
    )
    expect(done).toMatchObject({
      title: 'Build #42',
      status: 'completed',
      progress: 1,
      endedAt: 193_000,
      durationMs: 192_000,
    })
    expect(tracker.list()).toEqual([done])
  })

  it('keeps what the latest event said, e.g. why the task failed, as plain bounded text', () => {
    const tracker = new TaskTracker()
    tracker.observe(event('deploy.started', { taskId: 'd1', message: 'rolling out' }, 1_000))
    expect(tracker.get('ci', 'd1')?.detail).toBe('rolling out')
    const failed = tracker.observe(
      event('deploy.failed', { taskId: 'd1', error: `health   check\n${'x'.repeat(900)}` }, 2_000),
    )
    expect(failed?.detail?.startsWith('health check x')).toBe(true)
    expect(failed?.detail?.length).toBeLessThanOrEqual(400)
    const quiet = tracker.observe(event('build.started', { taskId: 'b1' }, 3_000))
    expect(quiet?.detail).toBeNull()
  })

  it('has no duration when only the end was seen', () => {
    const tracker = new TaskTracker()
    const done = tracker.observe(event('build.failed', { job: 'Nightly' }, 5_000))
    expect(done).toMatchObject({
      taskId: 'Nightly',
      status: 'failed',
      startedAt: 5_000,
      endedAt: 5_000,
      durationMs: null,
    })
  })

  it('pairs typed lifecycle events without any data by their type prefix', () => {
    const tracker = new TaskTracker()
    tracker.observe(event('deploy.started', '', 10_000))
    const done = tracker.observe(event('deploy.succeeded', '', 70_000))
    expect(done).toMatchObject({
      taskId: 'deploy',
      title: 'Deploy',
      status: 'completed',
      durationMs: 60_000,
    })
  })

  it('keys tasks by feed, so equal task ids in two feeds stay apart', () => {
    const tracker = new TaskTracker({ now: () => 3 })
    tracker.observe(event('job.started', { id: 'x' }, 1, 'a'))
    tracker.observe(event('job.started', { id: 'x' }, 2, 'b'))
    tracker.observe(event('job.done', { id: 'x' }, 3, 'a'))
    expect(tracker.get('a', 'x')?.status).toBe('completed')
    expect(tracker.get('b', 'x')?.status).toBe('running')
    expect(tracker.runningCount()).toBe(1)
  })

  it('ignores events that are not about a task', () => {
    const tracker = new TaskTracker()
    expect(tracker.observe(event('news', { title: 'Hi', url: 'https://x.example/' }, 1))).toBeNull()
    expect(tracker.observe(event('message', 'hello', 1))).toBeNull()
    expect(tracker.observe(event('message', { id: 'n1', title: 'note' }, 1))).toBeNull()
    expect(tracker.list()).toEqual([])
  })

  it('a failure wins over a completion word', () => {
    const tracker = new TaskTracker()
    expect(
      tracker.observe(event('workflow.completed', { id: 'w', status: 'failure' }, 1))?.status,
    ).toBe('failed')
  })

  it('is idempotent per event, so the app and the center may both observe', () => {
    const tracker = new TaskTracker()
    const start = event('job.started', { id: 'j' }, 1_000)
    const end = event('job.done', { id: 'j' }, 4_000)
    tracker.observe(start)
    const first = tracker.observe(end)
    expect(tracker.observe(end)).toEqual(first)
    expect(tracker.observe(start)).toEqual(first)
    expect(first?.status).toBe('completed')
  })

  it('starts a new run when an ended task runs again', () => {
    const tracker = new TaskTracker()
    tracker.observe(event('job.started', { id: 'j' }, 1_000))
    tracker.observe(event('job.failed', { id: 'j' }, 2_000))
    const retry = tracker.observe(event('job.started', { id: 'j', progress: 0.1 }, 10_000))
    expect(retry).toMatchObject({ status: 'running', startedAt: 10_000, endedAt: null })
    const done = tracker.observe(event('job.done', { id: 'j' }, 15_000))
    expect(done?.durationMs).toBe(5_000)
  })

  it('aggregates progress over running tasks that report one', () => {
    const now = 100_000
    const tracker = new TaskTracker({ now: () => now })
    expect(tracker.runningProgress()).toBeNull()
    tracker.observe(event('task.progress', { id: 'a', progress: 0.2 }, now))
    tracker.observe(event('task.progress', { id: 'b', percent: 60 }, now))
    tracker.observe(event('task.started', { id: 'c' }, now))
    expect(tracker.runningCount()).toBe(3)
    expect(tracker.runningProgress()).toBeCloseTo(0.4, 10)
    tracker.observe(event('task.done', { id: 'b' }, now))
    expect(tracker.runningProgress()).toBeCloseTo(0.2, 10)
    tracker.observe(event('task.failed', { id: 'a' }, now))
    expect(tracker.runningProgress()).toBeNull()
    expect(tracker.runningCount()).toBe(1)
  })

  it('stops counting running tasks that went silent for too long', () => {
    let now = 0
    const tracker = new TaskTracker({ now: () => now, staleAfterMs: 60_000 })
    tracker.observe(event('task.progress', { id: 'a', progress: 0.5 }, 0))
    expect(tracker.runningProgress()).toBe(0.5)
    now = 60_001
    expect(tracker.runningProgress()).toBeNull()
    expect(tracker.runningCount()).toBe(0)
    expect(tracker.list()[0]?.status).toBe('running')
  })

  it('stays bounded, forgetting the least recently updated task', () => {
    const tracker = new TaskTracker({ maxTasks: 3 })
    for (const id of ['a', 'b', 'c']) tracker.observe(event('job.started', { id }, 1))
    tracker.observe(event('job.progress', { id: 'a', progress: 0.3 }, 2))
    tracker.observe(event('job.started', { id: 'd' }, 3))
    expect(tracker.list().map((task) => task.taskId)).toEqual(['d', 'a', 'c'])
    for (let i = 0; i < 2000; i++) tracker.observe(event('job.started', { id: `x${i}` }, 4))
    expect(tracker.list()).toHaveLength(3)
  })

  it('uses the feed mapping for task ids and titles', () => {
    const tracker = new TaskTracker({
      mapping: (feedId) =>
        feedId === 'gh' ? { taskId: 'run.key', title: 'run.label' } : undefined,
    })
    const task = tracker.observe(
      event('message', { run: { key: 'r1', label: 'CI' }, status: 'running' }, 1, 'gh'),
    )
    expect(task).toMatchObject({ taskId: 'r1', title: 'CI' })
  })

  it('forgets a removed feed and everything on dispose', () => {
    const tracker = new TaskTracker()
    tracker.observe(event('job.started', { id: 'x' }, 1, 'a'))
    tracker.observe(event('job.started', { id: 'x' }, 1, 'b'))
    tracker.forgetFeed('a')
    expect(tracker.list().map((task) => task.feedId)).toEqual(['b'])
    tracker.dispose()
    expect(tracker.list()).toEqual([])
  })

  it('returns copies that cannot change its state', () => {
    const tracker = new TaskTracker()
    const task = tracker.observe(event('job.started', { id: 'x' }, 1))
    if (task) task.status = 'failed'
    expect(tracker.list()[0]?.status).toBe('running')
  })

  it('leaves a token stream and its end to the stream (no "Completed" task)', () => {
    const tracker = new TaskTracker()
    let seq = 0
    const logged = (type: string, data: string) => ({
      feedId: 'f',
      type,
      data,
      id: '',
      receivedAt: 1000 + seq,
      seq: ++seq,
      notification: null,
    })
    expect(
      tracker.observe(logged('token', '{"stream":"s1","delta":"Hi","status":"running"}')),
    ).toBeNull()
    expect(tracker.observe(logged('done', '{"stream":"s1","done":true}'))).toBeNull()
    expect(tracker.list()).toEqual([])
    // A job's own done is still a task's end.
    expect(tracker.observe(logged('job.done', '{"taskId":"j1"}'))?.status).toBe('completed')
  })
})
