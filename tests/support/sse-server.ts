// A real HTTP (or HTTPS) server on 127.0.0.1 whose handler writes exact bytes, for engine, CLI
// and chaos tests.
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

export interface RecordedRequest {
  index: number
  url: string
  headers: IncomingMessage['headers']
  /** Last-Event-ID decoded from the raw header bytes as UTF-8, or null when not sent. */
  lastEventId: string | null
}

export type SseHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  request: RecordedRequest,
) => void | Promise<void>

export interface SseServer {
  url: string
  port: number
  requests: RecordedRequest[]
  /** Resolves with the request number `index` (0-based) once it has arrived. */
  request(index: number): Promise<RecordedRequest>
  /** Destroys every open connection (a network failure, from the client's side). */
  dropConnections(): void
  close(): Promise<void>
}

export async function startSseServer(
  handler: SseHandler,
  port = 0,
  /** A certificate and key: serve https (e.g. tests/support/self-signed.ts). */
  tls?: { key: Buffer; cert: Buffer },
): Promise<SseServer> {
  const requests: RecordedRequest[] = []
  const waiters = new Map<number, Array<(request: RecordedRequest) => void>>()
  const sockets = new Set<Socket>()
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const raw = req.headers['last-event-id']
    const request: RecordedRequest = {
      index: requests.length,
      url: req.url ?? '/',
      headers: req.headers,
      // Node decodes header bytes as latin1; recover the UTF-8 the client sent.
      lastEventId: typeof raw === 'string' ? Buffer.from(raw, 'latin1').toString('utf8') : null,
    }
    requests.push(request)
    for (const wake of waiters.get(request.index) ?? []) wake(request)
    waiters.delete(request.index)
    void Promise.resolve(handler(req, res, request)).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)))
    })
  }
  const server = tls ? createHttpsServer(tls, listener) : createServer(listener)
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.listen(port, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address() as AddressInfo
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${address.port}/events`,
    port: address.port,
    requests,
    request(index) {
      const known = requests[index]
      if (known) return Promise.resolve(known)
      return new Promise((resolve) => {
        const list = waiters.get(index) ?? []
        list.push(resolve)
        waiters.set(index, list)
      })
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy()
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      if (!server.listening) return
      server.close()
      await once(server, 'close')
    },
  }
}

/** Writes the status line and SSE headers and flushes them at once. */
export function openStream(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    ...headers,
  })
  res.flushHeaders()
}

/** Responds with `body` written as the given chunks (strings or bytes) and then ends. */
export function streamChunks(res: ServerResponse, chunks: Array<string | Uint8Array>): void {
  openStream(res)
  for (const chunk of chunks) res.write(chunk)
  res.end()
}
