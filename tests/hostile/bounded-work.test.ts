// Bounded work on hostile streams, one row each: a gzip bomb (1 GiB of zeros), a server that
// accepts and closes at once again and again, response headers that never end or arrive a byte
// at a time. Each ends with a clear reason and backs off exponentially; none costs unbounded
// CPU or memory. Through the engine on the app's network module, and the app pipeline.
import { once } from 'node:events'
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net'
import { createGzip } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FeedState } from '../../src/shared/feed.ts'
import { fake } from '../setup/electron.ts'
import type { FeedRecorder } from '../support/feed-recorder.ts'
import type { SseHandler } from '../support/sse-server.ts'
import { hostileKit } from './kit.ts'

const { cleanup, serve, engine, app: kitApp } = hostileKit(afterEach)
beforeEach(() => fake.reset())

const reconnects = (rec: FeedRecorder) =>
  rec.states.flatMap((s) => (s.state.kind === 'reconnecting' ? [s.state] : []))

/** A raw TCP server: each connection gets `write(socket)`; closes them all after the test. */
async function rawServer(write: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>()
  const server = createTcpServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
    socket.once('data', () => write(socket))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  cleanup(async () => {
    for (const socket of sockets) socket.destroy()
    server.close()
    await once(server, 'close')
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`
}

describe('a gzip bomb (1 GiB of zeros)', () => {
  const GiB = 1024 ** 3
  const bomb = () => {
    const fed: number[] = []
    const handler: SseHandler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'gzip' })
      const gzip = createGzip()
      gzip.pipe(res)
      const zeros = Buffer.alloc(1024 * 1024)
      const index = fed.push(0) - 1
      let stopped = false
      res.on('close', () => {
        stopped = true
        gzip.destroy()
      })
      const pump = () => {
        while (!stopped && fed[index]! < GiB) {
          fed[index]! += zeros.length
          if (!gzip.write(zeros)) return void gzip.once('drain', pump)
        }
        if (!stopped) gzip.end()
      }
      pump()
    }
    return { fed, handler }
  }

  it('ends each connection early and backs off exponentially', async () => {
    const { fed, handler } = bomb()
    const server = await serve(handler)
    const { rec } = engine({ url: server.url })
    await rec.until(() => reconnects(rec).length >= 3, 'three reconnects')
    const states = reconnects(rec).slice(0, 3)
    expect(states.map((s) => [s.attempt, s.delayMs])).toEqual([
      [1, 10],
      [2, 20],
      [3, 40],
    ])
    for (const state of states) expect(state.reason).toBe('4 MiB of data without a complete event')
    // The server stops once the client hangs up: each connection ended before the bomb was
    // through. (How far the server got is not a measure of the client: zeros compress a
    // thousandfold, so the kernel's socket buffers hold hundreds of MiB of them, and a loaded
    // machine lets the server fill them before the hang-up arrives. It failed once at 66 MiB
    // against a bound of 64. The client's own bound is the 4 MiB in the reason above.)
    await rec.until(() => server.requests.length >= 3)
    for (const bytes of fed.slice(0, 2)) expect(bytes).toBeLessThan(GiB)
  })

  it('through the app pipeline: a visible reason, the app keeps running', async () => {
    const { handler } = bomb()
    const server = await serve(handler)
    const app = await kitApp(server.url)
    await app.until(
      () =>
        app
          .renderedFeeds()
          .some((feeds) =>
            feeds.some(
              (f) =>
                f.state.kind === 'reconnecting' &&
                f.state.reason === '4 MiB of data without a complete event',
            ),
          ),
      'the reason in the window',
      20_000,
    )
  })
})

describe('a server that accepts and closes at once, with no event', () => {
  it('gets exponential backoff from its retry interval, not a reconnect every retry forever', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' })
      res.end('retry: 250\n: nothing to say\n\n')
    })
    const { rec } = engine({ url: server.url }, { random: () => 0.5 })
    await rec.until(() => reconnects(rec).length >= 3, 'three reconnects')
    expect(reconnects(rec).slice(0, 3)).toEqual<FeedState[]>([
      { kind: 'reconnecting', attempt: 1, delayMs: 250, reason: 'stream ended without an event' },
      { kind: 'reconnecting', attempt: 2, delayMs: 375, reason: 'stream ended without an event' },
      { kind: 'reconnecting', attempt: 3, delayMs: 750, reason: 'stream ended without an event' },
    ])
  })

  it('a stream that delivered events still reconnects after its retry interval', async () => {
    const server = await serve((_req, res, request) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' })
      res.end(`retry: 250\nid: ${request.index}\ndata: one\n\n`)
    })
    const { rec } = engine({ url: server.url }, { random: () => 0.5 })
    await rec.until(() => reconnects(rec).length >= 3, 'three reconnects')
    expect(reconnects(rec).slice(0, 3)).toEqual<FeedState[]>([
      { kind: 'reconnecting', attempt: 1, delayMs: 250, reason: 'stream ended' },
      { kind: 'reconnecting', attempt: 1, delayMs: 250, reason: 'stream ended' },
      { kind: 'reconnecting', attempt: 1, delayMs: 250, reason: 'stream ended' },
    ])
  })
})

describe('response headers', () => {
  it('that never end: bounded, with a clear reason', async () => {
    const url = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Filler: ')
      const piece = 'a'.repeat(16 * 1024)
      let sent = 0
      const pump = () => {
        while (!socket.destroyed && sent < 64 * 1024 * 1024) {
          sent += piece.length
          if (!socket.write(piece)) return void socket.once('drain', pump)
        }
      }
      pump()
    })
    const { rec } = engine({ url })
    const state = await rec.nextState('reconnecting')
    expect(state).toMatchObject({
      reason: 'the server’s response headers are larger than 16 KiB',
    })
  })

  it('sent a byte at a time: the idle timeout ends the wait, saying what was missing', async () => {
    const url = await rawServer((socket) => {
      const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Slow: '
      let i = 0
      const timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer)
        socket.write(head[i % head.length]!)
        i++
      }, 20)
      socket.on('close', () => clearInterval(timer))
    })
    const { rec } = engine({ url, idleTimeoutMs: 300 })
    expect(await rec.nextState('reconnecting')).toMatchObject({
      kind: 'reconnecting',
      attempt: 1,
      delayMs: 10,
      reason: 'no response from the server within 300 ms',
    })
  })

  it('sent a byte at a time with the idle timeout off: bounded by the headers timeout', async () => {
    const url = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Slow: ')
      const timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer)
        socket.write('a')
      }, 20)
      socket.on('close', () => clearInterval(timer))
    })
    const { rec } = engine({ url, idleTimeoutMs: 0 }, { network: { headersTimeoutMs: 300 } })
    expect(await rec.nextState('reconnecting')).toMatchObject({
      reason: 'the server did not send its response headers within 300 ms',
    })
  })
})
