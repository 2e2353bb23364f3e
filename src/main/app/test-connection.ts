// "Test connection" in the feed form: one request with the feed's headers, reporting the HTTP
// status and the first event (if one arrives soon), then hanging up.
import { createParser } from 'eventsource-parser'
import type { TestConnectionResult } from '../../shared/ipc.ts'
import { isEventStreamContentType } from '../feeds/content-type.ts'
import { describeNetworkError } from '../feeds/network-error.ts'

export interface TestConnectionOptions {
  url: string
  headers: Record<string, string>
  fetch: (url: string, init: RequestInit) => Promise<Response>
  /** How long to wait for the response headers. Default 10 s. */
  connectTimeoutMs?: number
  /** How long to wait for a first event once connected. Default 3 s. */
  firstEventTimeoutMs?: number
  /** Most bytes read while looking for the first event. Default 1 MiB. */
  maxBytes?: number
}

export async function testConnection(
  options: TestConnectionOptions,
): Promise<TestConnectionResult> {
  const abort = new AbortController()
  const connectTimer = setTimeout(() => abort.abort(), options.connectTimeoutMs ?? 10_000)
  let response: Response
  try {
    response = await options.fetch(options.url, {
      headers: { ...options.headers, accept: 'text/event-stream', 'cache-control': 'no-store' },
      signal: abort.signal,
      redirect: 'follow',
    })
  } catch (error) {
    return {
      ok: false,
      error: abort.signal.aborted
        ? 'No answer within the time limit.'
        : describeNetworkError(error),
    }
  } finally {
    clearTimeout(connectTimer)
  }
  try {
    const status = response.status
    if (status === 204)
      return {
        ok: false,
        status,
        error: 'The server answered 204 No Content: it has nothing to stream.',
      }
    if (status < 200 || status >= 300)
      return {
        ok: false,
        status,
        error: `The server answered HTTP ${status} ${response.statusText}`.trim(),
      }
    const type = response.headers.get('content-type') ?? ''
    if (!isEventStreamContentType(type))
      return {
        ok: false,
        status,
        error: `The server sent ${type || 'no content type'}, not text/event-stream.`,
      }
    const event = await firstEvent(
      response,
      options.firstEventTimeoutMs ?? 3000,
      options.maxBytes ?? 1024 * 1024,
    )
    return { ok: true, status, event }
  } finally {
    abort.abort()
  }
}

async function firstEvent(
  response: Response,
  timeoutMs: number,
  maxBytes: number,
): Promise<{ type: string; data: string; id: string } | null> {
  const body = response.body
  if (!body) return null
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let found: { type: string; data: string; id: string } | null = null
  let lastId = ''
  const parser = createParser({
    onEvent(message) {
      if (message.id !== undefined) lastId = message.id
      found ??= { type: message.event ?? 'message', data: message.data, id: lastId }
    },
  })
  const timer = setTimeout(() => void reader.cancel().catch(() => {}), timeoutMs)
  let bytes = 0
  try {
    while (!found && bytes < maxBytes) {
      const { done, value } = await reader.read()
      if (done) break
      bytes += value.byteLength
      parser.feed(decoder.decode(value, { stream: true }))
    }
  } catch {
    // Cancelled by the timer or the connection dropped: whatever was found stands.
  } finally {
    clearTimeout(timer)
    void reader.cancel().catch(() => {})
  }
  return found
}
