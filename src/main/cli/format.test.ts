import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { eventHumanLine, eventJsonLine, stateHumanLine, stateJsonLine, visible } from './format.ts'

const event = { feedId: 'cli', type: 'news', data: 'a\nb', id: '7', receivedAt: 1_700_000_000_000 }
const decision = { kind: 'news' as const, title: 'Hello', body: 'b' }

describe('output formats', () => {
  it('writes one JSON object per event with exactly the documented keys', () => {
    expect(eventJsonLine(event, decision)).toBe(
      '{"type":"news","data":"a\\nb","id":"7","receivedAt":1700000000000,"notification":{"kind":"news","title":"Hello","body":"b"}}\n',
    )
    expect(JSON.parse(eventJsonLine(event, null))).toMatchObject({ notification: null })
  })

  it('writes a first event of an empty type right (nothing made before it)', async () => {
    vi.resetModules()
    const fresh = await import('./format.ts')
    expect(fresh.eventJsonLine({ ...event, type: '' }, null)).toBe(
      `${JSON.stringify({ type: '', data: 'a\nb', id: '7', receivedAt: event.receivedAt, notification: null })}\n`,
    )
  })

  it('writes exactly what JSON.stringify writes, whatever the event, in any order', () => {
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
            `${JSON.stringify({ type, data, id, receivedAt, notification })}\n`,
          )
        }
      }),
      { numRuns: 300 },
    )
  })

  it('writes a readable line: time, type, id, data, notification title', () => {
    expect(eventHumanLine(event, decision)).toMatch(
      /^\d\d:\d\d:\d\d {2}news {2}#7 {2}a⏎b {2}=> Hello\n$/,
    )
    expect(eventHumanLine({ ...event, id: '' }, null)).toMatch(
      /^\d\d:\d\d:\d\d {2}news {2}- {2}a⏎b\n$/,
    )
  })

  it('colours only what Tidings adds, and only when asked', () => {
    const line = eventHumanLine({ ...event, data: 'x' }, { ...decision, kind: 'task-failed' }, true)
    expect(line).toMatch(
      // eslint-disable-next-line no-control-regex -- the escapes are what is checked
      /^\u001b\[2m\d\d:\d\d:\d\d\u001b\[0m {2}\u001b\[36mnews\u001b\[0m {2}#7 {2}x {2}\u001b\[1;31m=> Hello\u001b\[0m\n$/,
    )
    expect(eventHumanLine(event, decision, false)).not.toContain('\u001b')
  })

  it('writes states as JSON and as sentences', () => {
    const reconnecting = {
      kind: 'reconnecting' as const,
      attempt: 2,
      delayMs: 1500,
      reason: 'stream ended',
    }
    expect(stateJsonLine(reconnecting, 5)).toBe(
      '{"state":"reconnecting","attempt":2,"delayMs":1500,"reason":"stream ended","at":5}\n',
    )
    expect(stateHumanLine(reconnecting, 'http://h/')).toBe(
      'tidings: stream ended; reconnecting in 1.5 s (attempt 2)\n',
    )
    expect(stateHumanLine({ kind: 'connecting' }, 'http://h/')).toBe(
      'tidings: connecting to http://h/\n',
    )
    expect(stateHumanLine({ kind: 'open' }, 'http://h/')).toBe('tidings: connected\n')
    expect(stateHumanLine({ kind: 'failed', reason: 'HTTP 404', status: 404 }, 'x')).toBe(
      'tidings: failed: HTTP 404\n',
    )
    expect(stateHumanLine({ kind: 'stopped', reason: 'finished' }, 'x')).toBe(
      'tidings: stopped: finished\n',
    )
  })

  it('shows control and bidi characters as escapes and line breaks as ⏎', () => {
    expect(visible('a\u001b[31mb\tc\r\nd\u202ee\u0085')).toBe(
      'a\\u001b[31mb c\\u000d⏎d\\u202ee\\u0085',
    )
    expect(visible('plain ünïcode ✓')).toBe('plain ünïcode ✓')
  })
})
