// The id reported with each event, and the resume position, as the HTML standard defines them
// (9.2.6): the last event ID carries over to later events without an `id:` line (on later
// connections too), an `id:` with an empty value resets it, and a block with an `id:` line and no
// data dispatches nothing but still moves the position that the next request sends. Dedupe stays
// right with both rules: an id carried over is not a re-sent event. Through the engine, the CLI
// and the app pipeline.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fake } from '../setup/electron.ts'
import { openStream, streamChunks, type SseHandler } from '../support/sse-server.ts'
import { hostileKit, savedPositions } from './kit.ts'
import { runCli } from './support.ts'

const { serve, engine, app: kitApp } = hostileKit(afterEach)
beforeEach(() => fake.reset())

/** Serves `connections[i]` to request i (each ends cleanly but the last, which stays open). */
const scripted =
  (...connections: string[]): SseHandler =>
  (_req, res, request) => {
    const body = connections[request.index]
    if (body === undefined) return openStream(res)
    if (request.index === connections.length - 1) {
      openStream(res)
      res.write(body)
    } else streamChunks(res, [`retry: 250\n${body}`])
  }

describe('the last event ID carries over', () => {
  it('to a later event without an id, on the same connection and on the next one', async () => {
    const server = await serve(
      scripted('id: 5\ndata: a\n\ndata: b\n\n', 'data: c\n\nid: 6\ndata: d\n\n'),
    )
    const { rec } = engine({ url: server.url })
    await rec.untilEvents(4)
    expect(rec.events.map((e) => [e.data, e.id])).toEqual([
      ['a', '5'],
      ['b', '5'],
      ['c', '5'],
      ['d', '6'],
    ])
    expect(server.requests.map((r) => r.lastEventId)).toEqual([null, '5'])
  })

  it('from a stored id to the first events of a run', async () => {
    const server = await serve(scripted('data: first of this run\n\n'))
    const { rec } = engine({ url: server.url, lastEventId: '41' })
    await rec.untilEvents(1)
    expect(rec.events.map((e) => [e.data, e.id])).toEqual([['first of this run', '41']])
  })

  it('an id carried over is not a re-sent event: it is delivered; a re-sent id is dropped', async () => {
    const server = await serve(
      scripted('id: 5\ndata: a\n\n', 'id: 5\ndata: a (re-sent)\n\ndata: new, no id\n\n'),
    )
    const { rec } = engine({ url: server.url })
    await rec.untilEvents(2)
    expect(rec.events.map((e) => [e.data, e.id])).toEqual([
      ['a', '5'],
      ['new, no id', '5'],
    ])
  })

  it('in `tidings tail --json`', async () => {
    const server = await serve(scripted('id: 5\ndata: a\n\n', 'data: b\n\n'))
    const { code, stdout } = await runCli(['tail', server.url, '--json', '--max-events', '2'])
    expect(code).toBe(0)
    const ids = stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id)
    expect(ids).toEqual(['5', '5'])
  })

  it('in the app’s log and history', async () => {
    const server = await serve(scripted('id: 5\ndata: a\n\n', 'data: b\n\n'))
    const app = await kitApp(server.url)
    await app.until(() => app.renderedEvents().length >= 2, 'two events', 10_000)
    await app.stop()
    expect(app.renderedEvents().map((e) => e.id)).toEqual(['5', '5'])
    expect(app.history.events().map((e) => e.id)).toEqual(['5', '5'])
  })
})

describe('an empty id resets the last event ID', () => {
  it('for later events and for the next request', async () => {
    const server = await serve(scripted('id: 5\ndata: a\n\nid:\ndata: b\n\ndata: c\n\n', ''))
    const { rec } = engine({ url: server.url })
    await rec.untilEvents(3)
    await server.request(1)
    expect(rec.events.map((e) => [e.data, e.id])).toEqual([
      ['a', '5'],
      ['b', ''],
      ['c', ''],
    ])
    expect(server.requests.map((r) => r.lastEventId)).toEqual([null, null])
  })

  it('also as the first field of a new connection', async () => {
    const server = await serve(scripted('id: 5\ndata: a\n\n', 'id\ndata: b\n\n'))
    const { rec, feeds } = engine({ url: server.url })
    await rec.untilEvents(2)
    expect(rec.events.map((e) => [e.data, e.id])).toEqual([
      ['a', '5'],
      ['b', ''],
    ])
    expect(feeds.lastEventIds()).toEqual({})
  })
})

describe('a block with an id and no data', () => {
  it('dispatches nothing but moves the position the next request sends', async () => {
    const server = await serve(scripted('id: 1\ndata: a\n\nid: 2\n\n', 'data: b\n\n'))
    const { rec } = engine({ url: server.url })
    await rec.untilEvents(2)
    expect(rec.events.map((e) => [e.data, e.id])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ])
    expect(server.requests.map((r) => r.lastEventId)).toEqual([null, '2'])
  })

  it('on a connection with no event at all', async () => {
    const server = await serve(scripted('id: 3\n\n: just a comment\n\n', 'id: 4\ndata: b\n\n'))
    const { rec } = engine({ url: server.url, lastEventId: '2' })
    await rec.untilEvents(1)
    expect(server.requests.map((r) => r.lastEventId)).toEqual(['2', '3'])
  })

  it('an unfinished one (no empty line before the end) moves nothing', async () => {
    const server = await serve(scripted('id: 1\ndata: a\n\nid: 2\n', 'data: b\n\n'))
    const { rec } = engine({ url: server.url })
    await rec.untilEvents(2)
    expect(server.requests.map((r) => r.lastEventId)).toEqual([null, '1'])
  })

  it('an id-only block whose id cannot go into a header moves nothing', async () => {
    const server = await serve(scripted('id: 1\ndata: a\n\nid: x\u0001\n\n', 'data: b\n\n'))
    const { rec } = engine({ url: server.url })
    await rec.untilEvents(2)
    expect(server.requests.map((r) => r.lastEventId)).toEqual([null, '1'])
    expect(rec.events.map((e) => e.id)).toEqual(['1', 'x\u0001'])
  })

  it('is persisted by the app as the feed’s resume position', async () => {
    const server = await serve((_req, res) => {
      openStream(res)
      res.write('id: 1\ndata: a\n\nid: 2\n\n')
    })
    const app = await kitApp(server.url)
    await app.until(() => app.renderedEvents().length >= 1, 'an event', 10_000)
    // The id-only block is in the same write as the event: it has been read by now.
    await app.stop()
    expect(await savedPositions(app.dir)).toEqual({ h: '2' })
  })
})
