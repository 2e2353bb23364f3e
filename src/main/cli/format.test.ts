import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { exportTime } from '../../shared/event-time.ts'
import {
  eventHumanLine,
  eventJsonLine,
  eventRawLine,
  stateHumanLine,
  stateJsonLine,
  visible,
} from './format.ts'

const event = { feedId: 'cli', type: 'news', data: 'a\nb', id: '7', receivedAt: 1_700_000_000_000 }
const decision = { kind: 'news' as const, title: 'Hello', body: 'b' }
const URL = 'http://127.0.0.1:4000/events'
const refused = {
  kind: 'reconnecting' as const,
  attempt: 2,
  delayMs: 1500,
  reason: 'connect ECONNREFUSED 127.0.0.1:4000',
  facts: { kind: 'network' as const, code: 'ECONNREFUSED' },
}
const notFound = {
  kind: 'failed' as const,
  reason: 'HTTP 404 Not Found',
  status: 404,
  facts: { kind: 'http' as const, status: 404 },
}

describe('output formats', () => {
  it('writes one JSON object per event with exactly the documented keys, times as the window exports them', () => {
    expect(eventJsonLine(event, decision)).toBe(
      '{"type":"news","data":"a\\nb","id":"7","receivedAt":"2023-11-14T22:13:20.000Z","notification":{"kind":"news","title":"Hello","body":"b"}}\n',
    )
    expect(JSON.parse(eventJsonLine(event, null))).toMatchObject({ notification: null })
  })

  it('writes a first event of an empty type right (nothing made before it)', async () => {
    vi.resetModules()
    const fresh = await import('./format.ts')
    expect(fresh.eventJsonLine({ ...event, type: '' }, null)).toBe(
      `${JSON.stringify({ type: '', data: 'a\nb', id: '7', receivedAt: exportTime(event.receivedAt), notification: null })}\n`,
    )
  })

  it('writes exactly what JSON.stringify writes, whatever the event, in any order', () => {
    // receivedAt: what the window's export writes (exportTime), null for what is not a date.
    const text = fc.string({ unit: 'binary', maxLength: 20 })
    const anyEvent = fc.record({
      feedId: fc.constant('cli'),
      type: fc.oneof(fc.constantFrom('message', 'build.done', 'news'), text),
      data: text,
      id: text,
      receivedAt: fc.oneof(
        fc.constantFrom(1_700_000_000_000, 1_700_000_000_001, -0, Number.NaN, Infinity),
        fc.double(),
      ),
    })
    const anyDecision = fc.option(
      fc.record({ kind: fc.constant('news' as const), title: text, body: text }),
    )
    fc.assert(
      fc.property(fc.array(fc.tuple(anyEvent, anyDecision), { maxLength: 30 }), (events) => {
        for (const [e, notification] of events) {
          const { type, data, id, receivedAt } = e
          expect(eventJsonLine(e, notification)).toBe(
            `${JSON.stringify({ type, data, id, receivedAt: exportTime(receivedAt), notification })}\n`,
          )
        }
      }),
      { numRuns: 300 },
    )
  })

  it('writes a readable line: time, type, id, what it notifies as, the Log’s summary', () => {
    expect(eventHumanLine(event, decision)).toMatch(
      /^\d\d:\d\d:\d\d {2}news {2}#7 {2}news {2}Hello — b\n$/,
    )
    expect(eventHumanLine({ ...event, id: '' }, null)).toMatch(
      /^\d\d:\d\d:\d\d {2}news {2}- {2}a b\n$/,
    )
    const progress = {
      ...event,
      type: 'task.progress',
      data: '{"task":"Build #41","status":"running","progress":0.6}',
    }
    expect(eventHumanLine(progress, null)).toMatch(
      /^\d\d:\d\d:\d\d {2}task\.progress {2}#7 {2}Build #41 · running · 60%\n$/,
    )
  })

  it('shows control characters of the summary as escapes', () => {
    const line = eventHumanLine({ ...event, data: '{"title":"\\u001b]0;pwned\\u0007 x"}' }, null)
    // eslint-disable-next-line no-control-regex -- asserting their absence is the point
    expect(line).not.toMatch(/[\u001b\u0007]/)
    expect(line).toContain('\\u001b]0;pwned\\u0007 x')
  })

  it('colours only what Tidings adds, and only when asked', () => {
    const line = eventHumanLine({ ...event, data: 'x' }, { ...decision, kind: 'task-failed' }, true)
    expect(line).toMatch(
      // eslint-disable-next-line no-control-regex -- the escapes are what is checked
      /^\u001b\[2m\d\d:\d\d:\d\d\u001b\[0m {2}\u001b\[36mnews\u001b\[0m {2}#7 {2}\u001b\[1;31mfailed\u001b\[0m {2}Hello — b\n$/,
    )
    expect(eventHumanLine(event, decision, false)).not.toContain('\u001b')
  })

  it('--raw writes the data as sent: byte for byte to a pipe, controls escaped on a terminal', () => {
    const data = 'line one\n{"a":1}\t\u001b[2Jend'
    expect(eventRawLine({ ...event, data }, false)).toBe(`${data}\n`)
    expect(eventRawLine({ ...event, data }, true)).toBe('line one\n{"a":1} \\u001b[2Jend\n')
  })

  it('writes states as JSON, times as the window exports them, problems with plain words', () => {
    const reconnecting = {
      kind: 'reconnecting' as const,
      attempt: 2,
      delayMs: 1500,
      reason: 'stream ended',
    }
    expect(stateJsonLine(reconnecting, 5, 'http://h/')).toBe(
      '{"state":"reconnecting","attempt":2,"delayMs":1500,"reason":"stream ended","at":"1970-01-01T00:00:00.005Z","message":"Stream ended."}\n',
    )
    expect(JSON.parse(stateJsonLine(refused, 5, URL))).toMatchObject({
      state: 'reconnecting',
      reason: 'connect ECONNREFUSED 127.0.0.1:4000',
      facts: { kind: 'network', code: 'ECONNREFUSED' },
      message: 'Nothing is listening at 127.0.0.1:4000. Is the server running?',
    })
    expect(stateJsonLine({ kind: 'open' }, 5, URL)).toBe(
      '{"state":"open","at":"1970-01-01T00:00:00.005Z"}\n',
    )
  })

  it('says each state in one line: what happened in plain words, and what happens next', () => {
    const words = { url: URL }
    expect(stateHumanLine({ kind: 'connecting' }, words)).toBe(`tidings: connecting to ${URL}\n`)
    expect(stateHumanLine({ kind: 'connecting' }, { ...words, via: 'via proxy http://p/' })).toBe(
      `tidings: connecting to ${URL} (via proxy http://p/)\n`,
    )
    expect(stateHumanLine({ kind: 'open' }, words)).toBe('tidings: connected\n')
    expect(stateHumanLine(refused, { ...words, retry: { count: 2, limit: Infinity } })).toBe(
      'tidings: Nothing is listening at 127.0.0.1:4000. Is the server running? Tidings tries again in 1.5 s (retry 2).\n',
    )
    expect(stateHumanLine(refused, { ...words, retry: { count: 2, limit: 5 } })).toMatch(
      /in 1\.5 s \(retry 2 of 5\)\.\n$/,
    )
    expect(
      stateHumanLine(
        { kind: 'reconnecting', attempt: 1, delayMs: 3000, reason: 'stream ended' },
        words,
      ),
    ).toBe('tidings: Stream ended. Tidings tries again in 3.0 s.\n')
    expect(stateHumanLine(notFound, words)).toBe(
      'tidings: failed: HTTP 404: no event stream at this address. Check the URL.\n',
    )
    expect(stateHumanLine(notFound, { ...words, tries: 3, hint: 'Run with --retry.' })).toBe(
      'tidings: failed after 3 tries: HTTP 404: no event stream at this address. Check the URL. Run with --retry.\n',
    )
    expect(stateHumanLine({ kind: 'stopped', reason: 'finished' }, words)).toBe(
      'tidings: stopped: finished\n',
    )
  })

  it('gives the technical detail with --verbose, unless the plain words already say it', () => {
    expect(stateHumanLine(notFound, { url: URL, verbose: true })).toBe(
      'tidings: failed: HTTP 404: no event stream at this address. Check the URL. [HTTP 404 Not Found]\n',
    )
    const odd = { kind: 'failed' as const, reason: 'something new' }
    expect(stateHumanLine(odd, { url: URL, verbose: true })).toBe(
      'tidings: failed: Something new.\n',
    )
  })

  it('leaves the next step for a rejected certificate to the lines about it (no Trust button here)', () => {
    const selfSigned = {
      kind: 'failed' as const,
      reason: 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
      facts: { kind: 'network' as const, code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    }
    expect(stateHumanLine(selfSigned, { url: 'https://127.0.0.1:4000/' })).toBe(
      'tidings: failed: The server’s certificate is not trusted.\n',
    )
  })

  it('shows control and bidi characters as escapes and line breaks as ⏎', () => {
    expect(visible('a\u001b[31mb\tc\r\nd\u202ee\u0085')).toBe(
      'a\\u001b[31mb c\\u000d⏎d\\u202ee\\u0085',
    )
    expect(visible('plain ünïcode ✓')).toBe('plain ünïcode ✓')
  })
})
