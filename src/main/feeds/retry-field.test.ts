// `retry:` sets the wait before the next connection (HTML standard 9.2.6): only a value of ASCII
// digits, only as a field of its own at a line start, however the chunks split the stream.
import { afterEach, describe, expect, it } from 'vitest'
import { chunkedFetch, splitAt } from '../../../tests/support/chunked-fetch.ts'
import { FeedRecorder } from '../../../tests/support/feed-recorder.ts'
import { FeedManager } from './index.ts'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

/** The wait the feed takes after a stream made of these chunks ends (an event delivered). */
async function waitAfter(chunks: Uint8Array[]): Promise<number> {
  const fetch = chunkedFetch((attempt) => ({ chunks: attempt === 0 ? chunks : [] }))
  const feeds = new FeedManager({ fetch })
  cleanups.push(() => feeds.dispose())
  const rec = new FeedRecorder(feeds)
  feeds.apply([{ id: 'f', name: 'F', url: 'http://127.0.0.1:1/retry' }])
  await rec.until(() => feeds.getState('f')?.kind === 'reconnecting', 'the stream to end')
  const state = feeds.getState('f')
  if (state?.kind !== 'reconnecting') throw new Error('not reconnecting')
  return state.delayMs
}

const encode = (text: string) => new TextEncoder().encode(text)

describe('retry fields', () => {
  const body =
    'retry: 1500\ndata: retry: 9\n\nretry:2500\r\nretry:12x\nxretry: 7\nretry\nretry:\n:retry: 8\rretry: 004200\r\nRetry: 5\ndata: x\n\n'

  it('takes only well-formed retry fields at line starts', async () => {
    expect(await waitAfter([encode(body)])).toBe(4200)
  })

  it('takes the same value whatever the chunking', async () => {
    const bytes = encode(body)
    for (let cut = 1; cut < bytes.length; cut++)
      expect(await waitAfter(splitAt(bytes, cut)), `cut ${cut}`).toBe(4200)
  })

  it('ignores a value whose line has not ended', async () => {
    expect(await waitAfter([encode('retry: 900\ndata: x\n\nretry: 100000')])).toBe(900)
  })

  it('bounds a value too large for a timer', async () => {
    const delay = await waitAfter([encode(`retry: ${'9'.repeat(400)}\ndata: x\n\n`)])
    expect(delay).toBe(3_600_000)
  })
})
