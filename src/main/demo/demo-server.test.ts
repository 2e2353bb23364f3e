import { afterEach, describe, expect, it } from 'vitest'
import { createParser } from 'eventsource-parser'
import { startDemoServer } from './demo-server.ts'
import type { DemoServer, DemoServerOptions } from './demo-server.ts'

interface Received {
  events: { id: string | undefined; event: string | undefined; data: string }[]
  comments: string[]
  retries: number[]
  ended: boolean
}

/** A raw SSE reader (fetch + eventsource-parser) that records everything the server sends. */
function subscribe(url: string, headers: Record<string, string> = {}) {
  const received: Received = { events: [], comments: [], retries: [], ended: false }
  const controller = new AbortController()
  const waiters = new Set<() => void>()
  const notify = () => waiters.forEach((w) => w())
  const parser = createParser({
    onEvent: (e) => received.events.push({ id: e.id, event: e.event, data: e.data }),
    onComment: (c) => received.comments.push(c),
    onRetry: (r) => received.retries.push(r),
  })
  const response = fetch(url, { headers, signal: controller.signal })
  const done = response.then(async (res) => {
    const decoder = new TextDecoder()
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(chunk, { stream: true }))
        notify()
      }
      received.ended = true
    } catch {
      // aborted by the test
    }
    notify()
  })
  /** Resolves once `predicate` holds for what was received. */
  function until(predicate: (r: Received) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (predicate(received)) {
          waiters.delete(check)
          resolve()
        }
      }
      waiters.add(check)
      check()
    })
  }
  return { received, response, until, done, close: () => controller.abort() }
}

const ids = (r: Received) => r.events.map((e) => Number(e.id))
const lastId = (r: Received) => Number(r.events.at(-1)?.id ?? 0)

let server: DemoServer | undefined
async function start(options: DemoServerOptions = {}): Promise<DemoServer> {
  server = await startDemoServer({ tickMs: 2, ...options })
  return server
}
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('demo server', () => {
  it('serves an SSE stream on 127.0.0.1 with retry once and an increasing id on every event', async () => {
    const { url } = await start()
    expect(new URL(url).hostname).toBe('127.0.0.1')
    const client = subscribe(url)
    const res = await client.response
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    await client.until((r) => r.events.length >= 50)
    client.close()
    expect(client.received.retries).toEqual([2000])
    expect(ids(client.received).slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    const types = new Set(client.received.events.map((e) => e.event))
    expect(types).toContain('task.started')
    expect(types).toContain('task.done')
    expect(types).toContain('news')
  })

  it('resumes from Last-Event-ID without gaps or duplicates, then continues live', async () => {
    const { url } = await start()
    const first = subscribe(url)
    await first.until((r) => r.events.length >= 10)
    first.close()
    const seenFirst = ids(first.received)
    const resumeFrom = lastId(first.received)

    const observer = subscribe(url)
    await observer.until((r) => lastId(r) >= resumeFrom + 40)
    observer.close()

    const resumed = subscribe(url, { 'last-event-id': String(resumeFrom) })
    await resumed.until((r) => lastId(r) >= resumeFrom + 80)
    resumed.close()
    const all = [...seenFirst, ...ids(resumed.received)]
    expect(all.slice(0, resumeFrom + 80)).toEqual(
      Array.from({ length: resumeFrom + 80 }, (_, i) => i + 1),
    )
  })

  it('says honestly when the requested events are older than its backlog', async () => {
    const { url } = await start({ backlogSize: 5 })
    const observer = subscribe(url)
    await observer.until((r) => lastId(r) >= 20)
    observer.close()
    const resumed = subscribe(url, { 'last-event-id': '3' })
    await resumed.until((r) => r.events.length >= 1)
    resumed.close()
    const firstReplayed = Number(resumed.received.events[0]?.id)
    expect(firstReplayed).toBeGreaterThan(4)
    expect(resumed.received.comments).toContain(
      `events 4 to ${firstReplayed - 1} are no longer kept; resuming at ${firstReplayed}`,
    )
  })

  it('continues above an id from an earlier run, so ids never go backwards for that client', async () => {
    const { url } = await start()
    const client = subscribe(url, { 'last-event-id': '5000' })
    await client.until((r) => r.events.length >= 3)
    client.close()
    expect(ids(client.received).slice(0, 3)).toEqual([5001, 5002, 5003])
  })

  it('ignores a Last-Event-ID it could not have issued and starts live', async () => {
    const { url } = await start()
    const client = subscribe(url, { 'last-event-id': 'abc' })
    await client.until((r) => r.events.length >= 1)
    client.close()
    expect(client.received.events[0]?.id).toBe('1')
  })

  it('sends keepalive comments', async () => {
    const { url } = await start({ tickMs: 60_000, keepaliveMs: 5 })
    const client = subscribe(url)
    await client.until((r) => r.comments.filter((c) => c === 'keepalive').length >= 2)
    client.close()
    expect(client.received.comments[0]).toBe('Tidings demo feed')
  })

  it('ends every open stream cleanly on close', async () => {
    const demo = await start()
    const clients = [subscribe(demo.url), subscribe(demo.url)]
    await Promise.all(clients.map((c) => c.until((r) => r.events.length >= 5)))
    await demo.close()
    await Promise.all(clients.map((c) => c.done))
    expect(clients.map((c) => c.received.ended)).toEqual([true, true])
    await expect(fetch(demo.url)).rejects.toThrow()
  })

  it('answers 404 off the endpoint and describes itself at /', async () => {
    const { url } = await start()
    expect((await fetch(new URL('/nope', url))).status).toBe(404)
    const root = await fetch(new URL('/', url))
    expect(await root.text()).toContain('/events')
  })
})
