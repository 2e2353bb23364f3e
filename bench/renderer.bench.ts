// npm run bench:renderer — the log under load in Debian's Chromium: 100,000 events at 2,000 a
// second, in 50 ms batches through the same window.tidings push path main uses. Prints the
// time to render a batch (median / p99; targets < 8 ms / < 16 ms), row elements in the DOM
// (target < 200) and the JS heap at the end.
import type { CDPSession } from 'playwright-core'
import { serveRenderer } from '../tests/browser/support/build-renderer.ts'
import { hasChromium, launchChromium, skipReason } from '../tests/browser/support/chromium.ts'
import { BENCH_PAGE_SCRIPT } from './renderer-page.ts'

const TOTAL = Number(process.env.BENCH_EVENTS ?? 100_000)
const PER_SECOND = Number(process.env.BENCH_RATE ?? 2_000)
const BATCH_MS = 50

interface BenchResult {
  times: number[]
  elapsed: number
  batches: number
  perBatch: number
  longFrames: number[]
  rows: number
  maxRows: number
  countText: string
  lastRowText: string
  domNodes: number
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
    const before = await busyMetrics(cdp)
    const result = await page.evaluate<BenchResult>(`window.__bench.run(${options})`)
    const after = await busyMetrics(cdp)
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number }
    const sorted = [...result.times].sort((a, b) => a - b)
    const median = percentile(sorted, 50)
    const p99 = percentile(sorted, 99)
    const long = result.longFrames.length
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
      `long frames:        ${long} over 50 ms${long ? ` (longest ${ms(Math.max(...result.longFrames))})` : ''}`,
    )
    console.log(
      `targets:            median < 8 ms ${median < 8 ? 'met' : 'MISSED'}, p99 < 16 ms ${p99 < 16 ? 'met' : 'MISSED'}, rows < 200 ${result.maxRows < 200 ? 'met' : 'MISSED'}`,
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
