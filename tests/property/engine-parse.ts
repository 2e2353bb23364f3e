// Runs bytes through the real engine (FeedManager, one-shot feed) arriving in exactly the given
// chunks, and returns the events it delivered once the stream has ended.
import { FeedManager } from '../../src/main/feeds/index.ts'
import { chunkedFetch } from '../support/chunked-fetch.ts'
import type { ParsedEvent } from './reference-sse.ts'

export function engineParse(chunks: Uint8Array[]): Promise<ParsedEvent[]> {
  const feeds = new FeedManager({ fetch: chunkedFetch(() => ({ chunks })) })
  const events: ParsedEvent[] = []
  return new Promise<ParsedEvent[]>((resolve, reject) => {
    feeds.on('event', ({ type, data, id }) => events.push({ type, data, id }))
    feeds.on('state', ({ state }) => {
      if (state.kind === 'stopped') resolve(events)
      else if (state.kind !== 'connecting' && state.kind !== 'open')
        reject(new Error(`stream did not end cleanly: ${JSON.stringify(state)}`))
    })
    feeds.apply([{ id: 'p', name: 'P', url: 'http://127.0.0.1:9/p', streamEndMeansFinished: true }])
  }).finally(() => feeds.dispose())
}

/** Cuts bytes at the given offsets (any order, duplicates and out-of-range ones ignored). */
export function cutAt(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.filter((o) => o > 0 && o < bytes.length))].sort(
    (a, b) => a - b,
  )
  const edges = [0, ...points, bytes.length]
  return edges.slice(1).map((end, i) => bytes.subarray(edges[i], end))
}
