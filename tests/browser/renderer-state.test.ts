// The renderer's plain-TypeScript state (no browser needed): the bounded event store, the
// incrementally filtered rows, token streams, and the settings draft / feeds JSON helpers.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LoggedEvent } from '../../src/shared/ipc.ts'
import { EventStore } from '../../src/renderer/src/state/event-store.ts'
import { FilteredLog } from '../../src/renderer/src/state/filtered-log.ts'
import { makePredicate, EMPTY_FILTER } from '../../src/renderer/src/log/filter.ts'
import { StreamTracker } from '../../src/renderer/src/tasks/streams.ts'
import { ago, formatDuration, prettyData, summarize } from '../../src/renderer/src/log/format.ts'
import { formatDuration as notificationDuration } from '../../src/shared/decide/text.ts'
import { draftToInput, friendly, validateDraft } from '../../src/renderer/src/settings/draft.ts'
import { exportFeeds, importFeeds } from '../../src/renderer/src/settings/feeds-json.ts'
import { parseSettings } from '../../src/shared/settings.ts'

let nextSeq = 0
function event(partial: Partial<LoggedEvent> = {}): LoggedEvent {
  nextSeq++
  return {
    feedId: 'f',
    type: 'message',
    data: `event ${nextSeq}`,
    id: String(nextSeq),
    receivedAt: 1_700_000_000_000 + nextSeq,
    seq: nextSeq,
    notification: null,
    ...partial,
  }
}

describe('EventStore', () => {
  it('appends in seq order, drops repeats and stays bounded', () => {
    const store = new EventStore({ capacity: 100 })
    const batch = Array.from({ length: 60 }, () => event())
    expect(store.append(batch)).toHaveLength(60)
    expect(store.append(batch.slice(50))).toEqual([])
    for (let round = 0; round < 20; round++) store.append(Array.from({ length: 37 }, () => event()))
    expect(store.size).toBeLessThanOrEqual(110)
    expect(store.size).toBeGreaterThanOrEqual(100)
    const seqs = store.all().map((item) => item.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(seqs.at(-1)).toBe(nextSeq)
    expect(store.findBySeq(nextSeq)?.seq).toBe(nextSeq)
    expect(store.findBySeq(batch[0]!.seq)).toBeUndefined()
  })

  it("joins a stream's chunks into the row of its first, growing; other events keep their rows", () => {
    const store = new EventStore()
    const chunk = (delta: string, stream = 's1') =>
      event({ type: 'token', data: JSON.stringify({ stream, delta }) })
    store.append([chunk('Hel'), event(), chunk('lo'), chunk('!', 's2')])
    store.append([chunk(', world'), event({ type: 'done', data: '{"stream":"s1","done":true}' })])
    // After its end, the same id starts a new row.
    store.append([chunk('again')])
    const rows = store.all()
    expect(rows.map((row) => row.stream?.text ?? row.data)).toEqual([
      'Hello, world',
      expect.stringMatching(/^event /),
      '!',
      'again',
    ])
    expect(rows[0]!.stream).toMatchObject({ tokens: 3, done: true })
    expect(rows[0]!.stream!.events).toHaveLength(4)
    expect(rows[0]!.stream!.revision).toBe(3)
    // Text that merely mentions a stream field is no chunk.
    store.append([event({ data: '{"text":"hello","id":7}' })])
    expect(store.all().at(-1)!.stream).toBeUndefined()
  })

  it('undoes a clear: the hidden rows come back before those that arrived since', () => {
    const store = new EventStore()
    const kept = [event(), event(), event()]
    store.append(kept)
    expect(store.clear()).toBe(3)
    expect(store.canUndoClear).toBe(true)
    const later = event()
    store.append([later])
    expect(store.undoClear()).toBe(true)
    expect(store.all().map((row) => row.seq)).toEqual([...kept, later].map((row) => row.seq))
    expect(store.undoClear()).toBe(false)
  })

  it('notifies subscribers once per accepted batch; clear keeps counting seq', () => {
    const store = new EventStore()
    let calls = 0
    const stop = store.subscribe(() => calls++)
    store.append([event(), event()])
    store.append([])
    expect(calls).toBe(1)
    const old = event()
    store.append([old])
    store.clear()
    expect(store.size).toBe(0)
    store.append([old])
    expect(store.size).toBe(0)
    store.append([event()])
    expect(store.size).toBe(1)
    stop()
    store.append([event()])
    expect(calls).toBe(4)
  })
})

describe('FilteredLog', () => {
  it('keeps exactly the store events that pass the filter, whatever appends, trims and clears happen', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('append' as const),
        feeds: fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 }),
      }),
      fc.record({ kind: fc.constant('clear' as const) }),
      fc.record({
        kind: fc.constant('filter' as const),
        feed: fc.constantFrom(null, 'a', 'b'),
        search: fc.constantFrom('', '1', '7'),
      }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const store = new EventStore({ capacity: 50 })
        const view = new FilteredLog(store)
        let predicate = makePredicate(EMPTY_FILTER, () => undefined)
        for (const step of ops) {
          if (step.kind === 'append') store.append(step.feeds.map((feedId) => event({ feedId })))
          else if (step.kind === 'clear') store.clear()
          else
            predicate = makePredicate(
              { ...EMPTY_FILTER, feedId: step.feed, search: step.search },
              () => undefined,
            )
          const { rows } = view.sync(predicate)
          expect(rows.map((row) => row.seq)).toEqual(
            store
              .all()
              .filter(predicate)
              .map((row) => row.seq),
          )
        }
      }),
    )
  })

  it('reports how many rows a trim removed from the front', () => {
    const store = new EventStore({ capacity: 10 })
    const view = new FilteredLog(store)
    const all = makePredicate(EMPTY_FILTER, () => undefined)
    store.append(Array.from({ length: 11 }, () => event()))
    expect(view.sync(all)).toMatchObject({ trimmed: 0 })
    store.append([event()])
    expect(view.sync(all).trimmed).toBe(2)
    expect(view.sync(all).trimmed).toBe(0)
  })

  it('keeps one rows array through trims, filter changes and clears, so rows a render captured cannot keep dropped events alive', () => {
    const store = new EventStore({ capacity: 10 })
    const view = new FilteredLog(store)
    const all = makePredicate(EMPTY_FILTER, () => undefined)
    store.append(Array.from({ length: 5 }, () => event()))
    // What a render's closures hold on to.
    const captured = view.sync(all).rows
    store.append(Array.from({ length: 20 }, () => event()))
    expect(view.sync(all).trimmed).toBeGreaterThan(0)
    expect(view.sync(all).rows).toBe(captured)
    // The captured rows are the store's, not the events it trimmed.
    expect(captured.map((entry) => entry.seq)).toEqual(store.all().map((entry) => entry.seq))
    expect(captured.length).toBeLessThanOrEqual(11)
    const typed = makePredicate({ ...EMPTY_FILTER, search: 'event' }, () => undefined)
    expect(view.sync(typed).rows).toBe(captured)
    store.clear()
    expect(view.sync(typed).rows).toBe(captured)
    expect(captured).toEqual([])
  })

  it('searches case-insensitively in data, type, id, notification and feed name, with regex characters literal', () => {
    const names = (id: string): string | undefined => ({ f: 'Build Bot' })[id]
    const hit = (search: string, partial: Partial<LoggedEvent>): boolean =>
      makePredicate({ ...EMPTY_FILTER, search }, names)(event(partial))
    expect(hit('zebra', { data: 'a ZEBRA here' })).toBe(true)
    expect(hit('bot', {})).toBe(true)
    expect(hit('deploy', { type: 'deploy.done' })).toBe(true)
    expect(hit('a.c', { data: 'abc' })).toBe(false)
    expect(hit('a.c', { data: 'x a.c y' })).toBe(true)
    expect(hit('(', { data: 'f(x)' })).toBe(true)
    expect(hit('shipped', { notification: { kind: 'news', title: 'Shipped', body: '' } })).toBe(
      true,
    )
    expect(hit('nothing', { data: 'else' })).toBe(false)
  })
})

describe('StreamTracker', () => {
  it('joins delta/token events per stream id into one growing text', () => {
    const tracker = new StreamTracker()
    tracker.observe([
      event({ data: '{"stream":"s1","delta":"Hel"}' }),
      event({ data: '{"id":"s2","token":"A"}' }),
      event({ data: '{"stream":"s1","delta":"lo"}' }),
      event({ data: '{"choices":[{"delta":{"content":"B"}}],"id":"s2"}' }),
      event({ data: '{"title":"not a token"}' }),
      event({ data: 'plain "delta" text' }),
    ])
    const byId = Object.fromEntries(tracker.list().map((stream) => [stream.streamId, stream]))
    expect(byId.s1).toMatchObject({ text: 'Hello', tokens: 2, done: false })
    expect(byId.s2).toMatchObject({ text: 'AB', tokens: 2 })
    expect(tracker.list()).toHaveLength(2)
    tracker.observe([event({ type: 'done', data: '{"stream":"s1","done":true}' })])
    expect(tracker.list().find((stream) => stream.streamId === 's1')?.done).toBe(true)
  })

  it('is bounded in streams and characters', () => {
    const tracker = new StreamTracker({ maxStreams: 3, maxChars: 5 })
    for (let index = 0; index < 10; index++)
      tracker.observe([event({ data: JSON.stringify({ stream: `s${index}`, delta: 'abc' }) })])
    expect(tracker.list().map((stream) => stream.streamId)).toEqual(['s9', 's8', 's7'])
    tracker.observe([event({ data: '{"stream":"s9","delta":"def"}' })])
    expect(tracker.list()[0]).toMatchObject({ text: 'abc', truncated: true, tokens: 2 })
  })
})

describe('log text', () => {
  it('summarises with the decision, else the usual fields, else the data on one line', () => {
    expect(summarize(event({ notification: { kind: 'news', title: 'T', body: 'B' } }))).toBe(
      'T — B',
    )
    expect(summarize(event({ data: '{"task":"Export","status":"running","progress":0.3}' }))).toBe(
      'Export · running · 30%',
    )
    expect(summarize(event({ data: 'line one\n\n  line two' }))).toBe('line one line two')
    expect(summarize(event({ data: 'x'.repeat(1000) }))).toHaveLength(240)
  })

  it('pretty-prints JSON and leaves other data as received', () => {
    expect(prettyData('{"a":[1]}')).toEqual({ text: '{\n  "a": [\n    1\n  ]\n}', json: true })
    expect(prettyData('{broken')).toEqual({ text: '{broken', json: false })
    expect(prettyData('<img src=x>')).toEqual({ text: '<img src=x>', json: false })
  })

  it('says durations as the notifications do (one formatDuration)', () => {
    expect(formatDuration).toBe(notificationDuration)
    expect([850, 4200, 42_000, 185_000, 7_500_000].map(formatDuration)).toEqual([
      'under a second',
      '4 s',
      '42 s',
      '3 min 5 s',
      '2 h 5 min',
    ])
    const now = 1_700_000_000_000
    expect(ago(now - 192_400, now)).toBe('3 min 12 s ago')
    expect(ago(now - 200, now)).toBe('just now')
  })
})

describe('settings draft and feeds JSON', () => {
  const base = parseSettings({
    feeds: [
      {
        id: 'a',
        name: 'Alpha',
        url: 'https://example.com/a',
        headers: [
          { name: 'Authorization', value: 'Bearer x', secret: true },
          { name: 'X-Team', value: 'blue' },
        ],
      },
    ],
  })
  if (!base.ok) throw new Error('bad fixture')
  const settings = base.value

  it('validates the whole draft with the shared schema and friendlier number messages', () => {
    const bad = {
      ...settings,
      rateLimitPerMinute: Number.NaN,
      historySize: 5,
      feeds: [{ ...settings.feeds[0]!, url: 'ftp://x' }],
    }
    const result = validateDraft(bad, true)
    expect(result).toEqual({
      ok: false,
      errors: {
        'feeds.0.url': 'Only http and https URLs are supported, not ftp:',
        rateLimitPerMinute: 'Enter a number.',
        historySize: 'Must be at least 100.',
      },
    })
    expect(validateDraft(settings, true).ok).toBe(true)
    expect(validateDraft(settings, false)).toEqual({
      ok: false,
      errors: {
        'feeds.0.headers.0.value':
          'This system offers no encrypted storage, so secret headers cannot be saved.',
      },
    })
    expect(friendly('Invalid input: expected int, received number')).toBe('Enter a whole number.')
  })

  it('takes pause and snooze from the latest saved settings, not the stale draft', () => {
    const latest = {
      ...settings,
      pause: { until: 5 },
      feeds: [{ ...settings.feeds[0]!, snoozedUntil: 99 }],
      encryptionAvailable: true,
    }
    const input = draftToInput(settings, latest)
    expect(input.pause).toEqual({ until: 5 })
    expect(input.feeds?.[0]?.snoozedUntil).toBe(99)
  })

  it('exports without secrets and imports back with fresh ids, all or nothing', () => {
    const text = exportFeeds(settings.feeds)
    expect(text).not.toContain('Bearer x')
    const imported = importFeeds(text)
    expect(imported.ok).toBe(true)
    if (!imported.ok) return
    expect(imported.feeds[0]).toMatchObject({ name: 'Alpha', url: 'https://example.com/a' })
    expect(imported.feeds[0]!.id).not.toBe('a')
    expect(imported.feeds[0]!.headers).toEqual([
      { name: 'Authorization', value: '', secret: true },
      { name: 'X-Team', value: 'blue', secret: false },
    ])
    expect(importFeeds('[]')).toEqual({ ok: false, error: 'The file contains no feeds.' })
    expect(importFeeds('{"feeds":[{"name":"","url":"https://x.y"}]}')).toEqual({
      ok: false,
      error: 'Feed 1, Name: Give the feed a name.',
    })
    expect(
      importFeeds(
        '{"feeds":[{"name":"H","url":"https://x.y","headers":[{"name":"a b","value":"1"}]}]}',
      ),
    ).toMatchObject({
      ok: false,
      error: expect.stringContaining('Feed 1 (H), header 1 name:'),
    })
    expect(importFeeds('nope')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not valid JSON'),
    })
  })
})
