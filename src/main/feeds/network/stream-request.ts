// One feed request on an undici dispatcher, its body handed on chunk by chunk as undici parses it.
// fetch() puts four layers between the socket and the reader (a Node Readable, its async
// iterator, a web ReadableStream and its reader, each with its promises and queue), which on a
// stream of one small event per packet cost more than the parsing. Here a chunk goes from
// undici's handler straight to a pending read, or into a short queue; the socket is paused once
// the reader falls 64 KiB behind. What fetch adds to a request and does with a response is kept:
// the same default headers, decoded content codings, no redirect followed (the engine follows
// them itself), the AbortSignal. Only what the feed engine reads is offered (FeedResponse).
import { pipeline, Transform } from 'node:stream'
import zlib from 'node:zlib'
import type { Dispatcher } from 'undici'
import type { BodyFlow, BodySink, FeedBody, FeedResponse } from '../feed-connection.ts'

/** Queued bytes past which the socket is paused until the reader catches up. */
const HIGH_WATER = 64 * 1024
/** At most this many content codings are decoded (as fetch: more is refused). */
const MAX_CODINGS = 5
/** Statuses without a body, whose content coding is not decoded (as fetch). */
const NULL_BODY = new Set([101, 204, 205, 304])

type ReadResult = ReadableStreamReadResult<Uint8Array>
const DONE: ReadResult = Object.freeze({ done: true, value: undefined })

/** The part of undici's dispatch controller this uses. */
interface Controller {
  abort(reason: Error): void
  pause(): void
  resume(): void
}

/** A response body read by one reader: chunks queue until read, the socket waits past the mark. */
class StreamBody implements FeedBody {
  #queue: Uint8Array[] = []
  #head = 0
  #queued = 0
  #waiting: { resolve(result: ReadResult): void; reject(error: unknown): void } | null = null
  #ended = false
  #error: unknown = null
  #paused = false
  /** Subscribed: chunks go to the sink as they come, while it is not paused. */
  #sink: BodySink | null = null
  #sinkPaused = false
  #draining = false
  /** Pauses and resumes what feeds the body: the socket, or the decoder of a content coding. */
  source: { pause(): void; resume(): void; cancel(reason: Error): void } | null = null

  push(chunk: Uint8Array): void {
    if (this.#ended) return
    // Straight on only when nothing waits before it. Not while draining either: taking a chunk
    // off the queue can resume the socket, and undici then hands over what it holds at once,
    // inside that call, before the chunk just taken has reached the sink.
    if (
      this.#sink !== null &&
      !this.#sinkPaused &&
      !this.#draining &&
      this.#head === this.#queue.length
    ) {
      this.#sink.chunk(chunk)
      return
    }
    const waiting = this.#waiting
    if (waiting !== null) {
      this.#waiting = null
      waiting.resolve({ done: false, value: chunk })
      return
    }
    this.#queue.push(chunk)
    this.#queued += chunk.length
    if (this.#queued >= HIGH_WATER && !this.#paused) {
      this.#paused = true
      this.source?.pause()
    }
  }

  end(): void {
    if (this.#ended) return
    this.#ended = true
    const waiting = this.#waiting
    this.#waiting = null
    waiting?.resolve(DONE)
    this.#drain()
  }

  fail(error: unknown): void {
    if (this.#ended) return
    this.#ended = true
    this.#error = error
    const waiting = this.#waiting
    this.#waiting = null
    waiting?.reject(error)
    this.#drain()
  }

  subscribe(sink: BodySink, paused: boolean): BodyFlow {
    this.#sink = sink
    this.#sinkPaused = paused
    this.#drain()
    return {
      pause: () => {
        this.#sinkPaused = true
      },
      resume: () => {
        if (!this.#sinkPaused) return
        this.#sinkPaused = false
        this.#drain()
      },
    }
  }

  /** What queued while the sink was paused (or before it came), then how the body ended. */
  #drain(): void {
    if (this.#sink === null || this.#draining) return
    this.#draining = true
    try {
      while (!this.#sinkPaused && this.#sink !== null && this.#head < this.#queue.length) {
        const value = this.#take()
        this.#sink.chunk(value)
      }
      const sink = this.#sink
      if (sink === null || this.#sinkPaused || this.#head < this.#queue.length || !this.#ended)
        return
      this.#sink = null
      if (this.#error !== null) sink.error(this.#error)
      else sink.end()
    } finally {
      this.#draining = false
    }
  }

  /** The oldest queued chunk, taken off the queue (the socket resumes once it is half empty). */
  #take(): Uint8Array {
    const value = this.#queue[this.#head]!
    this.#queue[this.#head++] = undefined as unknown as Uint8Array
    if (this.#head === this.#queue.length) {
      this.#queue = []
      this.#head = 0
    }
    this.#queued -= value.length
    if (this.#paused && this.#queued < HIGH_WATER / 2) {
      this.#paused = false
      this.source?.resume()
    }
    return value
  }

  read = (): Promise<ReadResult> => {
    if (this.#head < this.#queue.length)
      return Promise.resolve({ done: false, value: this.#take() })
    if (this.#error !== null) return Promise.reject(this.#error)
    if (this.#ended) return Promise.resolve(DONE)
    if (this.#waiting !== null) return Promise.reject(new TypeError('a read is already pending'))
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }))
  }

  cancel = async (reason?: unknown): Promise<void> => {
    this.#sink = null
    this.#queue = []
    this.#head = 0
    this.#queued = 0
    const error = reason instanceof Error ? reason : new Error('the body was cancelled')
    this.end()
    this.source?.cancel(error)
  }

  getReader(): ReturnType<FeedBody['getReader']> {
    return { read: this.read, cancel: this.cancel }
  }
}

class ResponseHeaders {
  readonly #headers: Record<string, string | string[] | undefined>
  constructor(headers: Record<string, string | string[] | undefined>) {
    this.#headers = headers
  }
  /** As fetch's Headers.get: case-insensitive, repeated fields joined with ", ". */
  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()]
    if (value === undefined) return null
    return Array.isArray(value) ? value.join(', ') : value
  }
}

/** The headers fetch adds to a request that has none of them, so servers see the same request. */
function requestHeaders(url: URL, given: RequestInit['headers']): string[] {
  const flat: string[] = []
  const names = new Set<string>()
  for (const [name, value] of Object.entries((given ?? {}) as Record<string, string>)) {
    flat.push(name, value)
    names.add(name.toLowerCase())
  }
  const add = (name: string, value: string) => {
    if (!names.has(name)) flat.push(name, value)
  }
  add('accept-language', '*')
  add('sec-fetch-mode', 'cors')
  add('user-agent', 'undici')
  add('pragma', 'no-cache')
  add('accept-encoding', url.protocol === 'https:' ? 'br, gzip, deflate, zstd' : 'gzip, deflate')
  return flat
}

/** The decoders for a Content-Encoding, outermost last; none when one is unknown (as fetch). */
function decoders(encoding: string | null): Transform[] {
  if (!encoding) return []
  const codings = encoding.toLowerCase().split(',')
  if (codings.length > MAX_CODINGS)
    throw new Error(
      `too many content-encodings in response: ${codings.length}, maximum allowed is ${MAX_CODINGS}`,
    )
  const chain: Transform[] = []
  const sync = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!.trim()
    if (coding === 'gzip' || coding === 'x-gzip') chain.push(zlib.createGunzip(sync))
    else if (coding === 'deflate') chain.push(new Inflate(sync))
    else if (coding === 'br')
      chain.push(
        zlib.createBrotliDecompress({
          flush: zlib.constants.BROTLI_OPERATION_FLUSH,
          finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
        }),
      )
    else if (coding === 'zstd')
      chain.push(
        zlib.createZstdDecompress({
          flush: zlib.constants.ZSTD_e_continue,
          finishFlush: zlib.constants.ZSTD_e_end,
          params: { [zlib.constants.ZSTD_d_windowLogMax]: 23 },
        }),
      )
    else return []
  }
  return chain
}

/** `deflate` as servers send it: zlib-wrapped as the standard says, or raw (told by the first byte). */
class Inflate extends Transform {
  readonly #options: zlib.ZlibOptions
  #inner: zlib.Inflate | zlib.InflateRaw | null = null

  constructor(options: zlib.ZlibOptions) {
    super()
    this.#options = options
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void) {
    if (this.#inner === null) {
      const zlibWrapped = (chunk[0]! & 0x0f) === 0x08
      this.#inner = zlibWrapped
        ? zlib.createInflate(this.#options)
        : zlib.createInflateRaw(this.#options)
      this.#inner.on('data', (out: Buffer) => this.push(out))
      this.#inner.on('error', (error) => this.destroy(error))
    }
    this.#inner.write(chunk, () => done())
  }

  override _flush(done: (error?: Error) => void) {
    if (this.#inner === null) return done()
    this.#inner.once('end', () => done())
    this.#inner.end()
  }
}

/**
 * GET `url` through `dispatcher`, with `init`'s headers and signal. Resolves once the response
 * headers are in (any status: redirects are the caller's), rejects with undici's own error when
 * the request fails before that (a refused connection, an invalid header, the signal).
 */
export function streamRequest(
  dispatcher: Dispatcher,
  url: URL,
  init: RequestInit,
): Promise<FeedResponse> {
  const signal = init.signal ?? null
  if (signal?.aborted) return Promise.reject(signal.reason)
  return new Promise<FeedResponse>((resolve, reject) => {
    const body = new StreamBody()
    let controller: Controller | null = null
    let responded = false
    /** The first decoder of a content coding, when the body has one. */
    let decoder: Transform | null = null
    const onAbort = () => {
      const reason = signal!.reason as Error
      controller?.abort(reason)
      if (!responded) reject(reason)
      body.fail(reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const settle = () => signal?.removeEventListener('abort', onAbort)
    const fail = (error: unknown) => {
      settle()
      if (!responded) reject(error)
      else body.fail(error)
    }
    const handler = {
      onRequestStart(started: Controller) {
        controller = started
        if (signal?.aborted) started.abort(signal.reason as Error)
      },
      onResponseStart(
        _controller: Controller,
        status: number,
        headers: Record<string, string | string[] | undefined>,
        statusText?: string,
      ) {
        const responseHeaders = new ResponseHeaders(headers)
        let chain: Transform[] = []
        try {
          if (!NULL_BODY.has(status)) chain = decoders(responseHeaders.get('content-encoding'))
        } catch (error) {
          controller?.abort(error as Error)
          return
        }
        responded = true
        if (chain.length > 0) decode(chain)
        else
          body.source = {
            pause: () => controller?.pause(),
            resume: () => controller?.resume(),
            cancel: (reason) => {
              settle()
              controller?.abort(reason)
            },
          }
        resolve({
          status,
          statusText: statusText ?? '',
          url: url.href,
          redirected: false,
          headers: responseHeaders,
          body: NULL_BODY.has(status) ? null : body,
        })
      },
      onResponseData(_controller: Controller, chunk: Buffer) {
        if (decoder) {
          if (!decoder.write(chunk)) controller?.pause()
        } else body.push(chunk)
      },
      onResponseEnd() {
        settle()
        if (decoder) decoder.end()
        else body.end()
      },
      onResponseError(_controller: Controller, error: Error) {
        decoder?.destroy()
        fail(error)
      },
    }

    /** Content codings: the socket feeds the first decoder, the last one feeds the body. */
    function decode(chain: Transform[]): void {
      decoder = chain[0]!
      const last = chain.at(-1)!
      decoder.on('drain', () => controller?.resume())
      last.on('data', (chunk: Buffer) => body.push(chunk))
      body.source = {
        pause: () => last.pause(),
        resume: () => last.resume(),
        cancel: (reason) => {
          settle()
          controller?.abort(reason)
          for (const stream of chain) stream.destroy()
        },
      }
      const done = (error: Error | null | undefined) => (error ? fail(error) : body.end())
      if (chain.length === 1) {
        last.on('end', () => done(null))
        last.on('error', done)
      } else pipeline(chain, (error) => done(error))
    }

    try {
      dispatcher.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: requestHeaders(url, init.headers),
        },
        handler as unknown as Dispatcher.DispatchHandler,
      )
    } catch (error) {
      fail(error)
    }
  })
}
