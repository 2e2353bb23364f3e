// A loopback SSE server in its own process, so the client under test has its thread to itself.
// Every request gets the same pre-built stream of N events, written as fast as the client reads.
// Usage: node bench/bench-server.ts <events>   (prints the port on stdout)
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export function buildStream(events: number): Buffer {
  const parts: string[] = ['retry: 1000\n']
  for (let i = 1; i <= events; i++) {
    if (i % 10 === 0) {
      parts.push(
        `event: task.progress\nid: ${i}\ndata: {"task":"Build #${i % 97}","status":"running","progress":${(i % 100) / 100}}\n\n`,
      )
    } else {
      parts.push(
        `id: ${i}\ndata: {"title":"Event ${i}","body":"Something happened on the build server","seq":${i}}\n\n`,
      )
    }
  }
  return Buffer.from(parts.join(''))
}

const events = Number(process.argv[2] ?? 200_000)
const body = buildStream(events)
const CHUNK = 16 * 1024

const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
  let offset = 0
  const pump = (): void => {
    while (offset < body.length) {
      const chunk = body.subarray(offset, offset + CHUNK)
      offset += chunk.length
      if (!res.write(chunk)) return void res.once('drain', pump)
    }
    res.end()
  }
  pump()
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`)
})
process.on('disconnect', () => process.exit(0))
