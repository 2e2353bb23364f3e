// The notification decision never throws on any JSON value (src/main/notify/decide.property.test.ts
// covers decide() alone); here random events, field mappings, replays and feed states go through
// the whole policy (decide, tasks, NotificationCenter, sharing one reading of each event's data)
// and the CLI's JSON line, as the app and the CLI run them: nothing throws, every notification is well-formed, none is shown twice.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { eventJsonLine } from '../../src/main/cli/format.ts'
import {
  decide,
  EventReading,
  NotificationCenter,
  TaskTracker,
  type NotifyPolicy,
  type OutgoingNotification,
} from '../../src/main/notify/index.ts'
import { exportTime } from '../../src/shared/event-time.ts'
import type { FeedState, NotifyMode } from '../../src/shared/feed.ts'
import type { LoggedEvent } from '../../src/shared/ipc.ts'
import type { FieldMapping } from '../../src/shared/settings.ts'

// eslint-disable-next-line no-control-regex -- a notification must carry no control characters
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/

const keys = fc.constantFrom(
  'title',
  'name',
  'body',
  'message',
  'url',
  'link',
  'status',
  'progress',
  'taskId',
  'id',
  'priority',
  'event',
  'topic',
  '__proto__',
  'constructor',
)
const leaf = fc.oneof(
  fc.constantFrom('done', 'failed', 'running', 'https://example.com/a', 'javascript:alert(1)'),
  fc.constantFrom('<img src=x onerror=alert(1)>', '\u202eevil', 'file:///etc/passwd', 'message'),
  fc.string({ maxLength: 30 }),
  fc.double(),
  fc.integer({ min: -2, max: 7 }),
  fc.boolean(),
  fc.constant(null),
)
const data = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''),
  fc
    .dictionary(keys, fc.oneof(leaf, fc.dictionary(keys, leaf, { maxKeys: 3 })), { maxKeys: 7 })
    .map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 50 }),
)
const type = fc.oneof(
  fc.constantFrom('message', 'build.completed', 'job:failed', 'task.progress', 'news', 'ping'),
  fc.string({ maxLength: 15 }),
)
const path = fc.constantFrom('title', 'a.b', '__proto__.x', 'constructor.name', 'x.y.z', '', '.')
const mapping: fc.Arbitrary<FieldMapping> = fc.record(
  { title: path, body: path, url: path, taskId: path, status: path, progress: path },
  { requiredKeys: [] },
)
const mode: fc.Arbitrary<NotifyMode> = fc.oneof(
  fc.constantFrom<NotifyMode>('smart', 'all', 'none'),
  fc.record({ types: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }) }),
)
const state: fc.Arbitrary<FeedState> = fc.oneof(
  fc.constant<FeedState>({ kind: 'open' }),
  fc.constant<FeedState>({ kind: 'connecting' }),
  fc.record({
    kind: fc.constant('reconnecting' as const),
    attempt: fc.nat(),
    delayMs: fc.nat(),
    reason: fc.string({ maxLength: 20 }),
  }),
  fc.record({ kind: fc.constant('stopped' as const), reason: fc.constantFrom('finished', 'x') }),
  fc.record({ kind: fc.constant('failed' as const), reason: fc.string(), status: fc.nat(600) }),
)

type Op =
  | { op: 'event'; feed: string; type: string; data: string; id: string }
  | { op: 'replay'; back: number }
  | { op: 'state'; feed: string; state: FeedState }
  | { op: 'tick'; ms: number }

const feedId = fc.constantFrom('a', 'b')
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('event' as const),
      feed: feedId,
      type,
      data,
      id: fc.oneof(fc.constant(''), fc.nat(50).map(String)),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('replay' as const), back: fc.nat(10) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('state' as const), feed: feedId, state }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.nat(120_000) }) },
)

function expectWellFormed(n: OutgoingNotification): void {
  expect(n.title.length).toBeGreaterThan(0)
  expect(n.title.length).toBeLessThanOrEqual(120)
  expect(n.body.length).toBeLessThanOrEqual(400)
  expect(n.title).not.toMatch(CONTROLS)
  expect(n.body).not.toMatch(CONTROLS)
  if (n.url !== undefined) expect(new URL(n.url).protocol).toMatch(/^https?:$/)
}

describe('notification policy (property)', () => {
  it('any events, mappings, replays and states: no throw, well-formed, never twice', () => {
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 5, maxLength: 80, size: 'large' }),
        mode,
        mapping,
        fc.integer({ min: 1, max: 5 }),
        (ops, notify, map, minPriority) => {
          let clock = 1_700_000_000_000
          const shown: OutgoingNotification[] = []
          const policy: NotifyPolicy = {
            rateLimitPerMinute: 600,
            disconnectAlertMinutes: 1,
            quietHours: {
              enabled: false,
              start: '22:00',
              end: '07:00',
              failuresBreakThrough: true,
            },
            pause: null,
            feeds: {
              a: { name: '<b>A</b>', snoozedUntil: null },
              b: { name: 'B', snoozedUntil: null },
            },
          }
          const now = () => clock
          const tasks = new TaskTracker({ mapping: () => map, now })
          const center = new NotificationCenter({
            show: (n) => shown.push(n),
            now,
            policy: () => policy,
            mapping: () => map,
          })
          const logged: LoggedEvent[] = []
          try {
            for (const step of ops) {
              if (step.op === 'tick') clock += step.ms
              else if (step.op === 'state')
                center.onFeedState({ feedId: step.feed, state: step.state, at: clock })
              else {
                const source =
                  step.op === 'event'
                    ? { feedId: step.feed, type: step.type, data: step.data, id: step.id }
                    : logged.at(-1 - step.back)
                if (!source) continue
                const event = { ...source, receivedAt: clock }
                // One reading shared by the decision, the task and the center, as the core does.
                const reading = new EventReading(event.data)
                const notification = decide(event, { notify, mapping: map, minPriority }, reading)
                const entry: LoggedEvent = { ...event, seq: logged.length + 1, notification }
                logged.push(entry)
                center.onEvent(entry, { task: tasks.observe(entry, reading), reading })
                // The CLI's JSON line round-trips whatever the event held.
                expect(JSON.parse(eventJsonLine(event, notification))).toEqual({
                  type: event.type,
                  data: event.data,
                  id: event.id,
                  receivedAt: exportTime(event.receivedAt),
                  notification,
                })
              }
            }
          } finally {
            center.dispose()
          }
          shown.forEach(expectWellFormed)
          expect(new Set(shown.map((n) => n.key)).size).toBe(shown.length)
          // An event re-sent with the same id and content is never notified again.
          const perEvent = shown
            .filter((n) => ['task-completed', 'task-failed', 'news', 'message'].includes(n.kind))
            .map((n) => logged[n.eventSeq! - 1]!)
            .filter((e) => e.id !== '')
            .map((e) => JSON.stringify([e.feedId, e.id, e.type, e.data]))
          expect(new Set(perEvent).size).toBe(perEvent.length)
        },
      ),
      { numRuns: 600 },
    )
  })
})
