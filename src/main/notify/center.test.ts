import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FeedState } from '../../shared/feed.ts'
import type { LoggedEvent } from '../../shared/ipc.ts'
import { parseSettings } from '../../shared/settings.ts'
import { NotificationCenter, type NotifyPolicy } from './center.ts'
import { decide } from '../../shared/decide/decide.ts'
import { policyFromSettings } from './policy.ts'
import { TaskTracker } from './tasks.ts'
import type { OutgoingNotification } from './types.ts'

// Local wall-clock noon, so quiet-hour tests mean the same in every time zone.
const NOON = new Date(2026, 0, 5, 12, 0, 0).getTime()
const SECOND = 1000
const MINUTE = 60 * SECOND

function basePolicy(): NotifyPolicy {
  return {
    rateLimitPerMinute: 5,
    disconnectAlertMinutes: 10,
    quietHours: { enabled: false, start: '22:00', end: '07:00', failuresBreakThrough: true },
    pause: null,
    feeds: {
      ci: { name: 'Build server', snoozedUntil: null },
      news: { name: 'News', snoozedUntil: null },
    },
  }
}

function setup() {
  const shown: OutgoingNotification[] = []
  let policy = basePolicy()
  let seq = 0
  const center = new NotificationCenter({
    show: (notification) => shown.push(notification),
    now: () => Date.now(),
    policy: () => policy,
  })
  // The app's tracker, as the core runs it: each event is observed once, its task handed on.
  const tasks = new TaskTracker({ now: () => Date.now() })
  const deliver = (logged: LoggedEvent) => center.onEvent(logged, { task: tasks.observe(logged) })
  const event = (
    feedId: string,
    type: string,
    data: unknown = '',
    extra: Partial<LoggedEvent> = {},
  ): LoggedEvent => {
    const text = typeof data === 'string' ? data : JSON.stringify(data)
    seq += 1
    return {
      feedId,
      type,
      data: text,
      id: '',
      receivedAt: Date.now(),
      seq,
      notification: decide({ type, data: text }),
      ...extra,
    }
  }
  const emit = (...args: Parameters<typeof event>): LoggedEvent => {
    const logged = event(...args)
    deliver(logged)
    return logged
  }
  const state = (feedId: string, feedState: FeedState) =>
    center.onFeedState({ feedId, state: feedState, at: Date.now() })
  const setPolicy = (change: (policy: NotifyPolicy) => NotifyPolicy) => {
    policy = change(policy)
  }
  return { center, shown, event, emit, deliver, state, setPolicy, policy: () => policy }
}

const failed = (task: string, extra: object = {}) => ({ task, status: 'failed', ...extra })
const done = (task: string, extra: object = {}) => ({ task, status: 'done', ...extra })
const news = (title: string) => ({
  title,
  url: `https://news.example/${encodeURIComponent(title)}`,
})
const reconnecting = (reason = 'connection reset'): FeedState => ({
  kind: 'reconnecting',
  attempt: 1,
  delayMs: 1000,
  reason,
})

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(NOON)
})
afterEach(() => {
  vi.useRealTimers()
})

describe('NotificationCenter: plain delivery', () => {
  it('shows an event with a decision at once, and nothing for events without one', () => {
    const { emit, shown } = setup()
    emit('news', 'message', 'just text')
    emit('news', 'progress', { progress: 0.3 })
    expect(shown).toEqual([])
    const logged = emit('news', 'news', news('Rust 2.0'))
    expect(shown).toEqual([
      {
        key: `event:news:${logged.seq}`,
        feedId: 'news',
        kind: 'news',
        title: 'Rust 2.0',
        body: '',
        url: 'https://news.example/Rust%202.0',
        eventSeq: logged.seq,
      },
    ])
  })

  it('says how long a task took when its start was seen', () => {
    const { emit, shown } = setup()
    emit('ci', 'task.started', { taskId: 'b42', task: 'Build #42', status: 'running' })
    vi.advanceTimersByTime(3 * MINUTE + 12 * SECOND)
    emit('ci', 'task.done', { taskId: 'b42', task: 'Build #42', status: 'done', message: 'Green' })
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Build #42 completed in 3 min 12 s', body: 'Green' },
    ])
  })

  it('says how long a failed task ran, and puts the duration in the body when the title has no verb at its end', () => {
    const { emit, shown } = setup()
    emit('ci', 'deploy.started')
    vi.advanceTimersByTime(45 * SECOND)
    emit('ci', 'deploy.failed', { error: 'health check' })
    emit('ci', 'job.started', { id: 'j', title: 'Finished report export' })
    vi.advanceTimersByTime(2 * 60 * MINUTE + 5 * MINUTE)
    emit('ci', 'job.done', { id: 'j', title: 'Finished report export' })
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Deploy failed after 45 s', body: 'health check' },
      { title: 'Finished report export', body: 'Took 2 h 5 min.' },
    ])
  })

  it('gives no duration when only the end was seen', () => {
    const { emit, shown } = setup()
    emit('ci', 'task.done', done('Build #7'))
    expect(shown[0]?.title).toBe('Build #7 completed')
  })

  it("takes the task from the app's tracker and keeps none of its own", () => {
    const tasks = new TaskTracker({ now: () => Date.now() })
    const { center, event, shown } = setup()
    const start = event('ci', 'job.started', { id: 'x', name: 'Export' })
    center.onEvent(start, { task: tasks.observe(start) })
    vi.advanceTimersByTime(30 * SECOND)
    const end = event('ci', 'job.done', { id: 'x', name: 'Export' })
    center.onEvent(end, { task: tasks.observe(end) })
    // Told nothing about the task, the center gives no duration.
    const again = event('ci', 'job.done', { id: 'y', name: 'Import' })
    center.onEvent(again)
    expect(shown.map((n) => n.title)).toEqual(['Export completed in 30 s', 'Import completed'])
    center.dispose()
    expect(tasks.list()).toHaveLength(1)
  })

  it('keeps working when showing a notification throws', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    let calls = 0
    const center = new NotificationCenter({
      show: () => {
        calls += 1
        throw new Error('no notification server')
      },
      now: () => Date.now(),
      policy: basePolicy,
    })
    const base = { feedId: 'ci', type: 'build.failed', data: '', id: '', receivedAt: NOON }
    const decision = decide(base)
    expect(() => center.onEvent({ ...base, seq: 1, notification: decision })).not.toThrow()
    center.onEvent({ ...base, seq: 2, notification: decision })
    expect(calls).toBe(2)
    expect(errors).toHaveBeenCalledTimes(2)
    errors.mockRestore()
  })
})

describe('NotificationCenter: dedupe', () => {
  it('never notifies twice for the same event id and content', () => {
    const { emit, shown } = setup()
    emit('ci', 'build.failed', failed('A'), { id: '7' })
    emit('ci', 'build.failed', failed('A'), { id: '7' })
    emit('news', 'build.failed', failed('A'), { id: '7' })
    expect(shown.map((n) => n.feedId)).toEqual(['ci', 'news'])
  })

  it('tells apart events that share an inherited id but differ', () => {
    const { emit, shown } = setup()
    emit('ci', 'build.failed', failed('A'), { id: '7' })
    emit('ci', 'build.failed', failed('B'), { id: '7' })
    expect(shown.map((n) => n.title)).toEqual(['A failed', 'B failed'])
  })

  it('keys id-less events by seq', () => {
    const { deliver, event, shown } = setup()
    const once = event('ci', 'build.failed', failed('A'))
    deliver(once)
    deliver(once)
    deliver(event('ci', 'build.failed', failed('A')))
    expect(shown).toHaveLength(2)
  })
})

describe('NotificationCenter: flood control', () => {
  it('shows at most N a minute per feed and one summary when the minute ends', () => {
    const { emit, shown } = setup()
    for (let i = 1; i <= 10; i++) {
      emit('ci', 'build.done', done(`Build #${i}`))
      vi.advanceTimersByTime(SECOND)
    }
    const failure = emit('ci', 'build.failed', failed('Build #11'))
    emit('ci', 'build.done', done('Build #12'))
    expect(shown.map((n) => n.title)).toEqual([1, 2, 3, 4, 5].map((i) => `Build #${i} completed`))
    // Another feed has its own budget.
    emit('news', 'news', news('Unrelated'))
    expect(shown).toHaveLength(6)

    vi.advanceTimersByTime(MINUTE - 10 * SECOND - 1)
    expect(shown).toHaveLength(6)
    vi.advanceTimersByTime(1)
    expect(shown).toHaveLength(7)
    expect(shown[6]).toMatchObject({
      feedId: 'ci',
      kind: 'summary',
      title: '7 more from Build server',
      eventSeq: failure.seq,
    })
    // The failure is named first.
    expect(shown[6]?.body).toBe(
      '1 failed, 6 completed: Build #11 failed · Build #6 completed · Build #7 completed · and 4 more',
    )
    expect(shown[6]).not.toHaveProperty('url')
  })

  it('starts a fresh budget after the window', () => {
    const { emit, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, rateLimitPerMinute: 2 }))
    for (let i = 0; i < 3; i++) emit('ci', 'build.done', done(`A${i}`))
    vi.advanceTimersByTime(MINUTE)
    expect(shown.map((n) => n.kind)).toEqual(['task-completed', 'task-completed', 'summary'])
    expect(shown[2]?.title).toBe('1 more from Build server')
    for (let i = 0; i < 2; i++) emit('ci', 'build.done', done(`B${i}`))
    expect(shown).toHaveLength(5)
    vi.advanceTimersByTime(MINUTE)
    expect(shown).toHaveLength(5)
  })

  it('sends no summary when nothing was held back', () => {
    const { emit, shown } = setup()
    for (let i = 0; i < 5; i++) emit('ci', 'build.done', done(`A${i}`))
    vi.advanceTimersByTime(5 * MINUTE)
    expect(shown).toHaveLength(5)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('uses the feed id when the feed has no name', () => {
    const { emit, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, rateLimitPerMinute: 1 }))
    emit('unnamed', 'build.done', done('A'))
    emit('unnamed', 'build.done', done('B'))
    vi.advanceTimersByTime(MINUTE)
    expect(shown[1]?.title).toBe('1 more from unnamed')
  })
})

describe('NotificationCenter: catch-up after a (re)connect', () => {
  it("notifies a fresh connection's first burst as itself: nothing was missed", () => {
    const { emit, center, shown } = setup()
    center.onFeedState({ feedId: 'ci', state: { kind: 'open' }, at: Date.now() }, false)
    emit('ci', 'build.done', done('Step 1'))
    emit('ci', 'build.done', done('Step 2'))
    emit('ci', 'build.failed', failed('Step 3'))
    expect(shown.map((n) => n.kind)).toEqual(['task-completed', 'task-completed', 'task-failed'])
    vi.advanceTimersByTime(1500)
    expect(shown).toHaveLength(3)
  })

  it('turns a replayed burst into one summary naming the failures first', () => {
    const { emit, state, shown } = setup()
    state('ci', { kind: 'connecting' })
    state('ci', { kind: 'open' })
    emit('ci', 'build.done', done('Build #1'))
    emit('ci', 'news', news('Release notes'))
    const failure = emit('ci', 'build.failed', failed('Build #2'))
    emit('ci', 'build.progress', { progress: 0.5 })
    emit('ci', 'build.done', done('Build #3'))
    expect(shown).toEqual([])
    vi.advanceTimersByTime(1500)
    expect(shown).toHaveLength(1)
    expect(shown[0]).toMatchObject({
      feedId: 'ci',
      kind: 'catch-up',
      title: '4 missed while disconnected from Build server',
      body: '1 failed, 2 completed, 1 news: Build #2 failed · Build #1 completed · Build #3 completed · and 1 more',
      eventSeq: failure.seq,
    })
    // Live events after the window notify one by one.
    emit('ci', 'build.done', done('Build #4'))
    expect(shown.at(-1)?.title).toBe('Build #4 completed')
  })

  it('lets a single event in the window notify normally', () => {
    const { emit, state, shown } = setup()
    state('ci', { kind: 'open' })
    const logged = emit('ci', 'build.failed', failed('Only one'))
    emit('ci', 'ping', '')
    expect(shown).toEqual([])
    vi.advanceTimersByTime(1500)
    expect(shown).toEqual([
      expect.objectContaining({ key: `event:ci:${logged.seq}`, kind: 'task-failed' }),
    ])
  })

  it('keeps the window open while events arrive back to back, up to a limit', () => {
    const { emit, state, shown } = setup()
    state('ci', { kind: 'open' })
    for (let i = 0; i < 8; i++) {
      vi.advanceTimersByTime(400)
      emit('ci', 'build.done', done(`Build #${i}`))
    }
    // 3.2 s after the open: the window followed the events.
    expect(shown).toEqual([])
    vi.advanceTimersByTime(500)
    expect(shown.map((n) => n.title)).toEqual(['8 missed while disconnected from Build server'])

    state('ci', reconnecting())
    state('ci', { kind: 'open' })
    shown.length = 0
    for (let i = 0; i < 40; i++) {
      emit('ci', 'news', news(`Story ${i}`))
      vi.advanceTimersByTime(300)
    }
    // Never longer than 10 s: events after that are live, within the flood budget the two
    // summaries share with them (5 a minute).
    expect(shown[0]?.title).toBe('34 missed while disconnected from Build server')
    expect(shown.slice(1).map((n) => n.kind)).toEqual(['news', 'news', 'news'])
  })

  it('closes the window after a quiet gap, so later events are live', () => {
    const { emit, state, shown } = setup()
    state('ci', { kind: 'open' })
    emit('ci', 'build.done', done('A'))
    emit('ci', 'build.done', done('B'))
    vi.advanceTimersByTime(1600)
    emit('ci', 'build.done', done('C'))
    expect(shown.map((n) => n.title)).toEqual([
      '2 missed while disconnected from Build server',
      'C completed',
    ])
  })

  it('does not count events replayed after a reconnect that were already shown', () => {
    const { emit, state, shown } = setup()
    state('ci', { kind: 'open' })
    vi.advanceTimersByTime(2000)
    emit('ci', 'build.done', done('A'), { id: '1' })
    emit('ci', 'build.done', done('B'), { id: '2' })
    state('ci', reconnecting())
    state('ci', { kind: 'connecting' })
    state('ci', { kind: 'open' })
    emit('ci', 'build.done', done('A'), { id: '1' })
    emit('ci', 'build.done', done('B'), { id: '2' })
    emit('ci', 'build.failed', failed('C'), { id: '3' })
    emit('ci', 'build.done', done('D'), { id: '4' })
    vi.advanceTimersByTime(1500)
    expect(shown.map((n) => n.title)).toEqual([
      'A completed',
      'B completed',
      '2 missed while disconnected from Build server',
    ])
  })

  it('counts a catch-up summary as one notification in the flood budget', () => {
    const { emit, state, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, rateLimitPerMinute: 2 }))
    state('ci', { kind: 'open' })
    for (let i = 0; i < 6; i++) emit('ci', 'build.done', done(`R${i}`))
    vi.advanceTimersByTime(1500)
    emit('ci', 'build.done', done('Live 1'))
    emit('ci', 'build.done', done('Live 2'))
    emit('ci', 'build.done', done('Live 3'))
    expect(shown.map((n) => n.title)).toEqual([
      '6 missed while disconnected from Build server',
      'Live 1 completed',
    ])
    vi.advanceTimersByTime(MINUTE)
    expect(shown.at(-1)?.title).toBe('2 more from Build server')
  })

  it('flushes the window when the connection drops during it', () => {
    const { emit, state, shown } = setup()
    state('ci', { kind: 'open' })
    emit('ci', 'build.done', done('A'))
    emit('ci', 'build.done', done('B'))
    state('ci', reconnecting())
    expect(shown.map((n) => n.kind)).toEqual(['catch-up'])
  })

  it('ignores a repeated open report', () => {
    const { emit, state, shown } = setup()
    state('ci', { kind: 'open' })
    vi.advanceTimersByTime(1000)
    emit('ci', 'build.done', done('A'))
    emit('ci', 'build.done', done('B'))
    vi.advanceTimersByTime(400)
    state('ci', { kind: 'open' })
    expect(shown).toEqual([])
    vi.advanceTimersByTime(100)
    expect(shown.map((n) => n.kind)).toEqual(['catch-up'])
  })

  it('applies to start-up too: the first open of a feed', () => {
    const { emit, state, shown } = setup()
    state('news', { kind: 'stopped', reason: 'not started' })
    state('news', { kind: 'connecting' })
    state('news', { kind: 'open' })
    for (let i = 0; i < 3; i++) emit('news', 'news', news(`Story ${i}`))
    vi.advanceTimersByTime(1500)
    expect(shown.map((n) => n.title)).toEqual(['3 missed while disconnected from News'])
  })
})

describe('NotificationCenter: quiet hours', () => {
  const night = { enabled: true, start: '22:00', end: '07:00', failuresBreakThrough: true }

  it('holds notifications during quiet hours (wrapping midnight) and shows one digest after', () => {
    const { emit, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, quietHours: night }))
    vi.setSystemTime(new Date(2026, 0, 5, 21, 59, 30))
    emit('ci', 'build.done', done('Before'))
    expect(shown.map((n) => n.title)).toEqual(['Before completed'])
    vi.advanceTimersByTime(30 * SECOND) // 22:00
    emit('ci', 'build.done', done('Night 1'))
    vi.advanceTimersByTime(3 * 60 * MINUTE) // 01:00, past midnight
    emit('news', 'news', news('Night news'))
    emit('ci', 'build.done', done('Night 2'))
    expect(shown).toHaveLength(1)
    vi.advanceTimersByTime(6 * 60 * MINUTE - SECOND) // 06:59:59
    expect(shown).toHaveLength(1)
    vi.advanceTimersByTime(SECOND) // 07:00
    expect(shown).toHaveLength(2)
    expect(shown[1]).toMatchObject({
      feedId: null,
      kind: 'digest',
      title: '3 notifications during quiet hours',
      body: 'Build server 2, News 1. Night 1 completed · Night 2 completed · Night news',
    })
    expect(shown[1]?.eventSeq).toBeTypeOf('number')
    emit('ci', 'build.done', done('Morning'))
    expect(shown.at(-1)?.title).toBe('Morning completed')
  })

  it('lets task failures break through as urgent when allowed', () => {
    const { emit, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, quietHours: night }))
    vi.setSystemTime(new Date(2026, 0, 5, 23, 0))
    emit('ci', 'build.done', done('Held'))
    emit('ci', 'build.failed', failed('Broken'))
    expect(shown).toEqual([expect.objectContaining({ title: 'Broken failed', urgent: true })])
    vi.advanceTimersByTime(8 * 60 * MINUTE) // 07:00
    expect(shown.map((n) => n.title)).toEqual(['Broken failed', 'Held completed'])
  })

  it('holds failures too when they may not break through', () => {
    const { emit, shown, setPolicy } = setup()
    setPolicy((policy) => ({
      ...policy,
      quietHours: { ...night, failuresBreakThrough: false },
    }))
    vi.setSystemTime(new Date(2026, 0, 5, 23, 0))
    emit('ci', 'build.failed', failed('Broken'))
    emit('ci', 'build.failed', failed('Also broken'))
    expect(shown).toEqual([])
    vi.advanceTimersByTime(8 * 60 * MINUTE) // 07:00
    expect(shown.map((n) => [n.kind, n.title, n.urgent])).toEqual([
      ['digest', '2 notifications during quiet hours', undefined],
    ])
  })

  it('releases the digest when quiet hours are switched off', () => {
    const { center, emit, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, quietHours: { ...night, start: '11:00', end: '13:00' } }))
    emit('ci', 'build.done', done('A'))
    emit('ci', 'build.done', done('B'))
    center.policyChanged()
    expect(shown).toEqual([])
    setPolicy((policy) => ({ ...policy, quietHours: { ...policy.quietHours, enabled: false } }))
    center.policyChanged()
    expect(shown.map((n) => n.title)).toEqual(['2 notifications during quiet hours'])
    center.policyChanged()
    vi.advanceTimersByTime(24 * 60 * MINUTE)
    expect(shown).toHaveLength(1)
  })
})

describe('NotificationCenter: pause', () => {
  it('holds everything until the pause ends, then shows one digest', () => {
    const { emit, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, pause: { until: NOON + 30 * MINUTE } }))
    for (let i = 0; i < 12; i++) emit('ci', 'build.done', done(`B${i}`))
    emit('ci', 'build.failed', failed('Broken'))
    expect(shown.map((n) => n.title)).toEqual(['Broken failed'])
    expect(shown[0]?.urgent).toBe(true)
    vi.advanceTimersByTime(30 * MINUTE - 1)
    expect(shown).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(shown[1]).toMatchObject({
      kind: 'digest',
      title: '12 notifications while paused',
      body: 'Build server 12. B0 completed · B1 completed · B2 completed · and 9 more',
    })
  })

  it('holds until resumed, released by policyChanged()', () => {
    const { center, emit, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, pause: { until: null } }))
    emit('ci', 'build.done', done('A'))
    emit('news', 'news', news('B'))
    vi.advanceTimersByTime(24 * 60 * MINUTE)
    center.policyChanged()
    expect(shown).toEqual([])
    setPolicy((policy) => ({ ...policy, pause: null }))
    center.policyChanged()
    expect(shown.map((n) => n.title)).toEqual(['2 notifications while paused'])
  })

  it('shows a single held notification as itself', () => {
    const { center, emit, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, pause: { until: null } }))
    const logged = emit('news', 'news', news('Only'))
    setPolicy((policy) => ({ ...policy, pause: null }))
    center.policyChanged()
    expect(shown).toEqual([
      expect.objectContaining({ key: `event:news:${logged.seq}`, kind: 'news', title: 'Only' }),
    ])
  })

  it('holds a flood summary that comes due during a pause into the digest', () => {
    const { center, emit, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, rateLimitPerMinute: 1 }))
    for (let i = 0; i < 4; i++) emit('ci', 'build.done', done(`B${i}`))
    setPolicy((policy) => ({ ...policy, pause: { until: null } }))
    vi.advanceTimersByTime(MINUTE)
    expect(shown).toHaveLength(1)
    setPolicy((policy) => ({ ...policy, pause: null }))
    center.policyChanged()
    expect(shown.map((n) => n.title)).toEqual(['B0 completed', '3 notifications while paused'])
  })
})

describe('NotificationCenter: snooze', () => {
  it('shows nothing from a snoozed feed until the snooze ends', () => {
    const { emit, shown, setPolicy } = setup()
    setPolicy((policy) => ({
      ...policy,
      feeds: { ...policy.feeds, ci: { name: 'Build server', snoozedUntil: NOON + 10 * MINUTE } },
    }))
    emit('ci', 'build.failed', failed('Snoozed'))
    emit('news', 'news', news('Other feed'))
    expect(shown.map((n) => n.title)).toEqual(['Other feed'])
    vi.advanceTimersByTime(10 * MINUTE)
    emit('ci', 'build.failed', failed('After'))
    expect(shown.map((n) => n.title)).toEqual(['Other feed', 'After failed'])
  })
})

describe('NotificationCenter: disconnect alerts', () => {
  it('raises one feed-down after N minutes and one feed-up on recovery', () => {
    const { state, shown } = setup()
    state('ci', { kind: 'open' })
    vi.advanceTimersByTime(MINUTE)
    state('ci', reconnecting('ECONNREFUSED 127.0.0.1:9'))
    vi.advanceTimersByTime(5 * MINUTE)
    state('ci', { kind: 'connecting' })
    state('ci', reconnecting('ECONNREFUSED 127.0.0.1:9'))
    vi.advanceTimersByTime(5 * MINUTE - 1)
    expect(shown).toEqual([])
    vi.advanceTimersByTime(1)
    expect(shown).toEqual([
      expect.objectContaining({
        feedId: 'ci',
        kind: 'feed-down',
        title: 'Build server is disconnected',
        body: 'No connection for 10 min. Last error: ECONNREFUSED 127.0.0.1:9.',
      }),
    ])
    vi.advanceTimersByTime(60 * MINUTE)
    state('ci', reconnecting())
    expect(shown).toHaveLength(1)
    vi.advanceTimersByTime(2 * MINUTE)
    state('ci', { kind: 'open' })
    expect(shown[1]).toMatchObject({
      kind: 'feed-up',
      title: 'Build server is back',
      body: 'Reconnected after 1 h 12 min.',
    })
  })

  it('says nothing when the feed recovers in time', () => {
    const { state, shown } = setup()
    state('ci', { kind: 'open' })
    state('ci', reconnecting())
    vi.advanceTimersByTime(9 * MINUTE)
    state('ci', { kind: 'open' })
    vi.advanceTimersByTime(60 * MINUTE)
    expect(shown).toEqual([])
  })

  it('counts from start-up for a feed that never opened', () => {
    const { state, shown } = setup()
    state('ci', { kind: 'connecting' })
    vi.advanceTimersByTime(10 * MINUTE)
    expect(shown.map((n) => [n.kind, n.body])).toEqual([['feed-down', 'No connection for 10 min.']])
  })

  it('keeps the N-minute rule for a failed feed and gives the reason', () => {
    const { state, shown } = setup()
    state('ci', { kind: 'open' })
    state('ci', { kind: 'failed', reason: 'Unauthorized', status: 401 })
    vi.advanceTimersByTime(10 * MINUTE - 1)
    expect(shown).toEqual([])
    vi.advanceTimersByTime(1)
    expect(shown[0]?.body).toBe('No connection for 10 min. Gave up: Unauthorized (HTTP 401).')
  })

  it('never alerts with 0 minutes, and follows a changed setting', () => {
    const { center, state, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, disconnectAlertMinutes: 0 }))
    state('ci', { kind: 'open' })
    state('ci', reconnecting())
    vi.advanceTimersByTime(24 * 60 * MINUTE)
    expect(shown).toEqual([])
    setPolicy((policy) => ({ ...policy, disconnectAlertMinutes: 2 }))
    center.policyChanged()
    expect(shown.map((n) => n.kind)).toEqual(['feed-down'])
  })

  it('does not alert for feeds stopped on purpose', () => {
    const { state, shown } = setup()
    state('ci', { kind: 'open' })
    state('ci', reconnecting())
    state('ci', { kind: 'stopped', reason: 'disabled' })
    vi.advanceTimersByTime(60 * MINUTE)
    expect(shown).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('waits for a snooze to end before alerting', () => {
    const { state, shown, setPolicy } = setup()
    setPolicy((policy) => ({
      ...policy,
      feeds: { ...policy.feeds, ci: { name: 'Build server', snoozedUntil: NOON + 30 * MINUTE } },
    }))
    state('ci', reconnecting())
    vi.advanceTimersByTime(30 * MINUTE - 1)
    expect(shown).toEqual([])
    vi.advanceTimersByTime(1)
    expect(shown[0]?.body).toBe('No connection for 30 min. Last error: connection reset.')
  })

  it('during quiet hours: tells a feed still down in the digest, forgets one that recovered', () => {
    const night = { enabled: true, start: '22:00', end: '07:00', failuresBreakThrough: true }
    const { state, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, quietHours: night }))
    vi.setSystemTime(new Date(2026, 0, 5, 23, 0))
    state('ci', reconnecting())
    state('news', reconnecting())
    vi.advanceTimersByTime(20 * MINUTE)
    state('news', { kind: 'open' })
    vi.advanceTimersByTime(8 * 60 * MINUTE - 20 * MINUTE) // 07:00
    expect(shown).toEqual([
      expect.objectContaining({
        kind: 'feed-down',
        title: 'Build server is disconnected',
        body: 'No connection for 8 h. Last error: connection reset.',
      }),
    ])
    state('ci', { kind: 'open' })
    expect(shown.at(-1)?.kind).toBe('feed-up')
  })
})

describe('NotificationCenter: one-shot feeds that finish', () => {
  it('says the feed finished, how long it ran and how many events it delivered', () => {
    const { emit, state, shown } = setup()
    state('ci', { kind: 'connecting' })
    state('ci', { kind: 'open' })
    emit('ci', 'log', 'compiling')
    emit('ci', 'log', 'linking')
    vi.advanceTimersByTime(30 * SECOND)
    state('ci', reconnecting())
    state('ci', { kind: 'open' })
    emit('ci', 'log', 'done?')
    vi.advanceTimersByTime(2 * MINUTE + 42 * SECOND)
    state('ci', { kind: 'stopped', reason: 'finished' })
    expect(shown).toEqual([
      expect.objectContaining({
        feedId: 'ci',
        kind: 'finished',
        title: 'Build server finished',
        body: 'Ran 3 min 12 s. 3 events delivered.',
      }),
    ])
  })

  it("gives the last event's title when it had one", () => {
    const { emit, state, shown } = setup()
    state('ci', { kind: 'open' })
    emit('ci', 'progress', { title: 'Export', progress: 0.2 })
    emit('ci', 'progress', { title: 'Export 2/2', progress: 1 })
    vi.advanceTimersByTime(5 * SECOND)
    state('ci', { kind: 'stopped', reason: 'finished' })
    expect(shown.at(-1)?.body).toBe('Ran 5 s. Last: Export 2/2')
  })

  it('says nothing more when an event of the run already said the task ended', () => {
    const { emit, state, shown } = setup()
    state('ci', { kind: 'open' })
    vi.advanceTimersByTime(5 * SECOND)
    emit('ci', 'build.failed', failed('Build'))
    state('ci', { kind: 'stopped', reason: 'finished' })
    expect(shown.map((n) => n.kind)).toEqual(['task-failed'])

    // The next run starts afresh.
    state('ci', { kind: 'open' })
    vi.advanceTimersByTime(5 * SECOND)
    state('ci', { kind: 'stopped', reason: 'finished' })
    expect(shown.map((n) => [n.kind, n.body])).toEqual([
      ['task-failed', ''],
      ['finished', 'Ran 5 s. 0 events delivered.'],
    ])
  })

  it('only for the reason exactly "finished"', () => {
    const { state, shown } = setup()
    for (const reason of ['disabled', 'Finished', 'finished early', 'no content']) {
      state('ci', { kind: 'open' })
      state('ci', { kind: 'stopped', reason })
    }
    vi.advanceTimersByTime(5 * SECOND)
    expect(shown).toEqual([])
  })
})

describe('NotificationCenter: lifecycle', () => {
  it('dispose() clears every timer and ignores later calls', () => {
    const { center, emit, state, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, rateLimitPerMinute: 1 }))
    emit('ci', 'build.done', done('A'))
    emit('ci', 'build.done', done('B'))
    state('news', { kind: 'open' })
    emit('news', 'news', news('N'))
    state('other', reconnecting())
    setPolicy((policy) => ({ ...policy, pause: { until: null } }))
    emit('news', 'news', news('held'))
    expect(vi.getTimerCount()).toBeGreaterThan(0)
    center.dispose()
    expect(vi.getTimerCount()).toBe(0)
    emit('ci', 'build.done', done('C'))
    state('ci', reconnecting())
    center.policyChanged()
    vi.advanceTimersByTime(24 * 60 * MINUTE)
    expect(shown.map((n) => n.title)).toEqual(['A completed'])
  })

  it('forgetFeed() drops a removed feed with its pending summaries', () => {
    const { center, emit, state, shown, setPolicy } = setup()
    setPolicy((policy) => ({ ...policy, rateLimitPerMinute: 1 }))
    emit('ci', 'build.done', done('A'))
    emit('ci', 'build.done', done('B'))
    state('ci', reconnecting())
    center.forgetFeed('ci')
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(60 * MINUTE)
    expect(shown).toHaveLength(1)
  })

  it('keeps its memory bounded with many events', () => {
    const { center, event, shown } = setup()
    const base: LoggedEvent = event('ci', 'message', 'x')
    for (let i = 0; i < 30_000; i++) center.onEvent({ ...base, seq: i, data: `log ${i}` })
    expect(shown).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('policyFromSettings', () => {
  it('derives the policy from the settings', () => {
    const parsed = parseSettings({
      feeds: [
        { id: 'ci', name: 'Build server', url: 'https://ci.example/events', snoozedUntil: 123 },
        { id: 'news', name: 'News', url: 'https://news.example/sse' },
      ],
      rateLimitPerMinute: 8,
      pause: { until: null },
    })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
    expect(policyFromSettings(parsed.value)).toEqual({
      rateLimitPerMinute: 8,
      disconnectAlertMinutes: 10,
      quietHours: { enabled: false, start: '22:00', end: '07:00', failuresBreakThrough: true },
      pause: { until: null },
      feeds: {
        ci: { name: 'Build server', snoozedUntil: 123 },
        news: { name: 'News', snoozedUntil: null },
      },
    })
  })
})
