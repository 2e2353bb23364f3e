// From SSE bytes on a loopback server to native notifications, through the real engine, the
// notification policy and the Electron layer (only 'electron' itself is fake).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fake, FakeNotification } from '../setup/electron.ts'
import {
  feedSettings,
  startApp,
  waitForEvent,
  waitForNotification,
  waitForPush,
  type AppOptions,
  type Harness,
} from './support/app-harness.ts'
import { startSseServer, type SseServer } from './support/sse-server.ts'
import { eventually } from '../support/eventually.ts'

let harness: Harness | null = null
let server: SseServer | null = null

beforeEach(() => fake.reset())
afterEach(async () => {
  await harness?.stop()
  await server?.close()
  harness = null
  server = null
})

async function appWithFeed(extra: Record<string, unknown> = {}, options: AppOptions = {}) {
  server ??= await startSseServer()
  harness = await startApp({
    settings: feedSettings([{ id: 'build', name: 'Build server', url: server.url }], extra),
    ...options,
  })
  await server.waitForStreams(1)
  await harness.connect()
  return { app: harness, sse: server }
}

const frame = (id: number, type: string, data: object) =>
  `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`

function news(id: number, title = `Story ${id}`) {
  return frame(id, 'news', { title, url: `https://news.example.com/${id}` })
}

describe('notifications', () => {
  it('notifies a task completion with its duration, and shows progress on the taskbar meanwhile', async () => {
    const { app, sse } = await appWithFeed()
    sse.send(frame(1, 'task.started', { taskId: 'b1', title: 'Build #1' }))
    sse.send(frame(2, 'task.progress', { taskId: 'b1', title: 'Build #1', progress: 0.4 }))
    await waitForPush(app.contents(), 'tasks', (tasks) => tasks[0]?.progress === 0.4)
    await eventually(() => expect(app.window().progress.at(-1)?.progress).toBe(0.4))

    sse.send(frame(3, 'task.completed', { taskId: 'b1', title: 'Build #1' }))
    const shown = await waitForNotification((n) => n.title.startsWith('Build #1'))
    // "in …" is only said when the start was seen.
    expect(shown.title).toMatch(/^Build #1 completed in /)
    expect(shown.options['urgency']).toBe('normal')
    await eventually(() => expect(app.window().progress.at(-1)?.progress).toBe(-1))
    expect(FakeNotification.shownOnes()).toHaveLength(1)
  })

  it('notifies a task failure', async () => {
    const { sse } = await appWithFeed()
    sse.send(frame(1, 'job.failed', { jobId: 'j9', title: 'Deploy', error: 'exit 1' }))
    const shown = await waitForNotification()
    expect(shown.title).toMatch(/Deploy failed/)
    expect(shown.body).toContain('exit 1')
  })

  it('opens a news link in the browser on click, and the log at the event otherwise', async () => {
    const { app, sse } = await appWithFeed()
    sse.send(news(1, 'Launch day'))
    const story = await waitForNotification((n) => n.title === 'Launch day')
    story.click()
    expect(fake.shell.opened).toEqual(['https://news.example.com/1'])
    expect(app.window().isVisible()).toBe(false)

    sse.send(frame(2, 'task.completed', { taskId: 't', title: 'Backup' }))
    const done = await waitForNotification((n) => n.title.startsWith('Backup'))
    const event = await waitForEvent(app.contents(), (e) => e.id === '2')
    done.click()
    expect(app.window().isVisible()).toBe(true)
    expect(await waitForPush(app.contents(), 'focus-event')).toBe(event.seq)
    expect(fake.shell.opened).toHaveLength(1)
  })

  it('keeps a reference to each notification until it closes, and gives up on a show that never fires', async () => {
    const { app, sse } = await appWithFeed()
    sse.send(news(1))
    const first = await waitForNotification()
    expect(app.running.notifier.tracked).toBe(1)
    first.close()
    expect(app.running.notifier.tracked).toBe(0)

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      FakeNotification.autoShow = false
      app.running.notifier.show({
        key: 'k',
        feedId: null,
        kind: 'message',
        title: 'Lost',
        body: '',
      })
      expect(app.running.notifier.tracked).toBe(1)
      vi.advanceTimersByTime(10_000)
      expect(app.running.notifier.tracked).toBe(0)
      expect(app.running.notifier.unconfirmed).toBe(1)
      expect(app.logs.join('\n')).toMatch(/"Lost" was never shown/)
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps a Windows toast that timed out into the Action Center, so a click there still opens it', async () => {
    const { app, sse } = await appWithFeed({}, { platform: 'win32' })
    sse.send(news(1, 'Late reader'))
    const toast = await waitForNotification((n) => n.title === 'Late reader')
    // Electron: `close` with reason 'timedOut'; the toast now sits in the Action Center.
    toast.timeOut()
    expect(app.running.notifier.tracked).toBe(1)
    expect(toast.listenerCount('click')).toBe(1)
    toast.click()
    expect(fake.shell.opened).toEqual(['https://news.example.com/1'])
    expect(app.running.notifier.tracked).toBe(0)

    // Closed by the user (or by us): nothing more can come of it, so it is let go.
    sse.send(news(2, 'Dismissed'))
    const dismissed = await waitForNotification((n) => n.title === 'Dismissed')
    dismissed.close()
    expect(app.running.notifier.tracked).toBe(0)
  })

  it('tells the window when notifications are refused or never shown, and when they work again', async () => {
    const { app, sse } = await appWithFeed({}, { platform: 'darwin' })
    expect(await app.invoke('notifications:health')).toEqual({
      status: 'unknown',
      detail: null,
      since: null,
      platform: 'darwin',
    })
    // macOS refuses an unsigned app's notifications with a `failed` event.
    FakeNotification.autoShow = false
    sse.send(news(1, 'Refused'))
    const refused = await waitForNotification((n) => n.title === 'Refused')
    refused.fail('Notifications are not allowed for this application')
    const failed = await waitForPush(
      app.contents(),
      'notification-health',
      (h) => h.status === 'failed',
    )
    expect(failed).toMatchObject({
      detail: 'Notifications are not allowed for this application',
      platform: 'darwin',
    })
    expect(app.running.notifier.tracked).toBe(0)

    FakeNotification.autoShow = true
    sse.send(news(2, 'Allowed now'))
    await waitForPush(app.contents(), 'notification-health', (h) => h.status === 'ok')
    expect(await app.invoke('notifications:health')).toMatchObject({ status: 'ok', detail: null })
  })

  it('sends a test notification from Settings even while paused, and reports a show that never fires', async () => {
    const { app } = await appWithFeed({ pause: { until: null } })
    const ok = await app.invoke('notifications:test')
    expect(ok).toMatchObject({ status: 'ok', platform: 'linux' })
    expect(FakeNotification.shownOnes().map((n) => n.title)).toEqual(['Tidings test notification'])

    // No notification daemon answers: after the wait, the test says so.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      FakeNotification.autoShow = false
      const pending = app.invoke('notifications:test')
      await vi.waitFor(() => expect(FakeNotification.shownOnes()).toHaveLength(2))
      vi.advanceTimersByTime(10_000)
      expect(await pending).toMatchObject({ status: 'unconfirmed' })
    } finally {
      vi.useRealTimers()
    }
  })

  it('says so where the system shows no notifications at all', async () => {
    const { app } = await appWithFeed()
    FakeNotification.supported = false
    expect(await app.invoke('notifications:test')).toMatchObject({ status: 'unsupported' })
    expect(FakeNotification.instances).toHaveLength(0)
  })

  it('floods into one summary per feed beyond the rate limit', async () => {
    const { app, sse } = await appWithFeed(
      { rateLimitPerMinute: 5 },
      {
        centerTiming: { catchUpWindowMs: 0, catchUpGapMs: 0, catchUpMaxMs: 0, floodWindowMs: 400 },
      },
    )
    for (let id = 1; id <= 17; id++) sse.send(news(id))
    await waitForEvent(app.contents(), (e) => e.id === '17')
    expect(FakeNotification.shownOnes().map((n) => n.title)).toEqual([
      'Story 1',
      'Story 2',
      'Story 3',
      'Story 4',
      'Story 5',
    ])
    const summary = await waitForNotification((n) => n.title.includes('more from'))
    expect(summary.title).toBe('12 more from Build server')
    expect(FakeNotification.shownOnes()).toHaveLength(6)
  })

  it('tells what was replayed at start-up as one catch-up summary, never a storm', async () => {
    server = await startSseServer()
    // The server replays what the client missed as soon as the stream opens.
    server.greeting = Array.from({ length: 8 }, (_, i) => news(i + 1)).join('')
    await appWithFeed(
      {},
      { centerTiming: { catchUpWindowMs: 200, catchUpGapMs: 100, catchUpMaxMs: 2000 } },
    )
    const summary = await waitForNotification()
    expect(summary.title).toBe('8 missed while disconnected from Build server')
    expect(FakeNotification.shownOnes()).toHaveLength(1)
  })

  it('notifies the first burst of a feed added while running as itself, not as missed', async () => {
    const { app } = await appWithFeed(
      {},
      { centerTiming: { catchUpWindowMs: 200, catchUpGapMs: 100, catchUpMaxMs: 2000 } },
    )
    const job = await startSseServer()
    job.greeting = [1, 2, 3].map((n) => frame(n, 'step.completed', { title: `Step ${n}` })).join('')
    try {
      const view = (await app.invoke('settings:get')) as { feeds: unknown[] }
      await app.invoke('settings:save', {
        ...view,
        feeds: [...view.feeds, { id: 'job', name: 'Export job', url: job.url, oneShot: true }],
      })
      await waitForNotification((n) => n.title.startsWith('Step 3'))
      expect(FakeNotification.shownOnes().map((n) => n.title)).toEqual([
        'Step 1 completed',
        'Step 2 completed',
        'Step 3 completed',
      ])
    } finally {
      await job.close()
    }
  })

  it('holds notifications during quiet hours, lets failures through, then shows one digest', async () => {
    const now = new Date()
    const hhmm = (d: Date) =>
      `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
    const quietHours = {
      enabled: true,
      start: hhmm(new Date(now.getTime() - 3_600_000)),
      end: hhmm(new Date(now.getTime() + 3_600_000)),
      failuresBreakThrough: true,
    }
    const { app, sse } = await appWithFeed({ quietHours })
    sse.send(news(1, 'Quiet one'))
    sse.send(news(2, 'Quiet two'))
    sse.send(frame(3, 'task.failed', { taskId: 'x', title: 'Nightly' }))
    const urgent = await waitForNotification()
    expect(urgent.title).toMatch(/^Nightly failed/)
    expect(urgent.options['urgency']).toBe('critical')
    await waitForEvent(app.contents(), (e) => e.id === '3')
    expect(FakeNotification.shownOnes()).toHaveLength(1)

    // Quiet hours switched off: the held ones come as one digest.
    const view = (await app.invoke('settings:get')) as Record<string, unknown>
    await app.invoke('settings:save', { ...view, quietHours: { ...quietHours, enabled: false } })
    const digest = await waitForNotification((n) => n !== urgent)
    expect(digest.title).toBe('2 notifications during quiet hours')
    expect(digest.body).toContain('Quiet one')
  })

  it('pauses from the tray menu, shows the paused state, and gives a digest on resume', async () => {
    const { app, sse } = await appWithFeed()
    app.tray().menu?.click('Pause notifications', 'For 1 hour')
    await eventually(() => expect(app.tray().image.path).toMatch(/tray-paused\.png$/))
    expect(app.tray().tooltip).toMatch(/Notifications paused until (tomorrow )?\d\d:\d\d/)
    const snapshot = (await app.invoke('snapshot:get')) as { pause: { until: number } | null }
    expect(snapshot.pause?.until).toBeGreaterThan(Date.now() + 3_500_000)

    sse.send(news(1, 'While paused'))
    await waitForEvent(app.contents(), (e) => e.id === '1')
    expect(FakeNotification.shownOnes()).toHaveLength(0)

    await eventually(() => expect(app.tray().menu?.labels()).toContain('Resume notifications'))
    app.tray().menu?.click('Resume notifications')
    const released = await waitForNotification()
    expect(released.title).toBe('While paused')
    await eventually(() => expect(app.tray().image.path).toMatch(/tray-ok\.png$/))
  })

  it('never notifies twice for the same event, even when a server replays it', async () => {
    server = await startSseServer()
    server.greeting = 'retry: 250\n\n'
    const { app, sse } = await appWithFeed()
    sse.send(news(1, 'Once'))
    await waitForNotification()
    // The server drops the stream and, ignoring Last-Event-ID, sends the same event again.
    sse.greeting = `retry: 250\n\n${news(1, 'Once')}`
    sse.dropAll()
    await sse.waitForStreams(2)
    expect(sse.requests[1]?.['last-event-id']).toBe('1')
    sse.send(news(2, 'Twice'))
    await waitForNotification((n) => n.title === 'Twice')
    expect(FakeNotification.shownOnes().map((n) => n.title)).toEqual(['Once', 'Twice'])
    expect(app.pushedEvents().filter((e) => e.data.includes('Once'))).toHaveLength(1)
  })

  it('resumes after a restart from the stored event id and continues the sequence', async () => {
    const first = await appWithFeed()
    first.sse.send(news(41))
    first.sse.send(news(42))
    const last = await waitForEvent(first.app.contents(), (e) => e.id === '42')
    await first.app.stop()

    fake.reset()
    const sse = first.sse
    harness = await startApp({ userData: first.app.userData })
    await sse.waitForStreams(2)
    expect(sse.requests.at(-1)?.['last-event-id']).toBe('42')
    const snapshot = await harness.connect()
    expect(snapshot.events.map((e) => e.id)).toEqual(['41', '42'])
    sse.send(news(43))
    const next = await waitForEvent(harness.contents(), (e) => e.id === '43')
    expect(next.seq).toBe(last.seq + 1)
  })

  it('tells when a one-shot feed finished, and removes it when asked to', async () => {
    server = await startSseServer()
    harness = await startApp({
      settings: feedSettings([
        { id: 'job', name: 'Export job', url: server.url, oneShot: true, removeWhenFinished: true },
      ]),
    })
    await server.waitForStreams(1)
    await harness.connect()
    server.send(frame(1, 'progress', { title: 'Exporting', progress: 0.5 }))
    await waitForEvent(harness.contents(), (e) => e.id === '1')
    server.dropAll()
    const finished = await waitForNotification()
    expect(finished.title).toBe('Export job finished')
    await waitForPush(harness.contents(), 'settings', (s) => s.feeds.length === 0)
    await eventually(() => expect(harness?.tray().menu?.labels()).toContain('No feeds yet'))
  })

  it('reconnects every feed at once when the machine wakes up', async () => {
    const { sse } = await appWithFeed()
    sse.send(news(5))
    await waitForNotification()
    fake.powerMonitor.emit('resume')
    await sse.waitForStreams(2)
    expect(sse.requests[1]?.['last-event-id']).toBe('5')
    fake.powerMonitor.emit('unlock-screen')
    await sse.waitForStreams(3)
  })
})
