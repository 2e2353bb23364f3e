// npm run soak (not in CI): 100 feeds × 20 events a second for 10 minutes through the engine,
// the notification policy and the batched pushes to the window (the app's main-process pipeline,
// history written to disk). Prints per minute: events, CPU time per 1,000 events, heap and RSS.
// Fails when the pipeline cannot keep up, or when memory keeps growing after the first two
// minutes. The heap is sampled after a full GC every 10 s; each minute's floor (its lowest
// sample) sees past the history's trimming in steps, which swings the heap by a few MiB. Of
// the floors after minute 2, the later half must not both climb by more than 1 MiB a minute
// and sit 2 MiB above the earlier half.
// Bounded caches fill first (the engine remembers 4,096 event ids per feed: about 3.5 minutes
// at 20 events/s), so runs shorter than 6 minutes print the trend without a verdict on it.
// SOAK_MINUTES, SOAK_FEEDS and SOAK_RATE change the run (e.g. SOAK_MINUTES=3 for a trial).
import { startBenchApp, startPacedServer } from './pipeline.ts'
import { writeSoakSection } from './report.ts'
import { collectGarbage, describeMachine, int, mib } from './stats.ts'

const MINUTES = Number(process.env['SOAK_MINUTES'] ?? 10)
const FEEDS = Number(process.env['SOAK_FEEDS'] ?? 100)
const RATE = Number(process.env['SOAK_RATE'] ?? 20)
const SAMPLE_MS = 10_000
const WARMUP_MS = 2 * 60_000
const MAX_SLOPE = 1024 * 1024 // bytes per minute
const MAX_RISE = 2 * 1024 * 1024
/** Shorter runs end while bounded caches are still filling (see above). */
const JUDGE_MINUTES = 6

interface Sample {
  at: number
  heap: number
  rss: number
}

/** Least-squares slope of heap over time, in bytes per minute. */
function slopePerMinute(samples: Sample[]): number {
  const n = samples.length
  const mx = samples.reduce((s, p) => s + p.at, 0) / n
  const my = samples.reduce((s, p) => s + p.heap, 0) / n
  let num = 0
  let den = 0
  for (const p of samples) {
    num += (p.at - mx) * (p.heap - my)
    den += (p.at - mx) ** 2
  }
  return den === 0 ? 0 : (num / den) * 60_000
}

const printed: string[] = []
function print(line: string): void {
  printed.push(line)
  console.log(line)
}

async function main(): Promise<number> {
  if (!collectGarbage()) {
    console.error(
      'soak: run with node --expose-gc (npm run soak does) to measure the heap after GC',
    )
    return 2
  }
  print(
    `soak: ${FEEDS} feeds × ${RATE} events/s for ${MINUTES} min through engine, notification policy and window batching (${int(FEEDS * RATE)} events/s)`,
  )
  const server = await startPacedServer(RATE)
  const app = await startBenchApp(
    Array.from({ length: FEEDS }, (_, i) => ({ id: `s${i}`, url: server.url(`s${i}`) })),
  )
  let engineEvents = 0
  app.engine.on('event', () => engineEvents++)
  const start = performance.now()
  const samples: Sample[] = []
  const floors: Sample[] = []
  let minute = { at: start, events: 0, cpu: process.cpuUsage() }
  let failed: string | null = null
  let written: number
  let received: number
  let pushed: number

  try {
    for (let elapsed = 0; elapsed < MINUTES * 60_000;) {
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS))
      elapsed = performance.now() - start
      collectGarbage()
      const memory = process.memoryUsage()
      samples.push({ at: elapsed, heap: memory.heapUsed, rss: memory.rss })
      if (elapsed - (minute.at - start) < 60_000 - SAMPLE_MS / 2) continue
      const ofMinute = samples.filter((sample) => sample.at > minute.at - start)
      const floor = Math.min(...ofMinute.map((sample) => sample.heap))
      floors.push({ at: elapsed, heap: floor, rss: memory.rss })
      const cpu = process.cpuUsage(minute.cpu)
      const events = engineEvents - minute.events
      const cpuMs = (cpu.user + cpu.system) / 1000
      const seconds = (performance.now() - minute.at) / 1000
      print(
        `  min ${String(Math.round(elapsed / 60_000)).padStart(2)}  ${int(events / seconds).padStart(6)} events/s` +
          `  cpu ${(cpuMs / (events / 1000)).toFixed(1).padStart(6)} ms/1,000 events` +
          `  heap ${mib(memory.heapUsed).padStart(9)} (floor ${mib(floor)})  rss ${mib(memory.rss).padStart(9)}` +
          `  window batches ${int(app.batches)}  notifications ${int(app.notifications)}`,
      )
      minute = { at: performance.now(), events: engineEvents, cpu: process.cpuUsage() }
    }
  } finally {
    received = engineEvents
    pushed = app.events
    written = await server.written().catch(() => 0)
    await app.stop()
    await server.stop()
  }

  const seconds = (performance.now() - start) / 1000
  print(
    `soak: ${int(received)} of the ${int(written)} events the server had written in ${seconds.toFixed(0)} s reached the app, ${int(pushed)} were pushed to the window`,
  )
  // At most one second's worth may still be in flight when the run stops.
  if (received < written - FEEDS * RATE) failed = 'the pipeline did not keep up with the load'
  const late = floors.filter((s) => s.at >= WARMUP_MS + 30_000)
  if (late.length >= 4) {
    const half = Math.floor(late.length / 2)
    const earlier = late.slice(0, half)
    const later = late.slice(half)
    const mean = (list: Sample[]) => list.reduce((sum, s) => sum + s.heap, 0) / list.length
    const slope = slopePerMinute(later)
    const rise = mean(later) - mean(earlier)
    print(
      `soak: heap floor after minute 2: ${mib(late[0]!.heap)} -> ${mib(late.at(-1)!.heap)}; later half ${(slope / 1024).toFixed(0)} KiB/min, ${mib(rise)} above the earlier half (limits ${MAX_SLOPE / 1024} KiB/min, ${mib(MAX_RISE)})`,
    )
    if (MINUTES < JUDGE_MINUTES)
      print(
        `soak: memory not judged: caches are still filling; judge runs of ${JUDGE_MINUTES}+ minutes`,
      )
    else if (slope > MAX_SLOPE && rise > MAX_RISE)
      failed ??= 'memory keeps growing after the first two minutes'
  } else {
    print(`soak: memory not judged: run ${JUDGE_MINUTES}+ minutes`)
  }
  print(failed ? `soak: FAILED: ${failed}` : 'soak: passed')
  // Only a full run stands for the claim in docs/performance.md; trials are printed only.
  if (MINUTES >= 10 && FEEDS === 100 && RATE === 20) await record()
  else console.log('soak: a trial run, not recorded in docs/performance.md')
  return failed ? 1 : 0
}

/** Keeps the run's printout in docs/performance.md, with the machine it ran on. */
async function record(): Promise<void> {
  const m = describeMachine()
  await writeSoakSection(
    [
      `Last \`npm run soak\`: ${m.date}, commit \`${m.commit}\`, ${m.cores} × ${m.cpu}, Node ${m.node}.`,
      'CPU time is this process only (the server runs in its own); heap and RSS after a full GC.',
      '',
      '```',
      ...printed,
      '```',
    ].join('\n'),
  )
}

process.exitCode = await main()
