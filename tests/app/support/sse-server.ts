// A real SSE server on 127.0.0.1 that writes exactly the bytes a test gives it.
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SseServer {
  url: string
  /** Headers of every request, in order. */
  requests: IncomingHttpHeaders[]
  /** Writes raw bytes to every open stream. */
  send(text: string): void
  /** Ends every open stream (the client will reconnect). */
  dropAll(): void
  /** The next requests are answered with this status instead of a stream (null: stream). */
  status: number | null
  /** Bytes written to each new stream right after its headers. */
  greeting: string
  /** Resolves once at least `count` requests came in. */
  waitForRequests(count: number): Promise<void>
  /** Resolves once a stream is open (at least `count` streams so far). */
  waitForStreams(count: number): Promise<void>
  close(): Promise<void>
}

export async function startSseServer(): Promise<SseServer> {
  const open = new Set<ServerResponse>()
  let streams = 0
  const server = createServer((req, res) => {
    api.requests.push(req.headers)
    server.emit('test:request')
    if (api.status !== null) {
      res.writeHead(api.status, { 'content-type': 'text/plain' }).end('no')
      return
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
    res.write(api.greeting || ': hello\n\n')
    open.add(res)
    res.on('close', () => open.delete(res))
    streams++
    server.emit('test:stream')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const waitUntil = async (event: string, done: () => boolean) => {
    while (!done()) await once(server, event)
  }
  const api: SseServer = {
    url: `http://127.0.0.1:${port}/events`,
    requests: [],
    status: null,
    greeting: '',
    send(text) {
      for (const res of open) res.write(text)
    },
    dropAll() {
      for (const res of open) res.end()
      open.clear()
    },
    waitForRequests: (count) => waitUntil('test:request', () => api.requests.length >= count),
    waitForStreams: (count) => waitUntil('test:stream', () => streams >= count),
    async close() {
      api.dropAll()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return api
}
