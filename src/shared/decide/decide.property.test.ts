import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NotifyMode } from '../feed.ts'
import type { NotificationDecision } from '../notification.ts'
import { decide, readEventFields } from './decide.ts'

const KINDS = ['task-completed', 'task-failed', 'news', 'message']
// Nothing a notification shows may carry controls, bidi overrides or unbounded text.
// eslint-disable-next-line no-control-regex -- checking for control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/

function expectWellFormed(decision: NotificationDecision | null): void {
  if (decision === null) return
  expect(KINDS).toContain(decision.kind)
  expect(Object.keys(decision).sort()).toEqual(
    decision.url === undefined ? ['body', 'kind', 'title'] : ['body', 'kind', 'title', 'url'],
  )
  expect(typeof decision.title).toBe('string')
  expect(decision.title.length).toBeGreaterThan(0)
  expect(decision.title.length).toBeLessThanOrEqual(120)
  expect(decision.body.length).toBeLessThanOrEqual(400)
  for (const text of [decision.title, decision.body]) {
    expect(text).not.toMatch(FORBIDDEN)
    expect(text).toBe(text.trim())
    expect(text).not.toMatch(/\s{2}/)
  }
  if (decision.url !== undefined) expect(new URL(decision.url).protocol).toMatch(/^https?:$/)
}

const modes: fc.Arbitrary<NotifyMode> = fc.oneof(
  fc.constantFrom<NotifyMode>('smart', 'all', 'none'),
  fc.record({ types: fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }) }),
)

// Keys the decision reads, so generated objects often hit the interesting paths.
const keys = fc.constantFrom(
  'title',
  'name',
  'task',
  'body',
  'message',
  'error',
  'url',
  'link',
  'click',
  'status',
  'state',
  'result',
  'progress',
  'percent',
  'event',
  'topic',
  'priority',
  'id',
  '__proto__',
)
const values = fc.oneof(
  fc.string(),
  fc.constantFrom(
    'done',
    'failed',
    'timeout',
    'message',
    'open',
    'https://example.com/x',
    'javascript:alert(1)',
    '<script>alert(1)</script>',
    '\u202e\u0000\u200b',
  ),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
)
const eventLike = fc.dictionary(keys, values, { maxKeys: 8 })
const types = fc.oneof(
  fc.string(),
  fc.constantFrom('message', 'build.completed', 'job:failed', 'news', 'keepalive', 'task_done'),
)

describe('decide (property)', () => {
  it('never throws and returns null or a well-formed decision for any JSON value', () => {
    fc.assert(
      fc.property(types, fc.jsonValue(), modes, (type, value, notify) => {
        expectWellFormed(decide({ type, data: JSON.stringify(value) ?? '' }, { notify }))
      }),
      { numRuns: 1500 },
    )
  })

  it('never throws and returns null or a well-formed decision for objects with known keys', () => {
    fc.assert(
      fc.property(types, eventLike, modes, (type, object, notify) => {
        expectWellFormed(decide({ type, data: JSON.stringify(object) }, { notify }))
      }),
      { numRuns: 1500 },
    )
  })

  it('never throws and returns null or a well-formed decision for any string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'binary' }),
        modes,
        (type, data, notify) => {
          expectWellFormed(decide({ type, data }, { notify }))
        },
      ),
      { numRuns: 1500 },
    )
  })

  it('readEventFields never throws and keeps its promises', () => {
    fc.assert(
      fc.property(fc.oneof(eventLike, fc.jsonValue()), (value) => {
        const fields = readEventFields(JSON.stringify(value) ?? '')
        if (fields.progress !== undefined) {
          expect(fields.progress).toBeGreaterThanOrEqual(0)
          expect(fields.progress).toBeLessThanOrEqual(1)
        }
        if (fields.url !== undefined) expect(new URL(fields.url).protocol).toMatch(/^https?:$/)
        if (fields.priority !== undefined) expect([1, 2, 3, 4, 5]).toContain(fields.priority)
        if (fields.title !== undefined) expect(fields.title.length).toBeLessThanOrEqual(120)
        if (fields.body !== undefined) expect(fields.body.length).toBeLessThanOrEqual(400)
      }),
      { numRuns: 1500 },
    )
  })
})
