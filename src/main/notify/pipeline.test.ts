// The notification policy behind the real feed engine and a real loopback SSE server: what a
// user would see after a reconnect that replays missed events, and when a one-shot job ends.
import { afterEach, describe, expect, it } from 'vitest'
import { openStream, startSseServer, type SseHandler } from '../../../tests/support/sse-server.ts'
import type { FeedConfig, FeedStateChange } from '../../shared/feed.ts'
import { FeedManager } from '../feeds/index.ts'
import { NotificationCenter } from './center.ts'
import { decide } from '../../shared/decide/decide.ts'
import type { NotifyPolicy, OutgoingNotification } from './types.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const policy: NotifyPolicy = {
  rateLimitPerMinute: 5,
  disconnectAlertMinutes: 10,
  quietHours: { enabled: false, start: '22:00', end: '07:00', failuresBreakThrough: true },
  pause: null,
  feeds: { ci: { name: 'Build server', snoozedUntil: null } },
}

/** Engine -> decide -> center, as the app wires them. */
async function pipeline(handler: SseHandler, config: Partial<FeedConfig> = {}) {
  const server = await startSseServer(handler)
  cleanups.push(() => server.close())
  const shown: OutgoingNotification[] = []
  const states: FeedStateChange[] = []
  const waiters: Array<() => void> = []
  const wake = () => waiters.splice(0).forEach((resolve) => resolve())
  const center = new NotificationCenter({
    show: (notification) => {
      shown.push(notification)
      wake()
    },
    now: Date.now,
    policy: () => policy,
    // Long windows: the catch-up ends when the connection does, however slow the machine.
    timing: { catchUpWindowMs: 60_000, catchUpMaxMs: 60_000 },
  })
  cleanups.push(() => center.dispose())
  const feeds = new FeedManager({ random: () => 0.01 })
  cleanups.push(() => feeds.dispose())
  let seq = 0
  feeds.on('event', (event) => {
    seq += 1
    center.onEvent({ ...event, seq, notification: decide(event) })
  })
  feeds.on('state', (change) => {
    states.push(change)
    center.onFeedState(change)
    wake()
  })
  feeds.apply([{ id: 'ci', name: 'Build server', url: server.url, ...config }])
  const until = async (done: () => boolean): Promise<void> => {
    while (!done()) await new Promise<void>((resolve) => waiters.push(resolve))
  }
  return { server, shown, states, until }
}

const sse = (id: number, type: string, data: object) =>
  `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`

describe('notifications from a real feed', () => {
  it('tells events replayed after a reconnect as one catch-up summary per connection', async () => {
    const { server, shown, states, until } = await pipeline((_req, res, request) => {
      if (request.index === 0) {
        openStream(res)
        res.write('retry: 250\n\n')
        res.write(sse(1, 'build.failed', { task: 'Build #1', status: 'failed' }))
        res.write(sse(2, 'news', { title: 'Release', url: 'https://news.example/r' }))
        res.end()
      } else if (request.index === 1) {
        openStream(res)
        // A server that ignores Last-Event-ID and replays too much: nothing twice.
        res.write(sse(2, 'news', { title: 'Release', url: 'https://news.example/r' }))
        res.write(sse(3, 'build.done', { task: 'Build #2', status: 'done' }))
        res.write(sse(4, 'build.failed', { task: 'Build #3', status: 'failed' }))
        res.write(sse(5, 'build.progress', { task: 'Build #4', progress: 0.5 }))
        res.write(sse(6, 'news', { title: 'Release 2', url: 'https://news.example/r2' }))
        res.end()
      } else {
        res.writeHead(204).end()
      }
    })
    await until(() => states.at(-1)?.state.kind === 'stopped')
    expect((await server.request(1)).lastEventId).toBe('2')
    expect(shown.map(({ kind, title, body }) => ({ kind, title, body }))).toEqual([
      {
        kind: 'catch-up',
        title: '2 missed while disconnected from Build server',
        body: '1 failed, 1 news: Build #1 failed · Release',
      },
      {
        kind: 'catch-up',
        title: '3 missed while disconnected from Build server',
        body: '1 failed, 1 completed, 1 news: Build #3 failed · Build #2 completed · Release 2',
      },
    ])
    expect(shown.map((n) => n.eventSeq)).toEqual([1, 4])
  })

  it('says a one-shot job finished, with how many events it delivered', async () => {
    const { shown, until } = await pipeline(
      (_req, res) => {
        openStream(res)
        res.write('event: log\ndata: compiling\n\n')
        res.write('event: log\ndata: linking\n\n')
        res.write('data: {"progress": 1}\n\n')
        res.end()
      },
      { streamEndMeansFinished: true },
    )
    await until(() => shown.length > 0)
    expect(shown).toHaveLength(1)
    expect(shown[0]).toMatchObject({
      feedId: 'ci',
      kind: 'finished',
      title: 'Build server finished',
    })
    expect(shown[0]?.body).toMatch(/^Ran (under a second|\d+ s)\. 3 events delivered\.$/)
  })
})
