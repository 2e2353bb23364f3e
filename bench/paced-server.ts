// A loopback SSE server in its own process that writes timestamped events at a steady pace to
// every connection: for latency, memory, reconnect and soak runs. Resumes from Last-Event-ID.
// Usage: node bench/paced-server.ts <events per second per connection, 0: none> [port]
//        [retry ms, 0: none] [keepalive comment every ms, 0: none]
// Prints the port on stdout once listening. Each event's data carries "t": the monotonic time
// in microseconds just before it was written (comparable with process.hrtime in the client).
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

const rate = Number(process.argv[2] ?? 20)
const port = Number(process.argv[3] ?? 0)
const retryMs = Number(process.argv[4] ?? 1000)
const keepaliveMs = Number(process.argv[5] ?? 0)
const tickMs = rate > 0 ? Math.max(1, Math.round(1000 / rate)) : 0

interface Stream {
  res: ServerResponse
  feed: string
  next: number
  startedAt: number
  written: number
}
const streams = new Set<Stream>()
let written = 0

function write(stream: Stream): void {
  const n = stream.next++
  stream.written++
  written++
  const t = Number(process.hrtime.bigint() / 1000n)
  // Every 50th event is a finished build (a notification); the rest are plain updates.
  const type = n % 50 === 0 ? 'build.completed' : 'message'
  const title = n % 50 === 0 ? `Build ${stream.feed}-${n}` : `Update ${n} on ${stream.feed}`
  stream.res.write(
    `${type === 'message' ? '' : `event: ${type}\n`}id: ${n}\ndata: {"title":"${title}","body":"Something happened on the build server","t":${t}}\n\n`,
  )
}

const server = createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
  res.write(retryMs > 0 ? `retry: ${retryMs}\n\n` : ': no retry hint\n\n')
  const last = Number(req.headers['last-event-id'] ?? 0)
  const stream: Stream = {
    res,
    feed: req.url ?? '/',
    next: Number.isFinite(last) ? last + 1 : 1,
    startedAt: performance.now(),
    written: 0,
  }
  streams.add(stream)
  res.on('close', () => streams.delete(stream))
})
server.keepAliveTimeout = 600_000

// Drift-free: each tick writes what is due by now, so a late timer does not lower the load.
if (rate > 0)
  setInterval(() => {
    const now = performance.now()
    for (const stream of streams) {
      const due = Math.floor(((now - stream.startedAt) * rate) / 1000)
      while (stream.written < due) write(stream)
    }
  }, tickMs)

// An idle feed: only a comment now and then, as servers send to keep proxies from closing it.
if (keepaliveMs > 0)
  setInterval(() => {
    for (const stream of streams) stream.res.write(': keepalive\n\n')
  }, keepaliveMs)

// The parent asks how many events were written in all.
process.on('message', (message) => {
  if (message === 'count') process.send?.({ written })
})

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`)
})
process.on('disconnect', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))
