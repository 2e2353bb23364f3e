// Chaos: a loopback server injects faults from a fixed seed (cuts mid-event, clean ends,
// 500/503/429 with and without Retry-After, silence with the socket open, malformed lines,
// invalid UTF-8, re-sent events, events without an id of their own (the last event ID carries
// over, as the HTML standard says) and blocks with only an id, restarts with the port closed)
// while the app's pipeline runs several feeds. What reaches the renderer bridge and the
// notifications is checked: every event exactly once and in order with its last event ID, no
// notification twice, every failure a visible state, no unhandled rejection. CHAOS_SEED=<n> runs another plan. The plan follows from the seed (which
// fault each connection of each feed gets, the bytes, how they are cut, when the server
// restarts); where a restart falls among the connections depends on timing.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseHistory } from '../../src/main/store/history.ts'
import type { FeedState } from '../../src/shared/feed.ts'
import type { LoggedEvent } from '../../src/shared/ipc.ts'
import { fake } from '../setup/electron.ts'
import { startChaosApp, type ChaosApp } from '../support/chaos-pipeline.ts'
import { seededRandom, seedFrom } from '../support/chaos-random.ts'
import {
  ChaosServer,
  scriptEvent,
  type Outcome,
  type ServedRequest,
} from '../support/chaos-server.ts'

const SEED = seedFrom('CHAOS_SEED', 20_261_121)
const FEEDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta']
const EVENTS = 400
const FAULTS = 24
const RESTARTS = 3
const EVENT_KINDS = new Set(['task-completed', 'task-failed', 'news', 'message'])

/** The reason of a reconnecting state, as the kind of failure the server caused. */
function classify(state: Extract<FeedState, { kind: 'reconnecting' }>): Outcome | 'refused' {
  const reason = state.reason
  if (reason.startsWith('stream ended')) return 'ended'
  if (reason.startsWith('no data for') || reason.startsWith('no response from the server'))
    return 'idle'
  const http = /^HTTP (\d{3})/.exec(reason)
  if (http) return `http-${http[1]}` as Outcome
  if (/ECONNREFUSED/.test(reason)) return 'refused'
  return 'network'
}

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)
let server: ChaosServer
let app: ChaosApp
/** The server's requests as they stood before the app quit (quitting hangs up the rest). */
let served: ServedRequest[] = []
let matched: ReturnType<typeof matchFailures>

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled)
  process.on('uncaughtException', onUnhandled)
  fake.reset()
  console.log(`chaos: seed ${SEED} (CHAOS_SEED=${SEED} runs this plan again)`)
  const random = seededRandom(SEED)
  server = await ChaosServer.start({
    random: random.fork('server'),
    feedIds: FEEDS,
    eventsPerFeed: EVENTS,
    faultsPerFeed: FAULTS,
    restarts: RESTARTS,
  })
  // Real full-jitter backoff, drawn from the seed and scaled down so the run stays short.
  const jitter = random.fork('jitter')
  // Half the feeds notify on every event, flood control is wide and the catch-up window after a
  // reconnect is closed at once: most events then become a notification of their own, so a
  // duplicate anywhere (re-sent events, replays, reconnects) would show as a second one.
  app = await startChaosApp({
    random: () => jitter.next() * 0.25,
    settings: {
      rateLimitPerMinute: 600,
      feeds: FEEDS.map((id, i) => ({
        id,
        name: `Feed ${id}`,
        url: server.url(id),
        idleTimeoutSec: 2,
        notify: i % 2 === 0 ? 'all' : 'smart',
      })),
    },
    centerTiming: { catchUpWindowMs: 0 },
  })
  const done = () =>
    server.faultsLeft === 0 &&
    server.restartsLeft === 0 &&
    FEEDS.every((id) => app.engine.getState(id)?.kind === 'open') &&
    app.renderedEvents().length >= FEEDS.length * EVENTS
  try {
    await app.until(done, 'every event, fault and restart', 200_000)
    // The board's last states and counts reach the window within a few batches (counts go out
    // at most every fifth flush, see PushQueue.latestSoon): wait for them, not for the states.
    await app.until(
      () =>
        app
          .renderedFeeds()
          .at(-1)
          ?.every((f) => f.state.kind === 'open' && f.eventCount === EVENTS) === true,
      'the final feed states in the window',
      5_000,
    )
  } finally {
    served = server.requests.map((request) => ({ ...request }))
    await app.stop()
    await server.close()
  }
  matched = matchFailures()
}, 230_000)

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled)
  process.off('uncaughtException', onUnhandled)
  console.log(['chaos: faults injected and survived', ...reportLines()].join('\n'))
  await app?.removeFiles()
})

/**
 * Per feed, the reconnect reasons the engine reported against how the server ended each
 * connection, in order. Extra network errors and refused connections are attempts that never
 * reached the handler (made while the port was closed, or as it closed).
 */
function matchFailures() {
  const results = new Map<
    string,
    {
      mismatch: string | null
      unmatched: Outcome[]
      /** Attempts while the port was closed. */
      refused: number
      /** Connections dropped before they reached the handler (as the port closed). */
      dropped: number
      survived: Record<string, number>
    }
  >()
  for (const feedId of FEEDS) {
    const client = app.states.flatMap((s) =>
      s.feedId === feedId && s.state.kind === 'reconnecting' ? [classify(s.state)] : [],
    )
    const ended = served.filter((r) => r.feedId === feedId && r.outcome !== null)
    const survived: Record<string, number> = {}
    let next = 0
    let refused = 0
    let dropped = 0
    let mismatch: string | null = null
    for (const seen of client) {
      const want = ended[next]
      if (want && seen === want.outcome) {
        const kind = want.endedBy === 'restart' ? 'restart-cut' : (want.fault ?? 'hang-up')
        survived[kind] = (survived[kind] ?? 0) + 1
        next++
      } else if (seen === 'refused') refused++
      else if (seen === 'network') dropped++
      else mismatch ??= `state "${seen}" where the server caused "${want?.outcome}"`
    }
    results.set(feedId, {
      mismatch,
      unmatched: ended.slice(next).map((r) => r.outcome!),
      refused,
      dropped,
      survived,
    })
  }
  return results
}

const CONNECTION_FAULTS = new Set([
  'cut-mid-event',
  'clean-end',
  'http-500',
  'http-503',
  'http-429',
  'silent',
])

function reportLines(): string[] {
  if (!server || !matched) return ['  (the run did not finish)']
  const survived: Record<string, number> = {}
  for (const result of matched.values())
    for (const [kind, count] of Object.entries(result.survived))
      survived[kind] = (survived[kind] ?? 0) + count
  // A connection fault counts where it took effect; a restart may have cut its connection first.
  const injected: Record<string, number> = {}
  for (const [kind, count] of Object.entries(server.injected))
    if (!CONNECTION_FAULTS.has(kind)) injected[kind] = count
  for (const request of served) {
    if (request.outcome === null) continue
    const kind = request.endedBy === 'restart' ? 'restart-cut' : request.fault
    if (kind) injected[kind] = (injected[kind] ?? 0) + 1
  }
  const exact = app.renderedEvents().length === FEEDS.length * EVENTS
  const rows = Object.entries(injected).sort(([a], [b]) => a.localeCompare(b))
  return [
    ...rows.map(([kind, count]) => {
      // Connection faults survive when the engine reported them as a state and recovered;
      // content faults when every event still arrived exactly once; restarts when it came back.
      const ok = survived[kind] ?? (kind === 'restart' ? server.restartsDone : exact ? count : 0)
      return `  ${kind.padEnd(20)} injected ${String(count).padStart(5)}   survived ${String(ok).padStart(5)}`
    }),
    `  notifications shown: ${app.notifications.length} (${app.notifications.filter((n) => EVENT_KINDS.has(n.kind)).length} for single events, the rest summaries)`,
    ...FEEDS.map((feedId) => {
      const result = matched.get(feedId)!
      const connections = served.filter((r) => r.feedId === feedId).length
      return `  ${feedId}: ${connections} connections, ${result.refused} attempts refused while the port was closed, ${result.dropped} dropped as it closed`
    }),
  ]
}

/**
 * A feed's script as the client must report it: [id, type, data], the id being the event's last
 * event ID by the HTML standard's rule (its own `id:`, else the one before it carries over).
 */
function scriptedEvents(feedId: string): Array<[string, string, string]> {
  let lastEventId = ''
  return Array.from({ length: EVENTS }, (_, i) => {
    const { type, data, id } = scriptEvent(feedId, i + 1)
    if (id !== null) lastEventId = id
    return [lastEventId, type, data]
  })
}

function eventsOf(feedId: string, events: LoggedEvent[]): LoggedEvent[] {
  return events.filter((e) => e.feedId === feedId)
}

describe(`chaos (seed ${SEED})`, () => {
  it('leaves no unhandled rejection or exception', () => {
    expect(unhandled).toEqual([])
  })

  it('delivers every event to the renderer exactly once, in order, intact', () => {
    const rendered = app.renderedEvents()
    const seqs = rendered.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(new Set(seqs).size).toBe(seqs.length)
    for (const feedId of FEEDS) {
      const got = eventsOf(feedId, rendered).map((e) => [e.id, e.type, e.data])
      expect(got, `events of ${feedId}`).toEqual(scriptedEvents(feedId))
    }
    expect(rendered.length).toBe(FEEDS.length * EVENTS)
  })

  it('keeps the same events in the history, on disk, and each feed’s resume id', async () => {
    const rendered = app.renderedEvents()
    const key = (e: LoggedEvent) => `${e.seq} ${e.feedId} ${e.id}`
    expect(app.history.events().map(key)).toEqual(rendered.map(key))
    const onDisk = parseHistory(await readFile(join(app.dir, 'history.jsonl'), 'utf8'))
    expect(onDisk.droppedLines).toBe(0)
    expect(onDisk.events.map(key)).toEqual(rendered.map(key))
    const state = JSON.parse(await readFile(join(app.dir, 'state.json'), 'utf8')) as {
      lastEventIds: Record<string, string>
    }
    expect(state.lastEventIds).toEqual(Object.fromEntries(FEEDS.map((id) => [id, String(EVENTS)])))
  })

  it('never shows a notification twice', () => {
    const shown = app.notifications
    expect(shown.length).toBeGreaterThan(0)
    expect(new Set(shown.map((n) => n.key)).size).toBe(shown.length)
    const bySeq = new Map(app.renderedEvents().map((e) => [e.seq, e]))
    const perEvent = shown.filter((n) => EVENT_KINDS.has(n.kind))
    const events = perEvent.map((n) => bySeq.get(n.eventSeq!))
    for (const event of events) expect(event?.notification).not.toBeNull()
    // Which script event each one is (an event without an id of its own shares its id with the
    // one before it, so the id alone does not tell).
    const number = new Map<number, number>()
    for (const feedId of FEEDS)
      eventsOf(feedId, app.renderedEvents()).forEach((e, i) => number.set(e.seq, i + 1))
    const ids = events.map((e) => `${e!.feedId}#${number.get(e!.seq)}`)
    expect(new Set(ids).size).toBe(ids.length)
    // Each went to the native layer once, as it was decided.
    const natives = fake.notifications()
    expect(natives.map((n) => [n.title, n.body])).toEqual(shown.map((n) => [n.title, n.body]))
  })

  it('shows every failure as a state, in the order the server caused them', () => {
    for (const feedId of FEEDS) {
      const states = app.states.filter((s) => s.feedId === feedId).map((s) => s.state)
      expect(states.filter((s) => s.kind === 'failed' || s.kind === 'stopped')).toEqual([])
      const result = matched.get(feedId)!
      expect(result.mismatch, feedId).toBeNull()
      expect(result.unmatched, `${feedId}: connections ended with no state`).toEqual([])
      // Only a restart can drop a connection the handler never saw.
      expect(result.dropped).toBeLessThanOrEqual(RESTARTS * 2)
    }
  })

  it('lets the window see each reconnect that lasted long enough to be drawn', () => {
    const pushed = app.renderedFeeds()
    for (const change of app.states) {
      if (change.state.kind !== 'reconnecting' || change.state.delayMs < 200) continue
      const seen = pushed.some((feeds) =>
        feeds.some(
          (f) => f.id === change.feedId && JSON.stringify(f.state) === JSON.stringify(change.state),
        ),
      )
      expect(seen, `${change.feedId}: ${JSON.stringify(change.state)}`).toBe(true)
    }
    const last = pushed.at(-1)!
    expect(last.map((f) => [f.id, f.state.kind, f.eventCount, f.lastEventId])).toEqual(
      FEEDS.map((id) => [id, 'open', EVENTS, String(EVENTS)]),
    )
  })
})
