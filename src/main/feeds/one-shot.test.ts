// One-shot streams: with streamEndMeansFinished, a clean end is "finished", not "reconnect";
// a break is still a break and resumes with Last-Event-ID.
import { afterEach, describe, expect, it } from 'vitest'
import { FeedRecorder } from '../../../tests/support/feed-recorder.ts'
import {
  openStream,
  startSseServer,
  streamChunks,
  type SseHandler,
} from '../../../tests/support/sse-server.ts'
import { FeedManager } from './index.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function watchJob(handler: SseHandler) {
  const server = await startSseServer(handler)
  const feeds = new FeedManager({ random: () => 0.01 })
  const rec = new FeedRecorder(feeds)
  cleanups.push(
    () => server.close(),
    () => feeds.dispose(),
  )
  feeds.apply([{ id: 'job', name: 'Export', url: server.url, streamEndMeansFinished: true }])
  await rec.until(
    () => ['stopped', 'failed'].includes(rec.states.at(-1)?.state.kind ?? ''),
    'the job to end',
  )
  return { server, rec, feeds }
}

describe('one-shot streams', () => {
  it('a clean end means finished: no reconnect, every event delivered first', async () => {
    const { server, rec } = await watchJob((_req, res) =>
      streamChunks(res, [
        'id: 1\ndata: {"progress":0.5}\n\n',
        'id: 2\nevent: done\ndata: {"status":"done"}\n\n',
      ]),
    )
    expect(rec.data).toEqual(['{"progress":0.5}', '{"status":"done"}'])
    expect(rec.states.at(-1)!.state).toEqual({ kind: 'stopped', reason: 'finished' })
    expect(server.requests).toHaveLength(1)
  })

  it('an end mid-event finishes without the incomplete event', async () => {
    const { rec } = await watchJob((_req, res) =>
      streamChunks(res, ['data: whole\n\n', 'data: half']),
    )
    expect(rec.data).toEqual(['whole'])
    expect(rec.states.at(-1)!.state).toEqual({ kind: 'stopped', reason: 'finished' })
  })

  it('a break mid-stream reconnects with Last-Event-ID, then a clean end finishes', async () => {
    const { server, rec } = await watchJob((req, res, request) => {
      if (request.index === 0) {
        openStream(res)
        res.write('id: 1\ndata: step 1\n\nid: 2\ndata: step')
        setImmediate(() => req.socket.destroy())
      } else
        streamChunks(res, [
          `id: 2\ndata: step 2 (after ${request.lastEventId})\n\nid: 3\ndata: step 3\n\n`,
        ])
    })
    expect(server.requests.map((r) => r.lastEventId)).toEqual([null, '1'])
    expect(rec.data).toEqual(['step 1', 'step 2 (after 1)', 'step 3'])
    expect(rec.stateKinds()).toEqual([
      'connecting',
      'open',
      'reconnecting',
      'connecting',
      'open',
      'stopped',
    ])
    expect(rec.states.at(-1)!.state).toEqual({ kind: 'stopped', reason: 'finished' })
  })

  it('an idle timeout is a break, not an end', async () => {
    const server = await startSseServer((_req, res, request) => {
      if (request.index === 0) {
        openStream(res)
        res.write('id: 1\ndata: a\n\n')
      } else streamChunks(res, ['id: 2\ndata: b\n\n'])
    })
    const feeds = new FeedManager({ random: () => 0.01 })
    const rec = new FeedRecorder(feeds)
    cleanups.push(
      () => server.close(),
      () => feeds.dispose(),
    )
    feeds.apply([
      { id: 'job', name: 'J', url: server.url, streamEndMeansFinished: true, idleTimeoutMs: 150 },
    ])
    await rec.until(() => rec.states.at(-1)?.state.kind === 'stopped')
    expect(rec.data).toEqual(['a', 'b'])
    expect(rec.states.find((s) => s.state.kind === 'reconnecting')!.state).toMatchObject({
      reason: 'no data for 150 ms',
    })
  })

  it('204 stops the job as the server ended it', async () => {
    const { rec } = await watchJob((_req, res) => {
      res.writeHead(204)
      res.end()
    })
    expect(rec.states.at(-1)!.state).toEqual({
      kind: 'stopped',
      reason: 'HTTP 204 No Content: the server ended the feed',
    })
  })

  it('a persistent feed reconnects after the same clean end', async () => {
    const server = await startSseServer((_req, res, request) =>
      request.index === 0 ? streamChunks(res, ['retry: 250\ndata: x\n\n']) : openStream(res),
    )
    const feeds = new FeedManager()
    const rec = new FeedRecorder(feeds)
    cleanups.push(
      () => server.close(),
      () => feeds.dispose(),
    )
    feeds.apply([{ id: 'p', name: 'P', url: server.url }])
    await rec.until(() => server.requests.length === 2)
    expect(rec.stateKinds()).toContain('reconnecting')
    expect(rec.stateKinds()).not.toContain('stopped')
  })
})
