// The demo feed's content, separate from HTTP so it is deterministic and unit-testable: one call to
// `tick()` per clock tick (1 s in the real server) returns the events of that tick, without ids.

export interface DemoEvent {
  type: 'task.started' | 'task.progress' | 'task.done' | 'task.failed' | 'news'
  /** JSON text. */
  data: string
}

export interface DemoGenerator {
  /** Advances the clock by one tick and returns the events that happen in it. */
  tick(): DemoEvent[]
}

interface TaskKind {
  name: (serial: number) => string
  slug: (serial: number) => string
  successes: string[]
  failures: string[]
}

const TASK_KINDS: TaskKind[] = [
  {
    name: (n) => `Build #${n}`,
    slug: (n) => `build-${n}`,
    successes: ['All 412 tests passed.', 'Artifacts uploaded (38 MB).', 'Green, 3 warnings.'],
    failures: ['2 tests failed in checkout.spec.ts.', 'Compiler error in src/cart.ts:88.'],
  },
  {
    name: () => 'Deploy api',
    slug: (n) => `deploy-api-${n}`,
    successes: ['v2.14 is live on 6 of 6 hosts.', 'Rolled out to production.'],
    failures: ['Health check timed out after 30 s; rolled back.'],
  },
  {
    name: () => 'Nightly backup',
    slug: (n) => `backup-${n}`,
    successes: ['4.2 GB written, checksum verified.', 'Snapshot stored in 2 regions.'],
    failures: ['Disk quota exceeded on backup-2.'],
  },
  {
    name: () => 'Export report',
    slug: (n) => `export-${n}`,
    successes: ['Q3-sales.xlsx is ready (1,204 rows).', 'PDF sent to finance.'],
    failures: ['Database connection reset by peer.'],
  },
  {
    name: () => 'Resize images',
    slug: (n) => `images-${n}`,
    successes: ['2,318 thumbnails generated.'],
    failures: ['Out of memory on photo 1,877 of 2,318.'],
  },
  {
    name: () => 'Run migrations',
    slug: (n) => `migrate-${n}`,
    successes: ['7 migrations applied.'],
    failures: ['Migration 0042 failed: column "email" already exists.'],
  },
]

const NEWS = [
  {
    title: 'Welcome to Tidings',
    body: 'This demo feed shows tasks that start, progress and finish. Add your own SSE feed any time.',
    url: 'https://html.spec.whatwg.org/multipage/server-sent-events.html',
  },
  {
    title: 'Tip: one-shot streams',
    body: 'Mark a feed "stream end means finished" to be told when a job is done.',
    url: 'https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events/Using_server-sent_events',
  },
  {
    title: 'Tip: quiet hours',
    body: 'Notifications wait during quiet hours and arrive as one digest afterwards.',
    url: 'https://developer.mozilla.org/en-US/docs/Web/API/EventSource',
  },
  {
    title: 'Server-Sent Events resume where they left off',
    body: 'Every event here has an id, so a reconnect replays what was missed.',
    url: 'https://html.spec.whatwg.org/multipage/server-sent-events.html#the-last-event-id-header',
  },
]

interface RunningTask {
  taskId: string
  title: string
  kind: TaskKind
  startedAt: number
  endsAt: number
  fails: boolean
  nextProgressAt: number
}

interface PlannedStart {
  at: number
  kindIndex: number
  duration: number
  fails: boolean
}

/** Three lanes of tasks keep the pace steady but calm: about one finish every 15 s, news every
 *  minute or so, together under the app's default flood limit of 5 notifications a minute. */
const LANES = 3
const FAILURE_RATE = 0.25
const DURATION = { min: 20, max: 60 }
const GAP = { min: 5, max: 15 }
const NEWS_EVERY = { min: 60, max: 90 }

/** A fixed opening so a new user sees a completion ~5 ticks in and a failure soon after. */
const OPENING: PlannedStart[] = [
  { at: 0, kindIndex: 0, duration: 5, fails: false },
  { at: 1, kindIndex: 1, duration: 11, fails: true },
  { at: 3, kindIndex: 2, duration: 30, fails: false },
]

export function createDemoGenerator(options: { seed?: number; firstBuild?: number } = {}) {
  const random = mulberry32(options.seed ?? 41)
  let now = -1
  let buildSerial = (options.firstBuild ?? 41) - 1
  let serial = 0
  let newsIndex = 0
  let nextNewsAt = 2
  const running: RunningTask[] = []
  const planned: PlannedStart[] = [...OPENING]

  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T

  function planNext(after: number): void {
    planned.push({
      at: after + between(GAP.min, GAP.max),
      kindIndex: Math.floor(random() * TASK_KINDS.length),
      duration: between(DURATION.min, DURATION.max),
      fails: random() < FAILURE_RATE,
    })
  }

  function start(plan: PlannedStart): DemoEvent {
    const kind = TASK_KINDS[plan.kindIndex] as TaskKind
    serial += 1
    const number = kind === TASK_KINDS[0] ? ++buildSerial : serial
    const task: RunningTask = {
      taskId: kind.slug(number),
      title: kind.name(number),
      kind,
      startedAt: now,
      endsAt: now + plan.duration,
      fails: plan.fails,
      nextProgressAt: now + between(1, 3),
    }
    running.push(task)
    return event('task.started', {
      taskId: task.taskId,
      task: task.title,
      status: 'running',
      progress: 0,
    })
  }

  function progress(task: RunningTask): DemoEvent {
    task.nextProgressAt = now + between(2, 3)
    const fraction = (now - task.startedAt) / (task.endsAt - task.startedAt)
    return event('task.progress', {
      taskId: task.taskId,
      task: task.title,
      status: 'running',
      progress: Math.round(fraction * 100) / 100,
    })
  }

  function finish(task: RunningTask): DemoEvent {
    running.splice(running.indexOf(task), 1)
    planNext(now)
    if (task.fails)
      return event('task.failed', {
        taskId: task.taskId,
        task: task.title,
        status: 'failed',
        error: pick(task.kind.failures),
      })
    return event('task.done', {
      taskId: task.taskId,
      task: task.title,
      status: 'done',
      message: pick(task.kind.successes),
      progress: 1,
    })
  }

  function tick(): DemoEvent[] {
    now += 1
    const events: DemoEvent[] = []
    for (const task of [...running]) {
      if (now >= task.endsAt) events.push(finish(task))
      else if (now >= task.nextProgressAt) events.push(progress(task))
    }
    for (const plan of planned.filter((p) => p.at <= now)) {
      if (running.length >= LANES) continue // stays planned until a lane frees up
      planned.splice(planned.indexOf(plan), 1)
      events.push(start(plan))
    }
    if (running.length + planned.length < LANES) planNext(now)
    if (now >= nextNewsAt) {
      const item = NEWS[newsIndex % NEWS.length] as (typeof NEWS)[number]
      newsIndex += 1
      nextNewsAt = now + between(NEWS_EVERY.min, NEWS_EVERY.max)
      events.push(event('news', item))
    }
    return events
  }

  return { tick } satisfies DemoGenerator
}

function event(type: DemoEvent['type'], data: object): DemoEvent {
  return { type, data: JSON.stringify(data) }
}

/** Small seeded PRNG: the same seed gives the same demo, which the tests rely on. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
