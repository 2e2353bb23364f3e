// The engine options presets rely on, at the FeedManager level against exact bytes.
import { afterEach, describe, expect, it } from 'vitest'
import { FeedManager } from '../../src/main/feeds/index.ts'
import type { FeedConfig, FeedEvent } from '../../src/shared/feed.ts'
import { openStream, startSseServer, type SseServer } from '../support/sse-server.ts'

let server: SseServer | null = null
let manager: FeedManager | null = null
afterEach(async () => {
  manager?.dispose()
  await server?.close()
  manager = null
  server = null
})

function collect(config: FeedConfig, count: number): Promise<FeedEvent[]> {
  manager = new FeedManager()
  const events: FeedEvent[] = []
  return new Promise((resolve) => {
    manager!.on('event', (event) => {
      events.push(event)
      if (events.length === count) resolve(events)
    })
    manager!.apply([config])
  })
}

describe('engine options for presets', () => {
  it('ignoreEventIds: no Last-Event-ID (not even a stored one), events with empty ids, no drops', async () => {
    server = await startSseServer((_req, res, request) => {
      openStream(res)
      res.write(`id: 0\nevent: ready\ndata: {}\n\nid: 1\ndata: {"n":${request.index}}\n\n`)
      if (request.index === 0) setImmediate(() => res.socket?.destroy())
    })
    const events = await collect(
      { id: 's', name: 's', url: server.url, ignoreEventIds: true, lastEventId: '7' },
      4,
    )
    expect(server.requests.map((r) => r.lastEventId)).toEqual([null, null])
    expect(events.map((e) => [e.type, e.id, e.data])).toEqual([
      ['ready', '', '{}'],
      ['message', '', '{"n":0}'],
      ['ready', '', '{}'],
      ['message', '', '{"n":1}'],
    ])
    expect(manager!.lastEventIds()).toEqual({})
  })

  it('resumeQuery.eventTypes: only those events move the position', async () => {
    server = await startSseServer((_req, res, request) => {
      openStream(res)
      if (request.index === 0) {
        res.write(
          'event: open\ndata: {"id":"o1","event":"open","topic":"t"}\n\n' +
            'data: {"id":"m1","event":"message","topic":"t"}\n\n' +
            'event: keepalive\ndata: {"id":"k1","event":"keepalive","topic":"t"}\n\n',
        )
        setImmediate(() => res.socket?.destroy())
      } else res.write('data: {"id":"m2","event":"message","topic":"t"}\n\n')
    })
    const events = await collect(
      {
        id: 'n',
        name: 'n',
        url: server.url,
        resumeQuery: { param: 'since', field: 'id', eventTypes: ['message'] },
      },
      4,
    )
    expect(server.requests.map((r) => r.url)).toEqual(['/events', '/events?since=m1'])
    // Events without a position of their own carry no id.
    expect(events.map((e) => e.id)).toEqual(['', 'm1', '', 'm2'])
    expect(manager!.lastEventIds()).toEqual({ n: 'm2' })
  })
})
