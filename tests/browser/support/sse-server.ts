// A loopback SSE server for the browser tests: each path is a stream that stays open and gets
// exactly the bytes the test writes, or a fixed reply (status, content type, body).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FixedReply {
  status: number
  contentType?: string
  body?: string
}

export interface SseServer {
  url(path: string): string
  /** Bytes every new connection to `path` gets first. */
  onConnect(path: string, bytes: string): void
  /** Makes `path` answer with a fixed reply instead of a stream. */
  reply(path: string, reply: FixedReply): void
  /** Makes `path` take the request and never answer (no status line, ever). */
  hang(path: string): void
  /** Writes bytes to every open connection on `path`; resolves with how many got them. */
  send(path: string, bytes: string): number
  /** Resolves once `path` has at least `count` open connections. */
  waitForClients(path: string, count?: number): Promise<void>
  /** Resolves once `path` has been asked for at least `count` times. */
  waitForRequests(path: string, count: number): Promise<void>
  /** Requests seen per path (with their Last-Event-ID and Authorization headers). */
  requests: { path: string; lastEventId: string | undefined; authorization: string | undefined }[]
  close(): Promise<void>
}

export async function startSseServer(): Promise<SseServer> {
  const clients = new Map<string, Set<ServerResponse>>()
  const greetings = new Map<string, string>()
  const replies = new Map<string, FixedReply>()
  const hanging = new Set<string>()
  const waiters = new Set<() => void>()
  const requests: SseServer['requests'] = []

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    const header = request.headers['last-event-id']
    requests.push({
      path,
      lastEventId: Array.isArray(header) ? header[0] : header,
      authorization: request.headers.authorization,
    })
    for (const wake of waiters) wake()
    if (hanging.has(path)) return
    const fixed = replies.get(path)
    if (fixed) {
      response.writeHead(
        fixed.status,
        fixed.contentType ? { 'content-type': fixed.contentType } : {},
      )
      response.end(fixed.body ?? '')
      return
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
    })
    response.write(greetings.get(path) ?? ': hello\n\n')
    let open = clients.get(path)
    if (!open) clients.set(path, (open = new Set()))
    open.add(response)
    response.on('close', () => open.delete(response))
    for (const wake of waiters) wake()
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`

  return {
    url: (path) => `${base}${path}`,
    onConnect: (path, bytes) => void greetings.set(path, bytes),
    reply: (path, reply) => void replies.set(path, reply),
    hang: (path) => void hanging.add(path),
    send(path, bytes) {
      const open = clients.get(path) ?? new Set()
      for (const response of open) response.write(bytes)
      return open.size
    },
    waitForClients(path, count = 1) {
      return new Promise((done) => {
        const check = (): void => {
          if ((clients.get(path)?.size ?? 0) >= count) {
            waiters.delete(check)
            done()
          }
        }
        waiters.add(check)
        check()
      })
    },
    waitForRequests(path, count) {
      return new Promise((done) => {
        const check = (): void => {
          if (requests.filter((request) => request.path === path).length >= count) {
            waiters.delete(check)
            done()
          }
        }
        waiters.add(check)
        check()
      })
    },
    requests,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}

/** One SSE frame with exact field lines. */
export function frame(fields: { event?: string; id?: string; data: string }): string {
  const lines = []
  if (fields.event !== undefined) lines.push(`event: ${fields.event}`)
  if (fields.id !== undefined) lines.push(`id: ${fields.id}`)
  for (const line of fields.data.split('\n')) lines.push(`data: ${line}`)
  return `${lines.join('\n')}\n\n`
}
