// Hostile streams, one row each: a 10 MB event, a line that never ends, and headers with line
// breaks handed to the engine without validation. Each becomes a clear state; what came before
// is delivered; nothing crashes; memory stays bounded by the event size limit and work by four
// times it (bytes without a complete event end the connection).
import { afterEach, describe, expect, it } from 'vitest'
import { FeedManager } from '../../src/main/feeds/index.ts'
import type { FeedConfig } from '../../src/shared/feed.ts'
import { FeedRecorder } from '../support/feed-recorder.ts'
import { openStream, startSseServer, type SseHandler } from '../support/sse-server.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function serve(handler: SseHandler) {
  const server = await startSseServer(handler)
  cleanups.push(() => server.close())
  return server
}

function run(config: Omit<FeedConfig, 'id' | 'name'>) {
  const feeds = new FeedManager({ random: () => 0.01 })
  cleanups.push(() => feeds.dispose())
  const rec = new FeedRecorder(feeds)
  feeds.apply([{ id: 'h', name: 'H', ...config }])
  return { feeds, rec }
}

const MB = 1_000_000

describe('a 10 MB single event', () => {
  const tenMb: SseHandler = (_req, res) => {
    openStream(res)
    res.write('id: 1\ndata: before\n\n')
    res.write(`id: 2\ndata: {"title":"huge","body":"${'x'.repeat(10 * MB)}"}\n\n`)
    res.end('id: 3\ndata: after\n\n')
  }

  it('over the default 1 MiB limit: the feed fails with the reason, earlier events kept', async () => {
    const server = await serve(tenMb)
    const { rec } = run({ url: server.url })
    const failed = await rec.nextState('failed')
    expect(failed).toMatchObject({ kind: 'failed', reason: 'event larger than the limit of 1 MiB' })
    expect(rec.data).toEqual(['before'])
  })

  it('under a raised limit: delivered whole, then the stream goes on', async () => {
    const server = await serve(tenMb)
    const { rec } = run({
      url: server.url,
      maxEventSize: 16 * 1024 * 1024,
      streamEndMeansFinished: true,
    })
    await rec.nextState('stopped')
    expect(rec.events.map((e) => [e.id, e.data.length])).toEqual([
      ['1', 6],
      ['2', 10 * MB + 26],
      ['3', 5],
    ])
  })
})

describe('a line that never ends', () => {
  // Writes the start of a line, then 64 KiB pieces with no line break until the client hangs up
  // (at most 32 MiB, so a client that never gives up cannot keep the test going).
  const endless = (start: string) => {
    const sent = { bytes: 0, hungUp: false }
    let hangUp = () => {}
    const hungUp = new Promise<void>((resolve) => (hangUp = resolve))
    const handler: SseHandler = (_req, res) => {
      openStream(res)
      res.write('id: 1\ndata: first\n\n')
      res.write(start)
      const piece = 'y'.repeat(64 * 1024)
      res.on('close', () => {
        sent.hungUp = true
        hangUp()
      })
      const pump = () => {
        while (!sent.hungUp && sent.bytes < 32 * 1024 * 1024) {
          sent.bytes += piece.length
          if (!res.write(piece)) return void res.once('drain', pump)
        }
      }
      pump()
    }
    return { sent, handler, hungUp }
  }

  it.each([
    ['a data line', 'data: '],
    ['an id line', 'id: '],
    ['an event type line', 'event: '],
    ['a retry line', 'retry: '],
  ])('%s: the feed fails at the limit and hangs up', async (_label, start) => {
    const { sent, handler, hungUp } = endless(start)
    const server = await serve(handler)
    const { rec } = run({ url: server.url })
    const failed = await rec.nextState('failed')
    expect(failed.kind === 'failed' && failed.reason).toBe('event larger than the limit of 1 MiB')
    expect(rec.data).toEqual(['first'])
    await hungUp
    expect(sent.bytes).toBeLessThan(32 * 1024 * 1024)
  })

  const notFields = [
    ['a comment line', ': '],
    ['an unknown field', 'x-field: '],
    ['a field name that cannot be one the standard knows', 'field-name-'],
  ]
  /** `id: 1` first, then `start` and `size` bytes without a line break, then `id: 2`. */
  const longLine = (start: string, size: number): SseHandler => {
    return (_req, res) => {
      openStream(res)
      res.write(`id: 1\ndata: first\n\n${start}`)
      const piece = 'z'.repeat(64 * 1024)
      let sent = 0
      const pump = () => {
        while (sent < size && !res.destroyed) {
          sent += piece.length
          if (!res.write(piece)) return void res.once('drain', pump)
        }
        res.write('\nid: 2\ndata: after\n\n')
      }
      pump()
    }
  }

  it.each(notFields)(
    '%s of 2 MiB: skipped without being buffered; the event after it arrives',
    async (_label, start) => {
      const server = await serve(longLine(start, 2 * 1024 * 1024))
      const { rec, feeds } = run({ url: server.url })
      await rec.untilEvents(2)
      expect(rec.data).toEqual(['first', 'after'])
      expect(feeds.getState('h')).toEqual({ kind: 'open' })
    },
  )

  it.each(notFields)(
    '%s of 16 MiB: the connection ends after 4 MiB (4 × the event limit) and backs off',
    async (_label, start) => {
      const server = await serve(longLine(start, 16 * 1024 * 1024))
      const { rec } = run({ url: server.url })
      const state = await rec.nextState('reconnecting')
      expect(state).toMatchObject({
        kind: 'reconnecting',
        attempt: 1,
        delayMs: 10,
        reason: '4 MiB of data without a complete event',
      })
      expect(rec.data).toEqual(['first'])
      // It resumes from the event before the line, and the next wait is longer.
      expect((await server.request(1)).lastEventId).toBe('1')
      await rec.until(() => rec.stateKinds().filter((k) => k === 'reconnecting').length >= 2)
      expect(rec.states.filter((s) => s.state.kind === 'reconnecting')[1]!.state).toMatchObject({
        attempt: 2,
        delayMs: 20,
      })
    },
  )
})

describe('headers with line breaks that skipped validation', () => {
  it.each([
    ['CRLF in a value', { 'X-Team': 'ops\r\nX-Admin: true' }],
    ['LF in a value', { 'X-Team': 'ops\nX-Admin: true' }],
    ['NUL in a value', { 'X-Team': 'ops\0' }],
    ['CRLF in a name', { 'X-Evil\r\nX-Admin': 'true' }],
  ])('%s: never sent; the feed shows why it cannot connect', async (_label, headers) => {
    const server = await serve((_req, res) => openStream(res))
    const { rec, feeds } = run({ url: server.url, headers })
    const state = await rec.nextState('reconnecting')
    expect(state.kind === 'reconnecting' && state.reason).toMatch(/header/i)
    feeds.dispose()
    expect(server.requests).toEqual([])
  })
})
