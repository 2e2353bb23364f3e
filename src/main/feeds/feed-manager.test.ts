import { afterEach, describe, expect, it } from 'vitest'
import { FeedRecorder } from '../../../tests/support/feed-recorder.ts'
import {
  openStream,
  startSseServer,
  streamChunks,
  type SseServer,
} from '../../../tests/support/sse-server.ts'
import type { FeedConfig } from '../../shared/feed.ts'
import { FeedManager } from './index.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function server(handler: Parameters<typeof startSseServer>[0]): Promise<SseServer> {
  const s = await startSseServer(handler)
  cleanups.push(() => s.close())
  return s
}

function manager(
  configs: FeedConfig[],
  random = () => 0,
): { feeds: FeedManager; rec: FeedRecorder } {
  const feeds = new FeedManager({ random })
  const rec = new FeedRecorder(feeds)
  cleanups.push(() => feeds.dispose())
  feeds.apply(configs)
  return { feeds, rec }
}

describe('FeedManager', () => {
  it('delivers every event type, not just "message"', async () => {
    const s = await server((_req, res) => {
      openStream(res)
      res.write(
        'data: one\n\nevent: build.completed\ndata: two\n\nevent: weird type!\ndata: three\n\n',
      )
    })
    const { rec } = manager([{ id: 'a', name: 'A', url: s.url }])
    await rec.untilEvents(3)
    expect(rec.events.map((e) => [e.feedId, e.type, e.data])).toEqual([
      ['a', 'message', 'one'],
      ['a', 'build.completed', 'two'],
      ['a', 'weird type!', 'three'],
    ])
    expect(rec.stateKinds()).toEqual(['connecting', 'open'])
  })

  it('reconnects after a clean end with Last-Event-ID and the server retry', async () => {
    const s = await server((_req, res, request) => {
      if (request.index === 0) streamChunks(res, ['retry: 300\nid: 1\ndata: first\n\n'])
      else {
        openStream(res)
        res.write('id: 2\ndata: second\n\n')
      }
    })
    const { rec } = manager([{ id: 'a', name: 'A', url: s.url }])
    await rec.untilEvents(2)
    expect((await s.request(1)).lastEventId).toBe('1')
    const reconnecting = rec.states.find((c) => c.state.kind === 'reconnecting')!.state
    expect(reconnecting).toEqual({
      kind: 'reconnecting',
      attempt: 1,
      delayMs: 300,
      reason: 'stream ended',
    })
  })
})
