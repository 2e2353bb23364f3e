// The engine against real loopback servers that write exact bytes.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { chunkedFetch } from '../../../tests/support/chunked-fetch.ts'
import { FeedRecorder } from '../../../tests/support/feed-recorder.ts'
import {
  openStream,
  startSseServer,
  streamChunks,
  type SseHandler,
  type SseServer,
} from '../../../tests/support/sse-server.ts'
import type { FeedConfig, FeedState } from '../../shared/feed.ts'
import { FeedManager } from './index.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  vi.useRealTimers()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function server(handler: SseHandler, port?: number): Promise<SseServer> {
  const s = await startSseServer(handler, port)
  cleanups.push(() => s.close())
  return s
}

/** A manager whose backoff jitter is fixed (random() = 0.01: 10 ms, 20 ms, 40 ms...). */
function manager(
  configs: FeedConfig[],
  random = () => 0.01,
): { feeds: FeedManager; rec: FeedRecorder } {
  const feeds = new FeedManager({ random })
  const rec = new FeedRecorder(feeds)
  cleanups.push(() => feeds.dispose())
  feeds.apply(configs)
  return { feeds, rec }
}

const feed = (url: string, over: Partial<FeedConfig> = {}): FeedConfig => ({
  id: 'a',
  name: 'A',
  url,
  ...over,
})
const kinds = (rec: FeedRecorder) => rec.stateKinds()
const lastState = (rec: FeedRecorder): FeedState => rec.states.at(-1)!.state

describe('events', () => {
  it('delivers every event type, not just "message", with id and receivedAt', async () => {
    const s = await server((_req, res) => {
      openStream(res)
      res.write(
        'data: one\n\nevent: build.completed\nid: 7\ndata: two\n\nevent: weird type!\ndata: three\n\n',
      )
    })
    const before = Date.now()
    const { rec } = manager([feed(s.url)])
    await rec.untilEvents(3)
    expect(rec.events.map((e) => [e.feedId, e.type, e.data, e.id])).toEqual([
      ['a', 'message', 'one', ''],
      ['a', 'build.completed', 'two', '7'],
      ['a', 'weird type!', 'three', '7'],
    ])
    expect(rec.events[0]!.receivedAt).toBeGreaterThanOrEqual(before)
    expect(kinds(rec)).toEqual(['connecting', 'open'])
  })

  it('sends the configured headers, Accept and no-cache', async () => {
    const s = await server((_req, res) => openStream(res))
    const { rec } = manager([
      feed(s.url, { headers: { Authorization: 'Bearer t0k', 'X-Team': 'ops' } }),
    ])
    await rec.until(() => kinds(rec).includes('open'))
    const { headers } = await s.request(0)
    expect(headers).toMatchObject({
      authorization: 'Bearer t0k',
      'x-team': 'ops',
      accept: 'text/event-stream',
      'cache-control': 'no-cache',
    })
    expect(headers['last-event-id']).toBeUndefined()
  })

  it('follows redirects', async () => {
    const s = await server((req, res) => {
      if (req.url === '/events') {
        res.writeHead(307, { Location: '/moved' })
        res.end()
      } else streamChunks(res, ['data: moved\n\n'])
    })
    const { rec } = manager([feed(s.url)])
    await rec.untilEvents(1)
    expect(rec.data).toEqual(['moved'])
  })
})

describe('reconnect policy on the wire', () => {
  it('reconnects after a clean end after the server retry, resuming with Last-Event-ID', async () => {
    const s = await server((_req, res, request) => {
      if (request.index === 0) streamChunks(res, ['retry: 300\nid: 1\ndata: first\n\n'])
      else {
        openStream(res)
        res.write('id: 2\ndata: second\n\n')
      }
    })
    const { rec, feeds } = manager([feed(s.url)])
    await rec.untilEvents(2)
    expect((await s.request(1)).lastEventId).toBe('1')
    expect(rec.states.find((c) => c.state.kind === 'reconnecting')!.state).toEqual({
      kind: 'reconnecting',
      attempt: 1,
      delayMs: 300,
      reason: 'stream ended',
    })
    expect(feeds.getLastEventId('a')).toBe('2')
    expect(feeds.lastEventIds()).toEqual({ a: '2' })
  })

  it('clamps a tiny retry to 250 ms', async () => {
    const s = await server((_req, res, request) => {
      if (request.index === 0) streamChunks(res, ['retry: 1\ndata: x\n\n'])
      else openStream(res)
    })
    const { rec } = manager([feed(s.url)])
    await rec.until(() => s.requests.length === 2)
    expect(rec.states.find((c) => c.state.kind === 'reconnecting')!.state).toMatchObject({
      delayMs: 250,
    })
  })

  it('backs off on network errors, counting attempts, and resets after an event', async () => {
    const s = await server((req, res, request) => {
      if (request.index < 3) req.socket.destroy()
      else if (request.index === 3) {
        openStream(res)
        res.write('id: 1\ndata: finally\n\n')
        setImmediate(() => req.socket.destroy())
      } else openStream(res)
    })
    const { rec } = manager([feed(s.url)])
    await rec.until(() => s.requests.length === 5)
    const reconnecting = rec.states
      .filter((c) => c.state.kind === 'reconnecting')
      .map((c) => c.state)
    expect(
      reconnecting.map((st) => [
        st.kind === 'reconnecting' && st.attempt,
        st.kind === 'reconnecting' && st.delayMs,
      ]),
    ).toEqual([
      [1, 10],
      [2, 20],
      [3, 40],
      [1, 10],
    ])
    expect((reconnecting[0] as { reason: string }).reason).toMatch(
      /other side closed|socket|ECONNRESET/i,
    )
    expect((await s.request(4)).lastEventId).toBe('1')
  })

  it('retries 5xx, 408 and 429, never sooner than Retry-After, and reconnectNow() skips the wait', async () => {
    const answers = [
      [503, { 'Retry-After': '3600' }],
      [500, {}],
      [408, {}],
      [429, { 'Retry-After': new Date(Date.now() + 120_000).toUTCString() }],
    ] as const
    const s = await server((_req, res, request) => {
      const answer = answers[request.index]
      if (answer) {
        res.writeHead(answer[0], answer[1])
        res.end('busy')
      } else streamChunks(res, ['data: up\n\n'])
    })
    const { rec, feeds } = manager([feed(s.url)])
    await rec.until(() => kinds(rec).includes('reconnecting'))
    expect(lastState(rec)).toMatchObject({
      kind: 'reconnecting',
      attempt: 1,
      delayMs: 3_600_000,
      reason: 'HTTP 503 Service Unavailable',
    })
    feeds.reconnectNow()
    await rec.until(
      () => s.requests.length >= 4 && kinds(rec).filter((k) => k === 'reconnecting').length === 4,
    )
    const delays = rec.states.filter((c) => c.state.kind === 'reconnecting').map((c) => c.state)
    expect(delays.slice(1, 3)).toMatchObject([
      { kind: 'reconnecting', attempt: 1, delayMs: 10, reason: 'HTTP 500 Internal Server Error' },
      { kind: 'reconnecting', attempt: 2, delayMs: 20, reason: 'HTTP 408 Request Timeout' },
    ])
    expect(delays[3]).toMatchObject({ attempt: 3, reason: 'HTTP 429 Too Many Requests' })
    expect((delays[3] as { delayMs: number }).delayMs).toBeGreaterThan(100_000)
    feeds.reconnectNow()
    await rec.untilEvents(1)
    expect(rec.data).toEqual(['up'])
  })

  it('stops on 204 without reconnecting', async () => {
    const s = await server((_req, res) => {
      res.writeHead(204)
      res.end()
    })
    const { rec, feeds } = manager([feed(s.url)])
    await rec.until(() => kinds(rec).includes('stopped'))
    expect(lastState(rec)).toEqual({
      kind: 'stopped',
      reason: 'HTTP 204 No Content: the server ended the feed',
    })
    feeds.reconnectNow() // wake from sleep does not revive a feed the server ended
    await delay(300)
    expect(s.requests).toHaveLength(1)
    expect(feeds.getState('a')?.kind).toBe('stopped')
  })

  it('schedules nothing after 204 (fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const fetch = chunkedFetch(() => ({ chunks: [], status: 204 }))
    const feeds = new FeedManager({ fetch })
    cleanups.push(() => feeds.dispose())
    const rec = new FeedRecorder(feeds)
    feeds.apply([feed('http://127.0.0.1:1/x', { idleTimeoutMs: 0 })])
    await rec.until(() => kinds(rec).includes('stopped'))
    vi.advanceTimersByTime(7_200_000)
    expect(fetch.calls).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('schedules nothing when a state listener disposes it on a reconnecting state (fake clock)', async () => {
    // The CLI gives up on a lasting failure from inside the state event.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const fetch = chunkedFetch(() => ({ chunks: [], status: 503 }))
    const feeds = new FeedManager({ fetch })
    cleanups.push(() => feeds.dispose())
    const rec = new FeedRecorder(feeds)
    feeds.on('state', ({ state }) => {
      if (state.kind === 'reconnecting') feeds.dispose()
    })
    feeds.apply([feed('http://127.0.0.1:1/x', { idleTimeoutMs: 0 })])
    await rec.until(() => kinds(rec).includes('reconnecting'))
    vi.advanceTimersByTime(7_200_000)
    expect(fetch.calls).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it.each([
    [404, 'HTTP 404 Not Found'],
    [401, 'HTTP 401 Unauthorized'],
    [403, 'HTTP 403 Forbidden'],
    [400, 'HTTP 400 Bad Request'],
  ])('fails on %i without retrying until the user asks', async (status, reason) => {
    const s = await server((_req, res, request) => {
      if (request.index === 0) {
        res.writeHead(status)
        res.end('nope')
      } else streamChunks(res, ['data: fixed\n\n'])
    })
    const { rec, feeds } = manager([feed(s.url)])
    await rec.until(() => kinds(rec).includes('failed'))
    expect(lastState(rec)).toMatchObject({ kind: 'failed', reason, status })
    feeds.reconnectNow() // not the user: failed feeds stay failed
    expect(s.requests).toHaveLength(1)
    feeds.reconnectNow('a') // the user's retry
    await rec.untilEvents(1)
    expect(rec.data).toEqual(['fixed'])
  })

  it.each([
    ['text/html; charset=utf-8', false],
    ['application/json', false],
    ['text/event-streams', false],
    ['text/plain', false],
    ['Text/Event-Stream; charset=UTF-8', true],
    ['text/event-stream;charset=utf-8', true],
    ['  text/event-stream  ', true],
  ])('content type %s accepted: %s', async (contentType, ok) => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': contentType })
      res.end('data: hi\n\n')
    })
    const { rec } = manager([feed(s.url, { streamEndMeansFinished: true })])
    await rec.until(() => ['failed', 'stopped'].includes(lastState(rec).kind))
    if (ok) expect(rec.data).toEqual(['hi'])
    else
      expect(lastState(rec)).toMatchObject({
        kind: 'failed',
        status: 200,
        reason:
          `unexpected Content-Type "${contentType.trim()}" (expected text/event-stream)`.replace(
            contentType.trim(),
            contentType,
          ),
      })
  })

  it('fails on a response without Content-Type', async () => {
    const s = await server((req, res) => {
      req.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\ndata: x\n\n\n')
      res.detachSocket(req.socket)
    })
    const { rec } = manager([feed(s.url)])
    await rec.until(() => kinds(rec).includes('failed'))
    expect(lastState(rec)).toMatchObject({
      kind: 'failed',
      status: 200,
      reason: 'response has no Content-Type (expected text/event-stream)',
    })
  })

  it('fails on an event over the size limit, after delivering the ones before it', async () => {
    const s = await server((_req, res) => {
      openStream(res)
      res.write('data: small\n\n')
      res.write(`data: ${'x'.repeat(3000)}\n\n`)
    })
    const { rec } = manager([feed(s.url, { maxEventSize: 2048 })])
    await rec.until(() => kinds(rec).includes('failed'))
    expect(rec.data).toEqual(['small'])
    expect(lastState(rec)).toMatchObject({
      kind: 'failed',
      reason: 'event larger than the limit of 2 KiB',
    })
  })

  it('keeps work bounded on a never-ending line: a non-field line ends the connection, a data line fails', async () => {
    const junk = await server((_req, res) => {
      openStream(res)
      res.write('data: before junk\n\n')
      for (let i = 0; i < 40; i++) res.write('x'.repeat(64 * 1024)) // 2.5 MiB without a newline
      res.write('\ndata: after junk\n\n')
    })
    const a = manager([feed(junk.url, { maxEventSize: 1024 })])
    await a.rec.until(() => a.rec.stateKinds().includes('reconnecting'))
    expect(a.rec.data).toEqual(['before junk'])
    expect(a.rec.states.find((s) => s.state.kind === 'reconnecting')!.state).toMatchObject({
      kind: 'reconnecting',
      attempt: 1,
      delayMs: 10,
      reason: '4 KiB of data without a complete event',
    })

    const endless = await server((_req, res) => {
      openStream(res)
      res.write('data: ')
      for (let i = 0; i < 40; i++) res.write('y'.repeat(64 * 1024))
    })
    const b = manager([{ ...feed(endless.url), id: 'b' }])
    await b.rec.until(() => b.rec.stateKinds().includes('failed'))
    expect(b.rec.states.at(-1)!.state).toMatchObject({
      kind: 'failed',
      reason: 'event larger than the limit of 1 MiB',
    })
  })

  it('treats a connection with no byte for the idle timeout as dead, but comments keep it alive', async () => {
    let comments = 0
    const s = await server((_req, res, request) => {
      openStream(res)
      if (request.index === 0) return // silent
      if (request.index === 1) {
        const timer = setInterval(() => {
          res.write(': keepalive\n\n')
          if (++comments === 8) {
            clearInterval(timer)
            res.write('data: alive\n\n')
          }
        }, 60)
        res.on('close', () => clearInterval(timer))
      }
    })
    const { rec } = manager([feed(s.url, { idleTimeoutMs: 200 })])
    await rec.until(() => kinds(rec).includes('reconnecting'))
    expect(lastState(rec)).toMatchObject({
      kind: 'reconnecting',
      attempt: 1,
      delayMs: 10,
      reason: 'no data for 200 ms',
    })
    await rec.untilEvents(1) // 8 comments 60 ms apart: longer than 200 ms in all, never 200 ms silent
    expect(kinds(rec)).toEqual(['connecting', 'open', 'reconnecting', 'connecting', 'open'])
  })

  it('does not call a feed idle when the process itself stalled while its bytes arrived', async () => {
    // The server runs in another process, so it writes while this one is blocked; it touches a
    // file once it has, which this process can see without leaving its busy loop.
    const dir = await mkdtemp(join(tmpdir(), 'tidings-stall-'))
    const written = join(dir, 'written')
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require('node:http').createServer((_q, res) => {
          res.writeHead(200, { 'Content-Type': 'text/event-stream' })
          res.write('data: 1\\n\\n')
          process.stdin.once('data', () =>
            res.write('data: 2\\n\\n', () => require('node:fs').writeFileSync(process.argv[1], '')))
        }).listen(0, '127.0.0.1', function () { console.log(this.address().port) })`,
        written,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    )
    cleanups.push(() => child.kill())
    const [line] = (await once(child.stdout!, 'data')) as [Buffer]
    const { rec } = manager([feed(`http://127.0.0.1:${Number(line)}/`, { idleTimeoutMs: 300 })])
    await rec.untilEvents(1)
    child.stdin!.write('go\n')
    // Stall this process past the idle timeout, until event 2 has reached the socket.
    const stalled = Date.now()
    while (!existsSync(written) || Date.now() - stalled < 400) {
      /* busy: no timer, no I/O */
    }
    await rec.untilEvents(2)
    expect(kinds(rec)).toEqual(['connecting', 'open'])
  })

  it('times out a server that accepts but never answers', async () => {
    const s = await server(() => {
      /* never responds */
    })
    const { rec } = manager([feed(s.url, { idleTimeoutMs: 150 })])
    await rec.until(() => kinds(rec).includes('reconnecting'))
    expect(lastState(rec)).toMatchObject({
      kind: 'reconnecting',
      attempt: 1,
      delayMs: 10,
      reason: 'no response from the server within 150 ms',
    })
  })

  it('survives a server restart on the same port', async () => {
    const first = await server((_req, res) => {
      openStream(res)
      res.write('id: 1\ndata: before\n\n')
    })
    const port = first.port
    const { rec } = manager([feed(first.url)])
    await rec.untilEvents(1)
    await first.close()
    await rec.until(() => rec.stateKinds().filter((k) => k === 'reconnecting').length >= 2)
    expect(JSON.stringify(rec.states.slice(-1))).toMatch(/ECONNREFUSED/)
    await server((_req, res, request) => {
      openStream(res)
      res.write(`id: 2\ndata: after restart (resumed from ${request.lastEventId})\n\n`)
    }, port)
    await rec.untilEvents(2)
    expect(rec.data[1]).toBe('after restart (resumed from 1)')
  })
})

describe('resume and exactly-once', () => {
  it('sends a non-ASCII last event id as UTF-8 bytes and starts from a stored id', async () => {
    const ids = ['ünïcødé-🎉', '日本語', 'plain']
    const s = await server((_req, res, request) => {
      const id = ids[request.index]
      if (id) streamChunks(res, [`retry: 250\nid: ${id}\ndata: ${request.index}\n\n`])
      else openStream(res)
    })
    const { rec } = manager([feed(s.url, { lastEventId: 'stored-ïd' })])
    await rec.until(() => s.requests.length === 4)
    expect(s.requests.map((r) => r.lastEventId)).toEqual(['stored-ïd', ...ids])
    expect(rec.events.map((e) => e.id)).toEqual(ids)
  })

  it('drops events the server re-sends after a reconnect, never id-less ones', async () => {
    const s = await server((_req, res, request) => {
      if (request.index === 0) {
        streamChunks(res, [
          'retry: 250\nid: 1\ndata: e1\n\nid: 2\ndata: e2\n\ndata: no id (after 2)\n\nid: 3\ndata: e3\n\n',
        ])
      } else {
        // A sloppy server replays everything since 2 (inclusive), then goes on.
        openStream(res)
        res.write(
          'id: 2\ndata: e2\n\ndata: no id (after 2)\n\nid: 3\ndata: e3\n\nid: 4\ndata: e4\n\n',
        )
      }
    })
    const { rec, feeds } = manager([feed(s.url)])
    await rec.until(() => rec.data.includes('e4'))
    expect((await s.request(1)).lastEventId).toBe('3')
    expect(rec.data).toEqual(['e1', 'e2', 'no id (after 2)', 'e3', 'no id (after 2)', 'e4'])
    expect(feeds.getLastEventId('a')).toBe('4')
  })

  it('does not show the stored event again when the server resumes inclusively at start-up', async () => {
    const s = await server((_req, res) => {
      openStream(res)
      res.write('id: 41\ndata: old\n\nid: 42\ndata: new\n\n')
    })
    const { rec } = manager([feed(s.url, { lastEventId: '41' })])
    await rec.untilEvents(1)
    expect(rec.data).toEqual(['new'])
  })

  it('an empty id stops resuming', async () => {
    const s = await server((_req, res, request) => {
      if (request.index === 0) streamChunks(res, ['retry: 250\nid: 5\ndata: a\n\nid:\ndata: b\n\n'])
      else openStream(res)
    })
    const { rec } = manager([feed(s.url)])
    await rec.until(() => s.requests.length === 2)
    expect(s.requests[1]!.lastEventId).toBeNull()
  })

  it('delivers every event exactly once and in order across many random drops', async () => {
    const total = 400
    let cursor = 0
    const s = await server((req, res, request) => {
      const resumeAt = request.lastEventId === null ? 0 : Number(request.lastEventId) + 1
      // Rewind a little to re-send events the client already has.
      let next = Math.max(0, resumeAt - 3)
      openStream(res)
      res.write('retry: 250\n')
      const burst = 1 + ((request.index * 37) % 50)
      for (let i = 0; i < burst && next < total; i++, next++)
        res.write(`id: ${next}\ndata: ${next}\n\n`)
      cursor = next
      if (next >= total) return
      // Cut mid-event, or end cleanly, alternately.
      if (request.index % 2) {
        res.write(`id: ${next}\ndata: part`)
        setImmediate(() => req.socket.destroy())
      } else res.end()
    })
    const { rec } = manager([feed(s.url)])
    await rec.until(() => rec.events.length >= total, `${total} events`, 30_000)
    expect(cursor).toBe(total)
    expect(rec.data).toEqual(Array.from({ length: total }, (_v, i) => String(i)))
  })
})

describe('FeedManager', () => {
  it('runs 100 feeds at once, each in order', async () => {
    const s = await server((req, res) => {
      openStream(res)
      const feedNo = new URL(req.url!, 'http://x').searchParams.get('feed')
      for (let i = 0; i < 20; i++) res.write(`id: ${i}\ndata: ${feedNo}:${i}\n\n`)
    })
    const configs = Array.from({ length: 100 }, (_v, n) => ({
      id: `f${n}`,
      name: `F${n}`,
      url: `${s.url}?feed=${n}`,
    }))
    const { rec } = manager(configs)
    await rec.untilEvents(2000)
    for (let n = 0; n < 100; n++) {
      const got = rec.events.filter((e) => e.feedId === `f${n}`).map((e) => e.data)
      expect(got).toEqual(Array.from({ length: 20 }, (_v, i) => `${n}:${i}`))
    }
  })

  it('apply() adds, removes and restarts only what changed', async () => {
    const s = await server((req, res) => {
      openStream(res)
      res.write(`id: 1\ndata: ${req.url}\n\n`)
    })
    const { rec, feeds } = manager([
      { id: 'a', name: 'A', url: `${s.url}?a` },
      { id: 'b', name: 'B', url: `${s.url}?b` },
    ])
    await rec.untilEvents(2)
    const countFor = (q: string) => s.requests.filter((r) => r.url.endsWith(q)).length
    feeds.apply([
      { id: 'a', name: 'A renamed', url: `${s.url}?a` }, // rename: no reconnect
      { id: 'b', name: 'B', url: `${s.url}?b`, headers: { 'X-New': '1' } }, // changed: restart, resumes
      { id: 'c', name: 'C', url: `${s.url}?c` }, // added
    ])
    await rec.untilEvents(3)
    await rec.until(() => s.requests.length === 4)
    expect([countFor('?a'), countFor('?b'), countFor('?c')]).toEqual([1, 2, 1])
    expect(s.requests.find((r) => r.url.endsWith('?b') && r.index > 1)!.lastEventId).toBe('1')
    feeds.apply([{ id: 'c', name: 'C', url: `${s.url}?c`, enabled: false }])
    expect(feeds.getState('a')).toBeUndefined()
    expect(feeds.getState('c')).toEqual({ kind: 'stopped', reason: 'disabled' })
  })

  it('pause() stops reading until resume(), losing nothing', async () => {
    // Enough data to fill the socket buffers behind a reader that stopped: the server's write
    // then reports backpressure, which is the moment to check that nothing was delivered.
    const total = 20_000
    const padding = 'x'.repeat(1000)
    let written = 0
    let backpressured = (): void => {}
    const sawBackpressure = new Promise<void>((resolve) => (backpressured = resolve))
    let paused = (): void => {}
    const pausedNow = new Promise<void>((resolve) => (paused = resolve))
    const s = await server((_req, res) => {
      openStream(res)
      res.write(`data: ${++written}\n\n`)
      void pausedNow.then(() => {
        const pump = (): void => {
          while (written < total) {
            written++
            if (!res.write(`data: ${written} ${padding}\n\n`)) {
              backpressured()
              return void res.once('drain', pump)
            }
          }
        }
        pump()
      })
    })
    const { rec, feeds } = manager([feed(s.url)])
    await rec.untilEvents(1)
    feeds.pause()
    paused()
    await sawBackpressure
    expect(rec.events).toHaveLength(1)
    feeds.resume()
    await rec.untilEvents(total)
    expect(rec.data.map((data) => data.split(' ')[0])).toEqual(
      Array.from({ length: total }, (_v, i) => String(i + 1)),
    )
  })

  it('pause() holds a chunk whose read was already under way', async () => {
    // The body is ours: we know exactly when the engine asked for bytes and when they came.
    let push: (text: string) => void = () => {}
    let asked = (): void => {}
    let reads = 0
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          push = (text) => controller.enqueue(new TextEncoder().encode(text))
        },
        pull() {
          reads++
          asked()
        },
      },
      { highWaterMark: 0 },
    )
    const readAsked = (count: number) =>
      new Promise<void>((resolve) => {
        asked = () => reads >= count && resolve()
        asked()
      })
    const feeds = new FeedManager({
      fetch: async () => new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }),
    })
    const rec = new FeedRecorder(feeds)
    cleanups.push(() => feeds.dispose())
    feeds.apply([feed('http://127.0.0.1:1/')])
    await readAsked(1)
    push('data: 1\n\n')
    await rec.untilEvents(1)
    await readAsked(2) // the engine waits on the next read
    feeds.pause()
    push('data: 2\n\n')
    // Resolving the read takes a few microtasks; a macrotask later they have all run.
    await new Promise((resolve) => setImmediate(resolve))
    expect(rec.data).toEqual(['1'])
    feeds.resume()
    await rec.untilEvents(2)
    expect(rec.data).toEqual(['1', '2'])
  })

  it('dispose() closes every connection and emits nothing after', async () => {
    const s = await server((_req, res) => openStream(res))
    const { rec, feeds } = manager([feed(s.url)])
    await rec.until(() => kinds(rec).includes('open'))
    feeds.dispose()
    const count = rec.states.length
    await delay(50)
    expect(rec.states.length).toBe(count)
  })
})

describe('resume by query parameter (ntfy: no id lines)', () => {
  it('reconnects with ?since=<last message id>, persists it, and drops re-sent messages', async () => {
    const msg = (id: string, text: string) =>
      `data: {"id":"${id}","time":1,"event":"message","topic":"jobs","message":"${text}"}\n\n`
    const s = await server((_req, res, request) => {
      const since = new URL(request.url, 'http://x').searchParams.get('since')
      if (request.index === 0) {
        openStream(res)
        res.write(
          'data: {"id":"o1","event":"open","topic":"jobs"}\n\n' +
            msg('m1', 'one') +
            msg('m2', 'two'),
        )
        setImmediate(() => res.socket?.destroy())
      } else {
        openStream(res)
        // ntfy answers since=<id> with what came after it; a sloppy relay repeats m2.
        res.write(msg('m2', 'two') + msg('m3', `three after ${since}`))
      }
    })
    const { rec, feeds } = manager([
      feed(`${s.url}?x=1`, {
        resumeQuery: { param: 'since', field: 'id' },
        lastEventId: undefined,
      }),
    ])
    await rec.until(() => rec.events.length === 4)
    expect(s.requests.map((r) => r.url)).toEqual(['/events?x=1', '/events?x=1&since=m2'])
    expect(s.requests.every((r) => r.lastEventId === null)).toBe(true)
    expect(rec.events.map((e) => e.id)).toEqual(['o1', 'm1', 'm2', 'm3'])
    expect(JSON.parse(rec.data[3]!).message).toBe('three after m2')
    expect(feeds.lastEventIds()).toEqual({ a: 'm3' })
  })

  it('starts from a stored position', async () => {
    const s = await server((_req, res) => openStream(res))
    const { rec } = manager([
      feed(s.url, { resumeQuery: { param: 'since', field: 'id' }, lastEventId: 'abc' }),
    ])
    await rec.until(() => kinds(rec).includes('open'))
    expect(s.requests[0]!.url).toBe('/events?since=abc')
  })
})
