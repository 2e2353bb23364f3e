// Stream parsing must follow the HTML standard exactly. Cases from the standard and from
// web-platform-tests' eventsource/format-*.htm; each body is parsed whole over a real loopback
// server, and split at every byte (exact chunks, so UTF-8 and CRLF are cut everywhere).
import { afterEach, describe, expect, it } from 'vitest'
import { chunkedFetch, splitAt } from '../../../tests/support/chunked-fetch.ts'
import { FeedRecorder } from '../../../tests/support/feed-recorder.ts'
import { startSseServer, streamChunks } from '../../../tests/support/sse-server.ts'
import { FeedManager, type FetchLike } from './index.ts'

type Expected = Array<[type: string, data: string, id: string]>

const cases: Array<{ name: string; body: string; events: Expected }> = [
  {
    name: 'one BOM is stripped, a BOM later is part of the field name',
    body: '\uFEFFdata:1\n\n\uFEFFdata:2\n\ndata:3\n\n',
    events: [
      ['message', '1', ''],
      ['message', '3', ''],
    ],
  },
  {
    name: 'only one of two leading BOMs is stripped',
    body: '\uFEFF\uFEFFdata:1\n\ndata:2\n\ndata:3\n\n',
    events: [
      ['message', '2', ''],
      ['message', '3', ''],
    ],
  },
  {
    name: 'comments are ignored in every form',
    body: ':\n:comment\n: comment\ndata:1\n:comment\ndata:2\n\n:\n\ndata:3\n\n',
    events: [
      ['message', '1\n2', ''],
      ['message', '3', ''],
    ],
  },
  {
    name: 'an event without its final empty line is not dispatched',
    body: 'retry:1000\ndata:test1\n\nid:test\ndata:test2',
    events: [['message', 'test1', '']],
  },
  {
    name: 'data fields: empty, bare, and with a value',
    body: 'data:\n\ndata\ndata\n\ndata:test\n\n',
    events: [
      ['message', '', ''],
      ['message', '\n', ''],
      ['message', 'test', ''],
    ],
  },
  {
    name: 'an empty event type means message',
    body: 'event: \ndata:data\n\n',
    events: [['message', 'data', '']],
  },
  {
    name: 'event type applies to one event only',
    body: 'event:test\ndata:x\n\ndata:x\n\n',
    events: [
      ['test', 'x', ''],
      ['message', 'x', ''],
    ],
  },
  {
    name: 'a block without data dispatches nothing',
    body: 'event:lonely\n\nid:7\n\ndata:after\n\n',
    events: [['message', 'after', '7']],
  },
  {
    name: 'ids persist across events and an empty id resets them',
    body: 'id:1\ndata:a\n\ndata:b\n\nid:\ndata:c\n\nid: 2 \ndata:d\n\n',
    events: [
      ['message', 'a', '1'],
      ['message', 'b', '1'],
      ['message', 'c', ''],
      ['message', 'd', '2 '],
    ],
  },
  {
    name: 'an id containing NUL is ignored',
    body: 'id:1\ndata:a\n\nid:x\u0000y\ndata:b\n\n',
    events: [
      ['message', 'a', '1'],
      ['message', 'b', '1'],
    ],
  },
  {
    name: 'field parsing: case, NUL, CR, leading spaces (WPT format-field-parsing)',
    body: 'data:\u0000\ndata:  2\rData:1\ndata\u0000:2\ndata:1\r\u0000data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n',
    events: [['message', '\u0000\n 2\n1\n3\n\n4', '']],
  },
  {
    name: 'unknown fields and bare text are ignored',
    body: 'data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n',
    events: [['message', 'test\n\ntest', '']],
  },
  {
    name: 'only one leading space is removed',
    body: 'data:\ttest\rdata: \ndata:test\n\n',
    events: [['message', '\ttest\n\ntest', '']],
  },
  {
    name: 'CRLF, LF and CR line endings, mixed',
    body: 'data:test\r\ndata\ndata:test\r\n\r\nevent:cr\rdata:x\r\rdata:y\n\n',
    events: [
      ['message', 'test\n\ntest', ''],
      ['cr', 'x', ''],
      ['message', 'y', ''],
    ],
  },
  {
    name: 'a NUL character in data is kept',
    body: 'data:\u0000\n\n\n\n',
    events: [['message', '\u0000', '']],
  },
  {
    name: 'UTF-8 in data, type and id',
    body: 'id:ünï-🎉\nevent:gruß\ndata:ok… 日本語 🚀\n\n',
    events: [['gruß', 'ok… 日本語 🚀', 'ünï-🎉']],
  },
  {
    name: 'retry fields do not disturb events',
    body: 'retry:1000\nretry: bogus\nretry\ndata:x\n\n',
    events: [['message', 'x', '']],
  },
  {
    name: 'event types named like built-in EventSource events are delivered too',
    body: 'event:open\ndata:1\n\nevent:error\ndata:2\n\n',
    events: [
      ['open', '1', ''],
      ['error', '2', ''],
    ],
  },
]

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function parse(
  fetch: FetchLike | undefined,
  url: string,
  expected?: number,
): Promise<Expected> {
  const feeds = new FeedManager(fetch ? { fetch } : {})
  cleanups.push(() => feeds.dispose())
  const rec = new FeedRecorder(feeds)
  feeds.apply([{ id: 'f', name: 'F', url, streamEndMeansFinished: true }])
  await rec.until(() => feeds.getState('f')?.kind === 'stopped', 'end of stream')
  if (expected !== undefined) expect(rec.events).toHaveLength(expected)
  return rec.events.map((e) => [e.type, e.data, e.id])
}

describe('stream parsing (HTML standard, WPT format tests)', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: over a real socket`, async () => {
      const server = await startSseServer((_req, res) => streamChunks(res, [testCase.body]))
      cleanups.push(() => server.close())
      expect(await parse(undefined, server.url, testCase.events.length)).toEqual(testCase.events)
    })

    it(`${testCase.name}: split at every byte`, async () => {
      const bytes = new TextEncoder().encode(testCase.body)
      for (let cut = 1; cut < bytes.length; cut++) {
        const fetch = chunkedFetch(() => ({ chunks: splitAt(bytes, cut) }))
        const events = await parse(fetch, 'http://127.0.0.1:1/split', testCase.events.length)
        expect(events, `split at byte ${cut}`).toEqual(testCase.events)
      }
    })
  }

  it('parses a stream that arrives one byte at a time', async () => {
    const body = cases.map((c) => c.body.replace(/^\uFEFF+/, '')).join('\n\n')
    const bytes = new TextEncoder().encode(body)
    const whole = await parse(
      chunkedFetch(() => ({ chunks: [bytes] })),
      'http://127.0.0.1:1/w',
    )
    expect(whole.length).toBeGreaterThan(25)
    const oneByOne = Array.from(bytes, (_b, i) => bytes.subarray(i, i + 1))
    const events = await parse(
      chunkedFetch(() => ({ chunks: oneByOne })),
      'http://127.0.0.1:1/b',
    )
    expect(events).toEqual(whole)
  })
})
