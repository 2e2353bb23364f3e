// The built-in demo feed: an SSE endpoint on loopback that the app uses as its first-run feed and
// `tidings demo` serves. Content comes from generator.ts; this file only does HTTP, ids and resume.
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDemoGenerator } from './generator.ts'

export interface DemoServerOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Default 127.0.0.1: the demo is for this machine only. */
  host?: string
  /** One step of the demo's clock. Default 1000 ms. */
  tickMs?: number
  /** How often a `: keepalive` comment goes to every client. Default 15 000 ms. */
  keepaliveMs?: number
  /** Events kept for resuming with Last-Event-ID. Default 1000. */
  backlogSize?: number
  /** Sent once per connection as `retry:`. Default 2000 ms. */
  retryMs?: number
  /** Seed of the content generator. */
  seed?: number
}

export interface DemoServer {
  /** The SSE endpoint. */
  url: string
  port: number
  close(): Promise<void>
}

interface StoredEvent {
  id: number
  frame: string
}

/** Slow clients are dropped past this much unsent data rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1024 * 1024
export const DEMO_PATH = '/events'

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1'
  const tickMs = options.tickMs ?? 1000
  const keepaliveMs = options.keepaliveMs ?? 15_000
  const backlogSize = options.backlogSize ?? 1000
  const retryMs = options.retryMs ?? 2000
  const generator = createDemoGenerator({ seed: options.seed })

  const backlog: StoredEvent[] = []
  const clients = new Set<ServerResponse>()
  let nextId = 1
  let clock: NodeJS.Timeout | undefined
  let closed = false

  function broadcast(chunk: string): void {
    for (const res of clients) {
      res.write(chunk)
      if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy()
    }
  }

  function tick(): void {
    let chunk = ''
    for (const event of generator.tick()) {
      const id = nextId++
      const frame = `id: ${id}\nevent: ${event.type}\ndata: ${event.data}\n\n`
      backlog.push({ id, frame })
      chunk += frame
    }
    if (backlog.length > backlogSize) backlog.splice(0, backlog.length - backlogSize)
    if (chunk) broadcast(chunk)
  }

  // The clock starts with the first subscriber, so a new user sees the opening (a task
  // completing ~5 ticks in) instead of joining a demo that has been running unseen.
  function startClock(): void {
    if (clock) return
    clock = setInterval(tick, tickMs)
    clock.unref()
    tick()
  }

  const keepalive = setInterval(() => broadcast(': keepalive\n\n'), keepaliveMs)
  keepalive.unref()

  function replayFrom(res: ServerResponse, header: string | string[] | undefined): void {
    const lastId = parseEventId(header)
    if (lastId === undefined) return
    // An id from an earlier run of this server: continue above it so ids never go backwards.
    if (lastId >= nextId) nextId = lastId + 1
    const oldest = backlog[0]?.id
    if (oldest !== undefined && lastId + 1 < oldest)
      res.write(
        `: events ${lastId + 1} to ${oldest - 1} are no longer kept; resuming at ${oldest}\n\n`,
      )
    let chunk = ''
    for (const stored of backlog) if (stored.id > lastId) chunk += stored.frame
    if (chunk) res.write(chunk)
  }

  function subscribe(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      // Each stream gets its own socket, so close() can end them all and let the server go.
      connection: 'close',
    })
    res.write(`retry: ${retryMs}\n: Tidings demo feed\n\n`)
    replayFrom(res, req.headers['last-event-id'])
    clients.add(res)
    res.on('close', () => clients.delete(res))
    startClock()
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo').pathname
    if (closed) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('Shutting down.\n')
    } else if (path === DEMO_PATH && req.method === 'GET') {
      subscribe(req, res)
    } else if (path === '/') {
      res
        .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`Tidings demo feed. Subscribe to ${DEMO_PATH} with Server-Sent Events.\n`)
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found.\n')
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const urlHost = host.includes(':') ? `[${host}]` : host

  let closing: Promise<void> | undefined
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      closed = true
      clearInterval(clock)
      clearInterval(keepalive)
      for (const res of clients) res.end()
      clients.clear()
      server.close(() => resolve())
      server.closeIdleConnections()
    })
    return closing
  }

  return { url: `http://${urlHost}:${port}${DEMO_PATH}`, port, close }
}

/** A Last-Event-ID this server could have issued: a non-negative integer as text. */
function parseEventId(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header[0] : header
  if (text === undefined || !/^\d{1,15}$/.test(text.trim())) return undefined
  return Number(text.trim())
}
