// Latency from the server's write to the notification decision and to the window's batch,
// through the app's main-process pipeline. The server (its own process) stamps each event with
// the monotonic clock just before writing it; the same clock is read here.
import { startBenchApp, startPacedServer } from './pipeline.ts'
import { monotonicMicros, percentile } from './stats.ts'

export interface LatencyResult {
  feeds: number
  rate: number
  samples: number
  decision: { p50: number; p99: number }
  batch: { p50: number; p99: number }
}

const stamp = /"t":(\d+)/

export async function measureLatency(options: {
  feeds: number
  ratePerFeed: number
  seconds: number
}): Promise<LatencyResult> {
  const server = await startPacedServer(options.ratePerFeed)
  const ids = Array.from({ length: options.feeds }, (_, i) => `f${i}`)
  const app = await startBenchApp(ids.map((id) => ({ id, url: server.url(id) })))
  const decisions: number[] = []
  const batches: number[] = []
  let measuring = false
  // Registered after the core's own listener: runs once the core has decided and logged.
  app.engine.on('event', (event) => {
    if (!measuring) return
    const now = monotonicMicros()
    decisions.push((now - Number(stamp.exec(event.data)?.[1])) / 1000)
  })
  app.onBatch = (batch) => {
    if (!measuring) return
    const now = monotonicMicros()
    for (const event of batch) batches.push((now - Number(stamp.exec(event.data)?.[1])) / 1000)
  }
  try {
    await new Promise((resolve) => setTimeout(resolve, 2000)) // connect and warm up
    measuring = true
    await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000))
    measuring = false
  } finally {
    await app.stop()
    await server.stop()
  }
  if (decisions.length === 0) throw new Error('latency: no events arrived')
  return {
    feeds: options.feeds,
    rate: options.ratePerFeed,
    samples: decisions.length,
    decision: { p50: percentile(decisions, 50), p99: percentile(decisions, 99) },
    batch: { p50: percentile(batches, 50), p99: percentile(batches, 99) },
  }
}
