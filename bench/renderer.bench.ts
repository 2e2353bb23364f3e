// npm run bench:renderer — the log under load in Debian's Chromium: 10,000 events a second for
// 60 s, in 50 ms batches through the same window.tidings push path main uses, the log keeping its
// 100,000. Prints the time to render a batch (median / p99; targets < 8 ms / < 16 ms), frames
// over 50 ms after the first 5 s (target: none), row elements in the DOM (target < 200) and the
// JS heap at the end (target < 100 MiB).
// BENCH_RATE, BENCH_EVENTS change the load; BENCH_CPU_PROFILE=<file> writes a CPU profile of
// the page (Chrome's format) for the run; BENCH_TRACE=<file> a Chromium trace (timeline and GC
// events: open it in chrome://tracing or Perfetto, or find the long frames' causes in it).
import { writeFile } from 'node:fs/promises'
import type { CDPSession } from 'playwright-core'
import { serveRenderer } from '../tests/browser/support/build-renderer.ts'
import { hasChromium, launchChromium, skipReason } from '../tests/browser/support/chromium.ts'
import { BENCH_PAGE_SCRIPT } from './renderer-page.ts'

const PER_SECOND = Number(process.env.BENCH_RATE ?? 10_000)
const TOTAL = Number(process.env.BENCH_EVENTS ?? PER_SECOND * 60)
const BATCH_MS = 50
/** Frames are judged after this: the page's first seconds compile and settle. */
const WARMUP_MS = 5000
const HEAP_LIMIT = 100 * 1024 * 1024

interface BenchResult {
  times: number[]
  elapsed: number
  batches: number
  perBatch: number
  /** Long animation frames: when (ms from the start), how long, and where the time went. */
  longFrames: LongFrame[]
  rows: number
  maxRows: number
  countText: string
  lastRowText: string
  domNodes: number
}

interface LongFrame {
  at: number
  duration: number
  /** Scripts' time in the frame, forced layouts included. */
  script: number
  /** The frame's own style and layout, up to its end. */
  styleAndLayout: number
  /** The longest script: what invoked it, and its duration. */
  topScript: string
}

interface BusyMetrics {
  TaskDuration: number
  ScriptDuration: number
  LayoutDuration: number
  RecalcStyleDuration: number
}

/** Chromium's cumulative main-thread seconds, by kind of work. */
async function busyMetrics(cdp: CDPSession): Promise<BusyMetrics> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[]
  }
  const value = (name: string): number => metrics.find((metric) => metric.name === name)?.value ?? 0
  return {
    TaskDuration: value('TaskDuration'),
    ScriptDuration: value('ScriptDuration'),
    LayoutDuration: value('LayoutDuration'),
    RecalcStyleDuration: value('RecalcStyleDuration'),
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index]!
}

const ms = (value: number): string => `${value.toFixed(2)} ms`
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

async function main(): Promise<void> {
  if (!hasChromium) {
    console.log(`bench:renderer skipped: ${skipReason}`)
    return
  }
  const [renderer, browser] = await Promise.all([
    serveRenderer(),
    launchChromium(['--enable-precise-memory-info']),
  ])
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.addInitScript(BENCH_PAGE_SCRIPT)
    await page.goto(renderer.url)
    await page.getByRole('list', { name: 'Events' }).waitFor({ state: 'attached' })
    console.log(
      `bench:renderer: ${TOTAL.toLocaleString('en')} events at ${PER_SECOND.toLocaleString('en')}/s in ${BATCH_MS} ms batches (Chromium, 1280x800)`,
    )
    // A string expression: this file is typed for Node; the page script defines __bench.
    const options = JSON.stringify({ total: TOTAL, perSecond: PER_SECOND, batchMs: BATCH_MS })
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    const profileFile = process.env.BENCH_CPU_PROFILE
    if (profileFile) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    const traceFile = process.env.BENCH_TRACE
    if (traceFile)
      await browser.startTracing(page, {
        path: traceFile,
        categories: ['devtools.timeline', 'v8', 'disabled-by-default-v8.gc'],
      })
    const before = await busyMetrics(cdp)
    const result = await page.evaluate<BenchResult>(`window.__bench.run(${options})`)
    const after = await busyMetrics(cdp)
    if (traceFile) await browser.stopTracing()
    if (profileFile) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown }
      await writeFile(profileFile, JSON.stringify(profile))
    }
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number }
    const sorted = [...result.times].sort((a, b) => a - b)
    const median = percentile(sorted, 50)
    const p99 = percentile(sorted, 99)
    const late = result.longFrames.filter((frame) => frame.at >= WARMUP_MS)
    const long = late.length
    const longest = Math.max(0, ...late.map((frame) => frame.duration))
    console.log(
      `batches:            ${result.batches} of ${result.perBatch} events in ${(result.elapsed / 1000).toFixed(1)} s`,
    )
    console.log(
      `render per batch:   median ${ms(median)}, p95 ${ms(percentile(sorted, 95))}, p99 ${ms(p99)}, max ${ms(sorted.at(-1) ?? NaN)}`,
    )
    const perBatch = (key: keyof BusyMetrics): string =>
      ms(((after[key] - before[key]) * 1000) / result.batches)
    console.log(
      `main thread/batch: ${perBatch('TaskDuration')} busy on average (script ${perBatch('ScriptDuration')}, layout ${perBatch('LayoutDuration')}, style ${perBatch('RecalcStyleDuration')}): all work, incl. the frames after each push`,
    )
    console.log(
      `row elements:       ${result.rows} at the end, ${result.maxRows} at most (sampled)`,
    )
    console.log(`DOM elements:       ${result.domNodes}`)
    console.log(`log window:         ${result.countText}`)
    console.log(
      `JS heap at the end: ${mib(heap.usedSize)} used after GC (${mib(heap.totalSize)} allocated)`,
    )
    console.log(
      `long frames:        ${long} over 50 ms after the first ${WARMUP_MS / 1000} s${long ? ` (longest ${ms(longest)})` : ''}, ${result.longFrames.length - long} before`,
    )
    console.log(
      `targets:            median < 8 ms ${median < 8 ? 'met' : 'MISSED'}, p99 < 16 ms ${p99 < 16 ? 'met' : 'MISSED'}, no frame > 50 ms after warm-up ${long === 0 ? 'met' : 'MISSED'}, rows < 200 ${result.maxRows < 200 ? 'met' : 'MISSED'}, heap < 100 MiB ${heap.usedSize < HEAP_LIMIT ? 'met' : 'MISSED'}`,
    )
    for (const frame of late)
      console.log(
        `  long frame at ${(frame.at / 1000).toFixed(1)} s: ${ms(frame.duration)}, scripts ${ms(frame.script)}${frame.topScript ? ` (longest: ${frame.topScript})` : ''}, style and layout ${ms(frame.styleAndLayout)}, the rest ${ms(Math.max(0, frame.duration - frame.script - frame.styleAndLayout))} (GC, paint, the OS)`,
      )
    if (errors.length > 0) console.log(`page errors:        ${errors.join('; ')}`)
    if (!result.lastRowText.includes(String(TOTAL)))
      console.log(`warning: last row is not event ${TOTAL}: ${result.lastRowText}`)
  } finally {
    await browser.close()
    await renderer.dispose()
  }
}

await main()
