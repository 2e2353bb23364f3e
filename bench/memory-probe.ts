// One memory measurement in a fresh process (run with --expose-gc): the app's pipeline with N
// feeds connected to a paced server, heap and RSS after a full GC, against the same process
// before the app started. Prints one JSON line.
// Usage: node --expose-gc bench/memory-probe.ts <feeds> <server port>
import { startBenchApp, waitFor } from './pipeline.ts'
import { collectGarbage } from './stats.ts'

const feeds = Number(process.argv[2])
const port = Number(process.argv[3])

async function settle(): Promise<NodeJS.MemoryUsage> {
  await new Promise((resolve) => setTimeout(resolve, 500))
  collectGarbage()
  return process.memoryUsage()
}

// Warm the modules and fetch once so the baseline holds what any app holds.
await fetch(`http://127.0.0.1:${port}/warm`).then((r) => r.body?.cancel())
const before = await settle()
const app = await startBenchApp(
  Array.from({ length: feeds }, (_, i) => ({
    id: `m${i}`,
    url: `http://127.0.0.1:${port}/feeds/m${i}`,
  })),
)
// Every feed open and a few events each through the whole pipeline.
await waitFor(
  () => app.core.board.list().every((f) => f.state.kind === 'open' && f.eventCount >= 5),
  60_000,
)
const after = await settle()
await app.stop()
process.stdout.write(
  `${JSON.stringify({
    feeds,
    heap: after.heapUsed - before.heapUsed,
    external: after.external + after.arrayBuffers - before.external - before.arrayBuffers,
    rss: after.rss - before.rss,
  })}\n`,
)
process.exit(0)
