// The demo feed through the real feed engine, as the app and `tidings tail` consume it.
import { afterEach, describe, expect, it } from 'vitest'
import type { FeedConfig, FeedEvent, FeedStateChange } from '../../shared/feed.ts'
import { FeedManager } from '../feeds/index.ts'
import { decide } from '../notify/index.ts'
import { startDemoServer } from './demo-server.ts'
import type { DemoServer, DemoServerOptions } from './demo-server.ts'

const disposers: (() => unknown)[] = []
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose()
})

async function demo(options: DemoServerOptions = {}): Promise<DemoServer> {
  const server = await startDemoServer({ tickMs: 2, ...options })
  disposers.push(() => server.close())
  return server
}

/** One engine with one demo feed, recording what it delivers. */
function subscribe(config: Omit<FeedConfig, 'id' | 'name'>) {
  const manager = new FeedManager()
  disposers.push(() => manager.dispose())
  const events: FeedEvent[] = []
  const states: FeedStateChange[] = []
  const waiters = new Set<() => void>()
  manager.on('event', (event) => {
    events.push(event)
    waiters.forEach((waiter) => waiter())
  })
  manager.on('state', (change) => {
    states.push(change)
    waiters.forEach((waiter) => waiter())
  })
  manager.apply([{ id: 'demo', name: 'Demo', ...config }])
  const until = (predicate: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!predicate()) return
        waiters.delete(check)
        resolve()
      }
      waiters.add(check)
      check()
    })
  return { manager, events, states, until }
}

const lastId = (events: FeedEvent[]) => Number(events.at(-1)?.id ?? 0)

describe('demo feed through the engine', () => {
  it('delivers an id on every event, increasing by one', async () => {
    const { url } = await demo()
    const feed = subscribe({ url })
    await feed.until(() => feed.events.length >= 100)
    expect(feed.events.slice(0, 100).map((e) => e.id)).toEqual(
      Array.from({ length: 100 }, (_, i) => String(i + 1)),
    )
  })

  it('resumes with the engine from a stored id without gaps or duplicates', async () => {
    const { url } = await demo()
    const first = subscribe({ url })
    await first.until(() => first.events.length >= 15)
    first.manager.apply([])
    const stored = first.manager.getLastEventId('demo') ?? lastId(first.events).toString()
    const before = first.events.filter((e) => Number(e.id) <= Number(stored))

    // Meanwhile the demo goes on without that subscriber.
    const observer = subscribe({ url })
    await observer.until(() => lastId(observer.events) >= Number(stored) + 50)

    const second = subscribe({ url, lastEventId: stored })
    await second.until(() => lastId(second.events) >= Number(stored) + 100)
    const ids = [...before, ...second.events].map((e) => Number(e.id))
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1))
    expect(ids.length).toBeGreaterThanOrEqual(Number(stored) + 100)
  })

  it('continues above an id stored by an earlier run of the demo server', async () => {
    const { url } = await demo()
    const feed = subscribe({ url, lastEventId: '9000' })
    await feed.until(() => feed.events.length >= 3)
    expect(feed.events.slice(0, 3).map((e) => e.id)).toEqual(['9001', '9002', '9003'])
  })

  it('keeps a quiet feed alive with keepalive comments, within the idle timeout', async () => {
    // No events for a minute, keepalives every 10 ms, and an idle timeout of 200 ms.
    const { url } = await demo({ tickMs: 60_000, keepaliveMs: 10 })
    const feed = subscribe({ url, idleTimeoutMs: 200 })
    // The opening tick sends its events at once; a raw reader then counts keepalives for us.
    await feed.until(() => feed.states.some((c) => c.state.kind === 'open'))
    const response = await fetch(url)
    const decoder = new TextDecoder()
    let keepalives = 0
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      keepalives += decoder.decode(chunk).split(': keepalive\n\n').length - 1
      if (keepalives >= 40) break // at least 400 ms: twice the idle timeout
    }
    expect(feed.states.map((c) => c.state.kind)).toEqual(['connecting', 'open'])
  })

  it('mixes outcomes the notification decision turns into completed, failed and news', async () => {
    const { url } = await demo({ tickMs: 1 })
    const feed = subscribe({ url })
    const kinds = () => new Set<string>(feed.events.map((e) => decide(e)?.kind ?? 'none'))
    await feed.until(() => ['task-completed', 'task-failed', 'news'].every((k) => kinds().has(k)))
    expect([...kinds()].sort()).toEqual(['news', 'none', 'task-completed', 'task-failed'])
  })
})
