// The network module's stream request against real servers on 127.0.0.1: the request a server
// sees is the one fetch() sent, content codings are decoded as fetch decodes them (and as they
// arrive, which an event stream needs), the signal and cancel() end the connection, failures
// keep undici's own codes; and, against undici's controller, the socket waits while the reader
// is 64 KiB behind.
import { once } from 'node:events'
import type { IncomingMessage } from 'node:http'
import zlib from 'node:zlib'
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { startSseServer, type SseServer } from '../../../../tests/support/sse-server.ts'
import type { FeedBody } from '../feed-connection.ts'
import { describeNetworkError, networkErrorCode } from '../network-error.ts'
import { streamRequest } from './stream-request.ts'

const servers: SseServer[] = []
const agents: Agent[] = []
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.destroy()))
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(...args: Parameters<typeof startSseServer>): Promise<SseServer> {
  const server = await startSseServer(...args)
  servers.push(server)
  return server
}

function agent(): Agent {
  const created = new Agent({ bodyTimeout: 0 })
  agents.push(created)
  return created
}

/** What the engine sends (feed-connection.ts, on top of what eventsource asks for). */
const engineInit = (signal?: AbortSignal): RequestInit => ({
  mode: 'cors',
  cache: 'no-store',
  redirect: 'manual',
  headers: { 'X-Team': 'ops', Accept: 'text/event-stream', 'Cache-Control': 'no-cache' },
  ...(signal ? { signal } : {}),
})

async function readAll(body: FeedBody | null): Promise<string> {
  const reader = body!.getReader()
  const chunks: Buffer[] = []
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks).toString('utf8')
    chunks.push(Buffer.from(value))
  }
}

/** The request line's headers as the server got them, names in lower case, in order. */
const rawHeaders = (req: IncomingMessage) =>
  req.rawHeaders
    .flatMap((value, i) => (i % 2 === 0 ? [value.toLowerCase()] : [`${value}`]))
    .join('\n')

describe('the request', () => {
  it('is the one fetch() sends: the same headers, in the same order', async () => {
    const seen: string[] = []
    const server = await serve((req, res) => {
      seen.push(rawHeaders(req).replace(/^host\n[^\n]+\n/, ''))
      res.writeHead(200, { 'Content-Type': 'text/event-stream' }).end('data: x\n\n')
    })
    const dispatcher = agent()
    const viaFetch = await undiciFetch(server.url, {
      ...(engineInit() as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })
    await viaFetch.text()
    const response = await streamRequest(dispatcher, new URL(server.url), engineInit())
    expect(await readAll(response.body)).toBe('data: x\n\n')
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0])
    expect(seen[1]).toContain('accept-encoding\ngzip, deflate')
  })

  it('answers with the status, its text and the headers as fetch reads them', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('X-Many', ['a', 'b'])
      res.writeHead(404, 'Nowhere', { 'Content-Type': 'text/plain' }).end('gone')
    })
    const response = await streamRequest(agent(), new URL(server.url), engineInit())
    expect(response.status).toBe(404)
    expect(response.statusText).toBe('Nowhere')
    expect(response.headers.get('content-type')).toBe('text/plain')
    expect(response.headers.get('X-MANY')).toBe('a, b')
    expect(response.headers.get('retry-after')).toBeNull()
    expect(response.url).toBe(server.url)
    expect(await readAll(response.body)).toBe('gone')
  })

  it('has no body for 204 and 304', async () => {
    const server = await serve((req, res) => {
      res.writeHead(req.url === '/a' ? 204 : 304).end()
    })
    for (const path of ['/a', '/b']) {
      const response = await streamRequest(agent(), new URL(path, server.url), engineInit())
      expect(response.body).toBeNull()
    }
  })

  it('follows no redirect: the engine does, with its own rules', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { Location: '/elsewhere' }).end()
    })
    const response = await streamRequest(agent(), new URL(server.url), engineInit())
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/elsewhere')
    expect(server.requests).toHaveLength(1)
  })

  it('fails with undici’s own error and code when the server cannot be reached', async () => {
    const server = await serve(() => {})
    const url = new URL(server.url)
    await server.close()
    servers.length = 0
    const error = await streamRequest(agent(), url, engineInit()).catch((caught: unknown) => caught)
    expect(networkErrorCode(error)).toBe('ECONNREFUSED')
    expect(describeNetworkError(error)).toBe(`connect ECONNREFUSED 127.0.0.1:${url.port}`)
  })

  it('refuses a header value with a line break before anything is sent', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200).end()
    })
    const init = { ...engineInit(), headers: { 'Last-Event-ID': 'a\nb' } }
    const error = await streamRequest(agent(), new URL(server.url), init).catch((e: unknown) => e)
    expect((error as { code?: string }).code).toBe('UND_ERR_INVALID_ARG')
    expect(server.requests).toHaveLength(0)
  })
})

describe('content codings', () => {
  const text = 'id: 1\ndata: {"title":"Build passed"}\n\n'.repeat(200)
  const encoders: Record<string, (input: Buffer) => Buffer> = {
    gzip: (input) => zlib.gzipSync(input),
    'x-gzip': (input) => zlib.gzipSync(input),
    deflate: (input) => zlib.deflateSync(input),
    br: (input) => zlib.brotliCompressSync(input),
  }

  it.each(['gzip', 'x-gzip', 'deflate', 'br'])('%s is decoded', async (coding) => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': coding })
      res.end(encoders[coding]!(Buffer.from(text)))
    })
    const response = await streamRequest(agent(), new URL(server.url), engineInit())
    expect(await readAll(response.body)).toBe(text)
  })

  it('deflate without its zlib wrapper (as some servers send it) is decoded too', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'deflate' })
      res.end(zlib.deflateRawSync(Buffer.from(text)))
    })
    const response = await streamRequest(agent(), new URL(server.url), engineInit())
    expect(await readAll(response.body)).toBe(text)
  })

  it('several codings are undone last first; an unknown one leaves the body as sent', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/both') {
        res.writeHead(200, { 'Content-Encoding': 'gzip, br' })
        res.end(zlib.brotliCompressSync(zlib.gzipSync(Buffer.from(text))))
      } else {
        res.writeHead(200, { 'Content-Encoding': 'compress' }).end('as is')
      }
    })
    const both = await streamRequest(agent(), new URL('/both', server.url), engineInit())
    expect(await readAll(both.body)).toBe(text)
    const unknown = await streamRequest(agent(), new URL('/other', server.url), engineInit())
    expect(await readAll(unknown.body)).toBe('as is')
  })

  it('hands on each flushed piece of a gzip stream as it arrives, before the stream ends', async () => {
    let gzip: zlib.Gzip | null = null
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'gzip' })
      gzip = zlib.createGzip()
      gzip.pipe(res)
      gzip.write('data: first\n\n')
      gzip.flush()
    })
    const response = await streamRequest(agent(), new URL(server.url), engineInit())
    const reader = response.body!.getReader()
    const first = await reader.read()
    expect(Buffer.from(first.value!).toString()).toBe('data: first\n\n')
    gzip!.end('data: last\n\n')
    expect(await readAll({ getReader: () => reader, cancel: reader.cancel })).toBe('data: last\n\n')
  })

  it('more than five codings are refused', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip,gzip,gzip,gzip,gzip,gzip' }).end()
    })
    await expect(streamRequest(agent(), new URL(server.url), engineInit())).rejects.toThrow(
      /too many content-encodings/,
    )
  })
})

describe('ending the stream', () => {
  /** A server that keeps the stream open and tells when the connection closes. */
  async function openStream(): Promise<{ server: SseServer; closed: Promise<void> }> {
    let closed!: () => void
    const whenClosed = new Promise<void>((resolve) => (closed = resolve))
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' })
      res.write('data: one\n\n')
      res.on('close', () => closed())
    })
    return { server, closed: whenClosed }
  }

  it('cancel() closes the connection and ends the reads', async () => {
    const { server, closed } = await openStream()
    const response = await streamRequest(agent(), new URL(server.url), engineInit())
    const reader = response.body!.getReader()
    await reader.read()
    await reader.cancel()
    await closed
    expect(await reader.read()).toEqual({ done: true, value: undefined })
  })

  it('the signal closes the connection; a read waiting then fails with its reason', async () => {
    const { server, closed } = await openStream()
    const controller = new AbortController()
    const response = await streamRequest(
      agent(),
      new URL(server.url),
      engineInit(controller.signal),
    )
    const reader = response.body!.getReader()
    await reader.read()
    const pending = reader.read()
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    await closed
  })

  it('a signal aborted before the answer rejects the request with its reason', async () => {
    const server = await serve(() => {})
    const controller = new AbortController()
    const request = streamRequest(agent(), new URL(server.url), engineInit(controller.signal))
    await server.request(0)
    controller.abort()
    await expect(request).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('a connection dropped mid-stream fails the read with undici’s socket error', async () => {
    const { server } = await openStream()
    const response = await streamRequest(agent(), new URL(server.url), engineInit())
    const reader = response.body!.getReader()
    await reader.read()
    server.dropConnections()
    const error = await reader.read().catch((caught: unknown) => caught)
    expect(networkErrorCode(error)).toBe('UND_ERR_SOCKET')
  })

  it('delivers a long body whole and in order while reads come slower than the bytes', async () => {
    const block = Buffer.alloc(16 * 1024, 'x')
    const server = await serve(async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' })
      for (let i = 0; i < 256; i++) {
        block.write(String(i).padStart(4, '0'), 0)
        if (!res.write(Buffer.from(block))) await once(res, 'drain')
      }
      res.end()
    })
    const response = await streamRequest(agent(), new URL(server.url), engineInit())
    const reader = response.body!.getReader()
    const received: Buffer[] = []
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve))
      const { done, value } = await reader.read()
      if (done) break
      received.push(Buffer.from(value))
    }
    const all = Buffer.concat(received)
    expect(all.length).toBe(256 * block.length)
    for (let i = 0; i < 256; i++)
      expect(all.toString('utf8', i * block.length, i * block.length + 4)).toBe(
        String(i).padStart(4, '0'),
      )
  })
})

/**
 * A dispatcher that answers at once and records how the request's controller is used. Like
 * undici, resuming hands over at once, inside that call, what the socket holds (`holdForResume`).
 */
function answering() {
  const calls: string[] = []
  let handler!: Dispatcher.DispatchHandler
  let held: Buffer | null = null
  const controller = {
    aborted: false,
    paused: false,
    reason: null,
    pause: () => calls.push('pause'),
    resume: () => {
      calls.push('resume')
      const bytes = held
      held = null
      if (bytes) handler.onResponseData?.(controller, bytes)
    },
    abort: () => calls.push('abort'),
  }
  const dispatcher = {
    dispatch(_options: Dispatcher.DispatchOptions, given: Dispatcher.DispatchHandler) {
      handler = given
      handler.onRequestStart?.(controller, {})
      handler.onResponseStart?.(controller, 200, { 'content-type': 'text/event-stream' }, 'OK')
      return true
    },
  } as unknown as Dispatcher
  return {
    calls,
    dispatcher,
    /** A chunk from the socket: this many bytes of "x", or this text. */
    data: (chunk: number | string) =>
      handler.onResponseData?.(
        controller,
        typeof chunk === 'number' ? Buffer.alloc(chunk, 'x') : Buffer.from(chunk),
      ),
    end: () => handler.onResponseEnd?.(controller, {}),
    fail: (error: Error) => handler.onResponseError?.(controller, error),
    holdForResume: (text: string) => (held = Buffer.from(text)),
  }
}

describe('backpressure, against undici’s controller', () => {
  it('pauses the socket once 64 KiB wait unread, and resumes it when half is read', async () => {
    const { calls, dispatcher, data } = answering()
    const response = await streamRequest(dispatcher, new URL('http://127.0.0.1/'), engineInit())
    const reader = response.body!.getReader()
    for (let i = 0; i < 15; i++) data(4096)
    expect(calls).toEqual([])
    data(4096)
    expect(calls).toEqual(['pause'])
    data(4096) // still arriving (already read from the socket): queued, not lost
    // 68 KiB wait; reading 36 KiB leaves 32 KiB, still not under half the mark.
    for (let i = 0; i < 9; i++) await reader.read()
    expect(calls).toEqual(['pause'])
    await reader.read()
    expect(calls).toEqual(['pause', 'resume'])
    let bytes = 10 * 4096
    for (let i = 0; i < 7; i++) bytes += (await reader.read()).value!.length
    expect(bytes).toBe(17 * 4096)
  })
})

describe('a subscribed body, against undici’s controller', () => {
  function sink() {
    const got: string[] = []
    return {
      got,
      sink: {
        chunk: (bytes: Uint8Array) => got.push(Buffer.from(bytes).toString()),
        end: () => got.push('(end)'),
        error: (error: unknown) => got.push(`(error: ${(error as Error).message})`),
      },
    }
  }

  it('hands each chunk over in the network’s own call, those queued before first', async () => {
    const net = answering()
    const response = await streamRequest(net.dispatcher, new URL('http://127.0.0.1/'), engineInit())
    net.data('a')
    net.data('b')
    const { got, sink: into } = sink()
    response.body!.subscribe!(into, false)
    expect(got).toEqual(['a', 'b'])
    net.data('c')
    expect(got).toEqual(['a', 'b', 'c'])
    net.end()
    expect(got).toEqual(['a', 'b', 'c', '(end)'])
  })

  it('while paused, chunks queue and the end waits behind them; resume hands them on', async () => {
    const net = answering()
    const response = await streamRequest(net.dispatcher, new URL('http://127.0.0.1/'), engineInit())
    const { got, sink: into } = sink()
    const flow = response.body!.subscribe!(into, true)
    net.data('a')
    flow.resume()
    expect(got).toEqual(['a'])
    flow.pause()
    net.data('b')
    net.data('c')
    net.fail(new Error('socket hang up'))
    expect(got).toEqual(['a'])
    flow.resume()
    expect(got).toEqual(['a', 'b', 'c', '(error: socket hang up)'])
  })

  it('a pause from inside a chunk holds the rest, in order', async () => {
    const net = answering()
    const response = await streamRequest(net.dispatcher, new URL('http://127.0.0.1/'), engineInit())
    const got: string[] = []
    const flow = response.body!.subscribe!(
      {
        chunk: (bytes) => {
          got.push(Buffer.from(bytes).toString())
          if (got.length === 2) flow.pause()
        },
        end: () => got.push('(end)'),
        error: () => got.push('(error)'),
      },
      true,
    )
    for (const text of ['a', 'b', 'c', 'd']) net.data(text)
    net.end()
    flow.resume()
    expect(got).toEqual(['a', 'b'])
    flow.resume()
    expect(got).toEqual(['a', 'b', 'c', 'd', '(end)'])
  })

  it('pauses the socket once 64 KiB wait behind a paused sink, and resumes it when they go', async () => {
    const net = answering()
    const response = await streamRequest(net.dispatcher, new URL('http://127.0.0.1/'), engineInit())
    const { got, sink: into } = sink()
    const flow = response.body!.subscribe!(into, true)
    for (let i = 0; i < 16; i++) net.data('x'.repeat(4096))
    expect(net.calls).toEqual(['pause'])
    flow.resume()
    expect(net.calls).toEqual(['pause', 'resume'])
    expect(got.join('').length).toBe(16 * 4096)
  })

  it('after cancel() the sink hears nothing more', async () => {
    const net = answering()
    const response = await streamRequest(net.dispatcher, new URL('http://127.0.0.1/'), engineInit())
    const { got, sink: into } = sink()
    response.body!.subscribe!(into, false)
    net.data('a')
    await response.body!.cancel()
    net.data('b')
    net.end()
    expect(got).toEqual(['a'])
    expect(net.calls).toEqual(['abort'])
  })

  it('keeps the order when resuming the socket hands over its bytes inside that call (as undici does)', async () => {
    const net = answering()
    const response = await streamRequest(net.dispatcher, new URL('http://127.0.0.1/'), engineInit())
    const { got, sink: into } = sink()
    const flow = response.body!.subscribe!(into, true)
    // One chunk past the mark waits behind the paused sink (the socket is paused), and the socket
    // holds one more: taking the first off the queue resumes the socket, which hands that over.
    net.data('first'.padEnd(70 * 1024))
    net.holdForResume('last')
    flow.resume()
    expect(got.map((chunk) => chunk.trim())).toEqual(['first', 'last'])
  })
})
