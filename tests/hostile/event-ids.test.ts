// Hostile event ids, one row each: an id with a control character and an id of 900 KB cannot go
// into a Last-Event-ID header. Such an id is delivered with its event but never becomes the
// resume position, is never persisted, and the feed keeps the position it had. A request the
// server refuses for its headers (HTTP 431), or one refused locally for a header we sent, is
// retried once without Last-Event-ID, and the feed's state says so. Through the engine, the CLI
// and the app pipeline.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FetchLike } from '../../src/main/feeds/index.ts'
import { fake } from '../setup/electron.ts'
import { openStream, streamChunks, type SseHandler } from '../support/sse-server.ts'
import { hostileKit, savedPositions } from './kit.ts'
import { runCli } from './support.ts'

const { serve, engine, app: kitApp } = hostileKit(afterEach)
beforeEach(() => fake.reset())

const hostileIds: Array<[label: string, id: string]> = [
  ['an id with U+0001', 'bad\u0001id'],
  ['an id with ESC', 'bad\u001b[31mid'],
  ['an id of 900 KB', 'x'.repeat(900_000)],
  ['an id of 1025 bytes of UTF-8', 'é'.repeat(512) + 'x'],
]

/** First connection: a good id, then the hostile one, then a clean end; later ones stay open. */
const withHostileId =
  (id: string): SseHandler =>
  (_req, res, request) => {
    if (request.index === 0)
      streamChunks(res, [`retry: 250\nid: 1\ndata: good\n\nid: ${id}\ndata: hostile\n\n`])
    else {
      openStream(res)
      res.write('id: 2\ndata: next\n\n')
    }
  }

describe('an id that cannot go into a header', () => {
  it.each(hostileIds)(
    '%s: delivered with its event; the next request resumes from the id before it',
    async (_label, id) => {
      const server = await serve(withHostileId(id))
      const { feeds, rec } = engine({ url: server.url })
      await rec.untilEvents(3)
      expect(rec.events.map((e) => [e.id, e.data])).toEqual([
        ['1', 'good'],
        [id, 'hostile'],
        ['2', 'next'],
      ])
      expect(server.requests.map((r) => r.lastEventId)).toEqual([null, '1'])
      expect(rec.stateKinds().filter((k) => k === 'failed')).toEqual([])
      expect(feeds.lastEventIds()).toEqual({ h: '2' })
    },
  )

  it('an id of exactly 1 KiB of UTF-8 is a resume position', async () => {
    const id = 'é'.repeat(512)
    const server = await serve(withHostileId(id))
    const { rec } = engine({ url: server.url })
    await rec.untilEvents(3)
    expect(server.requests.map((r) => r.lastEventId)).toEqual([null, id])
  })

  it('a tab is allowed in an id (it can go into a header)', async () => {
    const id = 'a\tb'
    const server = await serve(withHostileId(id))
    const { rec } = engine({ url: server.url })
    await rec.untilEvents(3)
    expect(server.requests.map((r) => r.lastEventId)).toEqual([null, id])
  })

  it.each(hostileIds)('%s: never persisted by the app', async (_label, id) => {
    const server = await serve(withHostileId(id))
    const app = await kitApp(server.url)
    await app.until(() => app.renderedEvents().length >= 2, 'two events', 10_000)
    await app.stop()
    expect(['1', '2']).toContain((await savedPositions(app.dir))['h'])
    expect(app.renderedEvents()[1]).toMatchObject({ id, data: 'hostile' })
  })

  it.each(hostileIds)('%s: `tidings tail` goes on from the id before it', async (_label, id) => {
    const server = await serve(withHostileId(id))
    const { code, stdout } = await runCli(['tail', server.url, '--json', '--max-events', '3'])
    expect(code).toBe(0)
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; data: string })
    expect(lines.map((l) => [l.id, l.data])).toEqual([
      ['1', 'good'],
      [id, 'hostile'],
      ['2', 'next'],
    ])
    expect(server.requests[1]?.lastEventId).toBe('1')
  })

  it.each(hostileIds)(
    '%s stored by an older version: not sent, the feed starts afresh',
    async (_label, id) => {
      const server = await serve((_req, res) => {
        openStream(res)
        res.write('id: 7\ndata: fresh\n\n')
      })
      const { rec } = engine({ url: server.url, lastEventId: id })
      await rec.untilEvents(1)
      expect(server.requests[0]?.lastEventId).toBeNull()
      expect(rec.stateKinds()).toEqual(['connecting', 'open'])
    },
  )

  it('stored by an older version in state.json: the app starts without it', async () => {
    const server = await serve((_req, res) => {
      openStream(res)
      res.write('id: 7\ndata: fresh\n\n')
    })
    const app = await kitApp(server.url, (dir) =>
      writeFile(
        join(dir, 'state.json'),
        JSON.stringify({ lastEventIds: { h: `old\u0001${'y'.repeat(2000)}` }, lastSeq: 0 }),
      ),
    )
    await app.until(() => app.renderedEvents().length >= 1, 'an event', 10_000)
    await app.stop()
    expect(server.requests[0]?.lastEventId).toBeNull()
    expect(await savedPositions(app.dir)).toEqual({ h: '7' })
  })
})

describe('a request refused for its headers', () => {
  it('HTTP 431 with Last-Event-ID: retried once without it, and the state says so', async () => {
    const server = await serve((_req, res, request) => {
      if (request.lastEventId !== null) {
        res.writeHead(431, 'Request Header Fields Too Large').end()
        return
      }
      openStream(res)
      res.write('id: 9\ndata: from the start\n\n')
    })
    const { feeds, rec } = engine({ url: server.url, lastEventId: 'a'.repeat(1000) })
    await rec.untilEvents(1)
    const retry = rec.states.find((s) => s.state.kind === 'reconnecting')?.state
    expect(retry).toMatchObject({
      kind: 'reconnecting',
      reason: expect.stringMatching(
        /^HTTP 431 Request Header Fields Too Large: trying once more without the resume position \(Last-Event-ID\)/,
      ),
    })
    expect(server.requests.map((r) => r.lastEventId)).toEqual(['a'.repeat(1000), null])
    expect(feeds.lastEventIds()).toEqual({ h: '9' })
  })

  it('HTTP 431 again without Last-Event-ID: the feed fails (its own headers are too large)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(431, 'Request Header Fields Too Large').end()
    })
    const { rec } = engine({ url: server.url, lastEventId: '5' })
    const failed = await rec.nextState('failed')
    expect(failed).toMatchObject({
      kind: 'failed',
      reason: 'HTTP 431 Request Header Fields Too Large',
      status: 431,
    })
    expect(server.requests.map((r) => r.lastEventId)).toEqual(['5', null])
  })

  it('refused locally for a header we sent: retried once without Last-Event-ID', async () => {
    const server = await serve((_req, res) => {
      openStream(res)
      res.write('id: 3\ndata: ok\n\n')
    })
    // A stricter HTTP stack than ours, refusing the id as a header value before sending anything.
    const strict: FetchLike = (url, init, context) => {
      const headers = init.headers as Record<string, string>
      if (headers['Last-Event-ID'] !== undefined)
        return Promise.reject(
          new TypeError('fetch failed', {
            cause: Object.assign(new Error('invalid Last-Event-ID header'), {
              code: 'UND_ERR_INVALID_ARG',
            }),
          }),
        )
      return globalThis.fetch(url, init).then((r) => (void context, r))
    }
    const { rec } = engine({ url: server.url, lastEventId: 'stored' }, { fetch: strict })
    await rec.untilEvents(1)
    const retry = rec.states.find((s) => s.state.kind === 'reconnecting')?.state
    expect(retry).toMatchObject({
      reason: expect.stringMatching(
        /invalid Last-Event-ID header.*: trying once more without the resume position/,
      ),
    })
    expect(server.requests.map((r) => r.lastEventId)).toEqual([null])
  })
})
