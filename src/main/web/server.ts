// tidings ui's HTTP server on 127.0.0.1: the window's files, one POST endpoint per IPC request
// channel (routed and validated by the same IpcRouter as Electron's ipcMain), and one SSE stream
// of pushes that a page resumes with Last-Event-ID. Every request passes the Guard first.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { IpcPushChannel, IpcPushes } from '../../shared/ipc.ts'
import { IpcRejection, type IpcRouter } from '../core/ipc-router.ts'
import { Guard, type Verdict } from './guard.ts'
import { PushLog, type PushEntry } from './push-log.ts'
import type { RendererFiles } from './renderer-files.ts'

/** A notification as a page shows it through the Web Notifications API. */
export interface PageNotification {
  key: string
  title: string
  body: string
  url?: string
  eventSeq?: number
}

export interface WebServerOptions {
  router: IpcRouter
  renderer: RendererFiles
  /** 0 picks a free port. */
  port: number
  pushLog?: PushLog
  /** Most bytes a request body may have. */
  maxBodyBytes?: number
  /** A page that stops reading: dropped beyond this many unsent bytes, to resume later. */
  maxBufferedBytes?: number
  keepAliveMs?: number
  log?(message: string): void
  /** Told about every request a page made, after validation (tests read this). */
  onCall?(channel: string, args: unknown[]): void
}

export interface WebServer {
  readonly port: number
  readonly origin: string
  /** The address to open: signs the browser in, then shows the window. */
  readonly loginUrl: string
  readonly pushLog: PushLog
  /** Sends a push to every page (what `send` is in composeTidings' deps). */
  push<C extends IpcPushChannel>(channel: C, payload: IpcPushes[C]): void
  /** Pages connected now that show notifications themselves. */
  notifyingPages(): number
  /** Hands a notification to those pages. */
  notify(notification: PageNotification): void
  /** Drops every page's push stream, as a network blip would; they resume with Last-Event-ID. */
  dropStreams(): void
  close(): Promise<void>
}

/** The address is taken; tidings ui says so and exits 1. */
export class PortInUse extends Error {
  override name = 'PortInUse'
  readonly port: number
  constructor(port: number) {
    super(`Port ${port} on 127.0.0.1 is in use.`)
    this.port = port
  }
}

interface Page {
  response: ServerResponse
  notify: boolean
}

const API = '/api/'
const STREAM = '/api/pushes'

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.log ?? (() => {})
  const pushLog = options.pushLog ?? new PushLog()
  const maxBody = options.maxBodyBytes ?? 8 * 1024 * 1024
  const maxBuffered = options.maxBufferedBytes ?? 16 * 1024 * 1024
  const pages = new Set<Page>()
  let guard: Guard | null = null

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: Error) => {
      log(`Web: ${request.method} ${request.url?.slice(0, 100)} failed: ${error.message}`)
      if (!response.headersSent) send(response, 500, 'text/plain', 'Internal error.')
      else response.destroy()
    })
  })
  server.on('clientError', (_error, socket) => socket.destroy())

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    setCommonHeaders(response)
    const g = guard
    if (!g) return send(response, 503, 'text/plain', 'Starting.')
    const host = g.checkHost(request)
    if (!host.ok) return refuse(response, host)
    const url = new URL(request.url ?? '/', g.origin(request))
    const method = request.method ?? 'GET'

    if (method === 'GET' || method === 'HEAD') {
      const site = g.checkSite(request, 'reads')
      if (!site.ok) return refuse(response, site)
      // Sign-in: the printed address carries the token; the cookie replaces it at once.
      const token = url.searchParams.get('token')
      if (token !== null) {
        if (!g.isToken(token))
          return refuse(response, {
            ok: false,
            status: 403,
            reason:
              'This sign-in token is wrong or from another run: open the address tidings ui printed.',
          })
        url.searchParams.delete('token')
        response.setHeader('Set-Cookie', g.sessionCookie())
        response.setHeader('Location', `${url.pathname}${url.search}`)
        return send(response, 303, 'text/plain', 'Signed in.')
      }
      const session = g.checkSession(request)
      if (!session.ok) return refuse(response, session)
      if (url.pathname === STREAM) return openStream(request, response, url)
      if (url.pathname.startsWith(API)) return send(response, 405, 'text/plain', 'Use POST.')
      return options.renderer.serve(request, response, url.pathname)
    }

    if (method === 'POST' && url.pathname.startsWith(API)) {
      const site = g.checkSite(request, 'changes')
      if (!site.ok) return refuse(response, site)
      const session = g.checkSession(request)
      if (!session.ok) return refuse(response, session)
      let channel: string
      try {
        channel = decodeURIComponent(url.pathname.slice(API.length))
      } catch {
        return send(response, 404, 'application/json', error('Unknown channel.'))
      }
      return call(request, response, channel)
    }
    // CORS preflights included: no other origin is ever let in.
    response.setHeader('Allow', 'GET, HEAD, POST')
    return send(response, 405, 'text/plain', 'Method not allowed.')
  }

  async function call(request: IncomingMessage, response: ServerResponse, channel: string) {
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'application/json')
      return send(response, 415, 'application/json', error('Send application/json.'))
    const body = await readBody(request, maxBody)
    if (body === null) {
      response.setHeader('Connection', 'close')
      return send(response, 413, 'application/json', error('The request is too large.'))
    }
    let args: unknown
    try {
      args = JSON.parse(body)
    } catch {
      return send(response, 400, 'application/json', error('The request is not JSON.'))
    }
    if (!Array.isArray(args))
      return send(response, 400, 'application/json', error('Send the arguments as a JSON array.'))
    // Every push up to here was made before the handler read any state: older than its answer,
    // so the page may drop such state pushes (a later change always brings a later push).
    const stamp = pushLog.lastId
    let result: unknown
    try {
      result = await options.router.handle(channel, { sender: null, senderFrame: null }, args)
    } catch (caught) {
      const rejected = caught instanceof IpcRejection
      const status = rejected ? (/^Unknown channel/.test(caught.message) ? 404 : 400) : 500
      if (!rejected) log(`Web: ${channel.slice(0, 60)} failed: ${(caught as Error).message}`)
      return send(response, status, 'application/json', error((caught as Error).message))
    }
    options.onCall?.(channel, args)
    response.setHeader('X-Tidings-Push', String(stamp))
    send(response, 200, 'application/json', JSON.stringify({ result: result ?? null }))
  }

  function openStream(request: IncomingMessage, response: ServerResponse, url: URL) {
    const page: Page = { response, notify: url.searchParams.get('notify') === '1' }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    })
    response.socket?.setNoDelay(true)
    // Loopback: come back quickly after a drop.
    response.write('retry: 1000\n\n')
    const resumeFrom = request.headers['last-event-id'] ?? url.searchParams.get('after')
    if (resumeFrom === undefined || resumeFrom === null || resumeFrom === '') {
      // A new page: it reads the snapshot after this, so it starts from now.
      response.write(frame('hello', pushLog.eventId(pushLog.lastId), '{}'))
    } else {
      const id = pushLog.parseEventId(Array.isArray(resumeFrom) ? resumeFrom[0] : resumeFrom)
      const missed = id === null ? null : pushLog.since(id)
      if (missed === null)
        // Too far behind, or from another run: the page reloads its state from here.
        response.write(frame('reset', pushLog.eventId(pushLog.lastId), '{}'))
      else for (const entry of missed) response.write(pushFrame(entry))
    }
    pages.add(page)
    response.on('close', () => pages.delete(page))
  }

  function deliver(text: string, to: (page: Page) => boolean = () => true): void {
    for (const page of pages) {
      if (!to(page)) continue
      if (page.response.writableLength > maxBuffered) {
        // It stopped reading; it resumes from its last id when it reconnects.
        log('Web: a page fell behind; dropping its stream so it resumes.')
        page.response.destroy()
        pages.delete(page)
        continue
      }
      page.response.write(text)
    }
  }

  const keepAlive = setInterval(() => deliver(': keepalive\n\n'), options.keepAliveMs ?? 20_000)
  keepAlive.unref()

  await options.renderer.attach?.(server)
  const port = await listen(server, options.port)
  guard = new Guard(port)
  const origin = `http://127.0.0.1:${port}`
  let closed: Promise<void> | null = null
  return {
    port,
    origin,
    loginUrl: `${origin}/?token=${guard.token}`,
    pushLog,
    push(channel, payload) {
      deliver(pushFrame(pushLog.append(channel, payload)))
    },
    notifyingPages: () => [...pages].filter((page) => page.notify).length,
    notify(notification) {
      deliver(frame('notification', null, JSON.stringify(notification)), (page) => page.notify)
    },
    dropStreams() {
      for (const page of pages) page.response.destroy()
      pages.clear()
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        clearInterval(keepAlive)
        for (const page of pages) page.response.end()
        pages.clear()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    },
  }

  function pushFrame(entry: PushEntry): string {
    return frame(
      'push',
      pushLog.eventId(entry.id),
      `{"channel":${JSON.stringify(entry.channel)},"payload":${entry.json}}`,
    )
  }
}

/** One SSE frame; JSON never holds a raw line break, so one data line carries it. */
function frame(event: string, id: string | null, data: string): string {
  return `${id === null ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`
}

function error(message: string): string {
  return JSON.stringify({ error: message })
}

function setCommonHeaders(response: ServerResponse): void {
  response.setHeader('Cache-Control', 'no-store')
  response.setHeader('X-Content-Type-Options', 'nosniff')
  response.setHeader('Referrer-Policy', 'no-referrer')
  response.setHeader('X-Frame-Options', 'DENY')
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
}

function refuse(response: ServerResponse, verdict: Exclude<Verdict, { ok: true }>): void {
  send(response, verdict.status, 'text/plain', `${verdict.reason}\n`)
}

export function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
): void {
  response.writeHead(status, { 'Content-Type': `${type}; charset=utf-8` })
  response.end(body)
}

function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        // Read on and throw away, so the answer can still be sent.
        request.removeAllListeners('data')
        request.resume()
        resolve(null)
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUse(port) : error)
    server.once('error', onError)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}
