// `npm run bench`: measures, prints figures and ratios, and rewrites docs/performance.md.
// Tests never assert on time; this does the measuring.
import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { buildCli, measureCli } from './cli.ts'
import { measureLatency } from './latency.ts'
import { measureMemory } from './memory.ts'
import { measureIdle, measurePipelineCost } from './pipeline-cost.ts'
import { measureReconnect } from './reconnect.ts'
import { currentSoakSection, renderReport, REPORT, type BenchResults } from './report.ts'
import { describeMachine, int, kib, median, mib, ms } from './stats.ts'
import {
  barePackage,
  engine,
  eventsPerSecond,
  parserAlone,
  startBenchServer,
} from './throughput.ts'

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200_000)
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 9)
const SKIP_RENDERER = process.env['BENCH_SKIP_RENDERER'] === '1'
const PIPELINE_ROUNDS = Number(process.env['BENCH_PIPELINE_ROUNDS'] ?? 3)
const PIPELINE_SECONDS = Number(process.env['BENCH_PIPELINE_SECONDS'] ?? 30)
const IDLE_SECONDS = Number(process.env['BENCH_IDLE_SECONDS'] ?? 60)
const us = (n: number): string => `${n.toFixed(1)} µs`

async function throughput(url: string): Promise<BenchResults['throughput']> {
  console.log(
    `\nThroughput: ${int(EVENTS)} events from a loopback server (separate process), median of ${ROUNDS} interleaved rounds`,
  )
  // Warm up the JIT on each path once before measuring.
  await parserAlone(url, EVENTS)
  await barePackage(url, EVENTS)
  await engine(url, EVENTS)
  // Rounds interleave the three paths, so the machine's other load falls on each alike.
  const rates = { parser: [] as number[], bare: [] as number[], engine: [] as number[] }
  for (let round = 0; round < ROUNDS; round++) {
    rates.parser.push(await eventsPerSecond(() => parserAlone(url, EVENTS), 1))
    rates.bare.push(await eventsPerSecond(() => barePackage(url, EVENTS), 1))
    rates.engine.push(await eventsPerSecond(() => engine(url, EVENTS), 1))
  }
  const [parser, bare, ours] = [median(rates.parser), median(rates.bare), median(rates.engine)]
  // Each round measures both paths back to back, so the median of the per-round ratios is the
  // figure least moved by load that drifts during the run.
  const pairedRatio = median(rates.engine.map((rate, round) => rate / rates.bare[round]!))
  console.log(`  eventsource-parser alone   ${int(parser).padStart(12)} events/s`)
  console.log(`  bare eventsource package   ${int(bare).padStart(12)} events/s`)
  console.log(`  Tidings engine             ${int(ours).padStart(12)} events/s`)
  console.log(
    `  ratio engine/bare          ${pairedRatio.toFixed(2).padStart(12)}   (target >= 0.90; median of per-round ratios)`,
  )
  return { events: EVENTS, rounds: ROUNDS, parser, bare, engine: ours, pairedRatio }
}

async function cli(url: string): Promise<BenchResults['cli']> {
  const rounds = Math.max(3, Math.ceil(ROUNDS / 2))
  console.log(
    `\nCLI: the built tail --json to a pipe vs the bare eventsource package, ${int(EVENTS)} events, median of ${rounds} interleaved rounds`,
  )
  const built = buildCli()
  try {
    const r = await measureCli(built.entry, url, EVENTS, rounds)
    const row = (name: string, side: { eventsPerSecond: number; cpuUsPerEvent: number }) =>
      console.log(
        `  ${name.padEnd(40)} ${int(side.eventsPerSecond).padStart(10)} events/s   ${us(side.cpuUsPerEvent).padStart(9)} CPU/event`,
      )
    row('tidings tail --json', r.tidings)
    row('bare eventsource, {type,data,id} lines', r.bare)
    row('bare eventsource + decide(), full lines', r.bareDecide)
    console.log(
      `  ratio tidings/bare events/s              ${r.ratio.toFixed(2).padStart(10)}   (target >= 1.00; median of per-round ratios)`,
    )
    console.log(
      `  ratio bare/tidings CPU per event         ${r.cpuRatio.toFixed(2).padStart(10)}   (>= 1: tidings spends less)`,
    )
    console.log(
      `  ratio tidings/(bare + decide) events/s   ${r.ratioDecide.toFixed(2).padStart(10)}`,
    )
    return { ...r, events: EVENTS, rounds }
  } finally {
    built.remove()
  }
}

async function pipeline(): Promise<BenchResults['pipeline']> {
  console.log(
    `\nApp pipeline: 100 feeds × 20 events/s, one event per chunk, history on disk; each side in a fresh process, ${PIPELINE_ROUNDS} interleaved rounds of ${PIPELINE_SECONDS} s after a 10 s warm-up`,
  )
  const r = await measurePipelineCost({
    feeds: 100,
    rate: 20,
    rounds: PIPELINE_ROUNDS,
    warmupMs: 10_000,
    measureMs: PIPELINE_SECONDS * 1000,
  })
  const row = (name: string, side: { usPerEvent: number; rss: number; eventsPerSecond: number }) =>
    console.log(
      `  ${name.padEnd(36)} ${us(side.usPerEvent).padStart(9)} CPU/event   RSS ${mib(side.rss).padStart(9)}   ${int(side.eventsPerSecond)} events/s`,
    )
  row('app pipeline (composeTidings)', r.app)
  row('100 bare eventsource connections', r.bare)
  console.log(
    `  ratio app/bare CPU per event         ${r.cpuRatio.toFixed(2).padStart(9)}   (target <= 1.00)`,
  )
  console.log(
    `  ratio app/bare RSS                   ${r.rssRatio.toFixed(2).padStart(9)}   (target <= 1.20)`,
  )
  return r
}

async function idle(): Promise<BenchResults['idle']> {
  console.log(
    `\nIdle: 100 feeds connected, a keepalive comment every 15 s on each, ${IDLE_SECONDS} s (fresh process each)`,
  )
  const r = await measureIdle({
    feeds: 100,
    keepaliveMs: 15_000,
    warmupMs: 5000,
    measureMs: IDLE_SECONDS * 1000,
  })
  const row = (name: string, side: { corePercent: number; heapPerFeed: number }) =>
    console.log(
      `  ${name.padEnd(36)} ${side.corePercent.toFixed(3).padStart(7)}% of a core   heap ${kib(side.heapPerFeed).padStart(9)}/feed`,
    )
  row('app pipeline (composeTidings)', r.app)
  row('100 bare eventsource connections', r.bare)
  console.log(
    `  ratio app/bare                       ${(r.app.corePercent / r.bare.corePercent).toFixed(2).padStart(7)} CPU          ${(r.app.heapPerFeed / r.bare.heapPerFeed).toFixed(2).padStart(9)} heap   (targets: app under 0.5% of a core, under 50 KiB/feed)`,
  )
  return r
}

async function latency(): Promise<BenchResults['latency']> {
  console.log('\nLatency: 10 feeds × 50 events/s through the app pipeline, 10 s')
  const result = await measureLatency({ feeds: 10, ratePerFeed: 50, seconds: 10 })
  console.log(
    `  write -> decision          p50 ${ms(result.decision.p50, 2)}   p99 ${ms(result.decision.p99, 2)}`,
  )
  console.log(
    `  write -> renderer batch    p50 ${ms(result.batch.p50)}   p99 ${ms(result.batch.p99)}`,
  )
  return result
}

async function memory(): Promise<BenchResults['memory']> {
  console.log('\nMemory per feed (fresh process per count, after GC)')
  const rows = await measureMemory([1, 10, 100])
  for (const row of rows)
    console.log(
      `  ${String(row.feeds).padStart(3)} feeds   heap ${mib(row.heap).padStart(9)} (${kib(row.heap / row.feeds)}/feed)   rss ${mib(row.rss).padStart(9)}`,
    )
  return rows
}

async function reconnect(): Promise<BenchResults['reconnect']> {
  console.log('\nReconnect after a server restart (kill, start again on the same port)')
  const results = []
  for (const retryMs of [1000, 0]) {
    const r = await measureReconnect(8, retryMs)
    console.log(
      `  retry hint ${retryMs > 0 ? `${retryMs} ms` : 'none   '}   noticed ${ms(r.noticed.p50)}   open after server up p50 ${ms(r.backUp.p50, 0)} p90 ${ms(r.backUp.p90, 0)} max ${ms(r.backUp.max, 0)}   events lost ${r.gaps}`,
    )
    results.push(r)
  }
  return results
}

/** Runs `npm run bench:renderer` when that script exists; its output goes into the report. */
async function renderer(): Promise<BenchResults['renderer']> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts?: Record<string, string>
  }
  if (!pkg.scripts?.['bench:renderer'])
    return { ran: false, output: 'Not run: there is no `bench:renderer` script yet.' }
  if (SKIP_RENDERER)
    return {
      ran: false,
      output: 'Not run this time (BENCH_SKIP_RENDERER=1); see `npm run bench:renderer`.',
    }
  console.log('\nRenderer: npm run bench:renderer')
  const output = await new Promise<string>((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'bench:renderer'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk)
      text += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (!/npm warn/i.test(chunk.toString())) process.stderr.write(chunk)
    })
    child.on('close', (code) => resolve(code === 0 ? text : `${text}\n(exited with code ${code})`))
  })
  return { ran: true, output }
}

async function main(): Promise<void> {
  const machine = describeMachine()
  console.log(
    `Tidings benchmarks: node ${machine.node}, ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, commit ${machine.commit}`,
  )
  const server = await startBenchServer(EVENTS)
  let results: BenchResults
  try {
    const through = await throughput(server.url)
    const cliResult = await cli(server.url)
    results = {
      machine,
      throughput: through,
      cli: cliResult,
      pipeline: null,
      idle: null,
      latency: null,
      memory: null,
      reconnect: null,
      renderer: { ran: false, output: '' },
    }
  } finally {
    server.close()
  }
  results.pipeline = await pipeline()
  results.idle = await idle()
  results.latency = await latency()
  results.memory = await memory()
  results.reconnect = await reconnect()
  results.renderer = await renderer()
  await writeFile(REPORT, renderReport(results, await currentSoakSection()))
  console.log(`\nWrote ${REPORT}`)
}

await main()
