// `npm run bench`: prints the figures and ratios. Tests never assert on time; this does the measuring.
import { cpus, totalmem } from 'node:os'
import {
  barePackage,
  engine,
  eventsPerSecond,
  parserAlone,
  startBenchServer,
} from './throughput.ts'

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200_000)
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5)

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')

async function main(): Promise<void> {
  console.log(
    `Tidings benchmarks: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  )
  const server = await startBenchServer(EVENTS)
  try {
    console.log(
      `\nThroughput: ${fmt(EVENTS)} events from a loopback server (separate process), median of ${ROUNDS}`,
    )
    // Warm up the JIT on each path once before measuring.
    await parserAlone(server.url, EVENTS)
    await barePackage(server.url, EVENTS)
    await engine(server.url, EVENTS)
    const parser = await eventsPerSecond(() => parserAlone(server.url, EVENTS), ROUNDS)
    const bare = await eventsPerSecond(() => barePackage(server.url, EVENTS), ROUNDS)
    const ours = await eventsPerSecond(() => engine(server.url, EVENTS), ROUNDS)
    console.log(`  eventsource-parser alone   ${fmt(parser).padStart(12)} events/s`)
    console.log(`  bare eventsource package   ${fmt(bare).padStart(12)} events/s`)
    console.log(`  Tidings engine             ${fmt(ours).padStart(12)} events/s`)
    console.log(
      `  ratio engine/bare          ${(ours / bare).toFixed(2).padStart(12)}   (target >= 0.90)`,
    )
  } finally {
    server.close()
  }
}

await main()
