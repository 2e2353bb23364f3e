// The main process's cost under load and at rest, against what a user would run instead: the
// app's pipeline and bare `eventsource` connections, each in a fresh process
// (bench/pipeline-probe.ts), reading the same traffic from a paced server in a third process.
// Under load the two run in interleaved rounds and the ratio is the median of the per-round
// ratios, so load from elsewhere on the machine falls on both alike.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'vite'
import { MAIN_EXTERNAL } from '../main.vite.ts'
import type { ProbeResult } from './pipeline-probe.ts'
import { startPacedServer } from './pipeline.ts'
import { median } from './stats.ts'

const PROBE = fileURLToPath(new URL('./pipeline-probe.ts', import.meta.url))
const REPO = fileURLToPath(new URL('..', import.meta.url))

/**
 * The app's main-process code as one bundle (bench/pipeline.ts and all it imports, with the
 * packages `npm run build` bundles), as the app ships it: the probe then spends no time and
 * memory turning the sources' TypeScript into JavaScript module by module. In a temp folder;
 * returns its cleanup.
 */
export async function buildAppBundle(): Promise<{ file: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-bench-app-'))
  await build({
    configFile: false,
    logLevel: 'warn',
    root: REPO,
    // Packages bundled or left to node_modules as `npm run build` does (main.vite.ts).
    ssr: { noExternal: true, external: [...MAIN_EXTERNAL] },
    build: {
      ssr: join(REPO, 'bench/pipeline.ts'),
      outDir: join(dir, 'out'),
      minify: false,
      target: 'node22',
    },
  })
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}')
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir')
  return {
    file: join(dir, 'out/pipeline.js'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

async function runProbe(
  mode: 'app' | 'bare',
  feeds: number,
  port: number,
  warmupMs: number,
  measureMs: number,
  bundle: string | null,
): Promise<ProbeResult> {
  const args = ['--expose-gc', PROBE, mode, String(feeds), String(port)]
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...args, String(warmupMs), String(measureMs)],
    {
      timeout: 120_000 + warmupMs + measureMs,
      maxBuffer: 1 << 20,
      env: { ...process.env, ...(bundle ? { PROBE_APP_BUNDLE: bundle } : {}) },
    },
  )
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ProbeResult
}

export interface CostSide {
  /** CPU microseconds per event (median of rounds). */
  usPerEvent: number
  /** RSS after a full GC at the end of the run (median of rounds). */
  rss: number
  heap: number
  eventsPerSecond: number
}

export interface PipelineCostResult {
  feeds: number
  rate: number
  rounds: number
  warmupMs: number
  measureMs: number
  app: CostSide
  bare: CostSide
  /** Medians of the per-round ratios app/bare. */
  cpuRatio: number
  rssRatio: number
}

function side(results: ProbeResult[]): CostSide {
  return {
    usPerEvent: median(results.map((r) => r.cpuUs / Math.max(1, r.events))),
    rss: median(results.map((r) => r.rss)),
    heap: median(results.map((r) => r.heap)),
    eventsPerSecond: median(results.map((r) => r.events / (r.wallMs / 1000))),
  }
}

export async function measurePipelineCost(options: {
  feeds: number
  rate: number
  rounds: number
  warmupMs: number
  measureMs: number
}): Promise<PipelineCostResult> {
  const server = await startPacedServer(options.rate)
  const bundle = await buildAppBundle()
  const app: ProbeResult[] = []
  const bare: ProbeResult[] = []
  try {
    for (let round = 0; round < options.rounds; round++) {
      // Alternate which goes first, so neither always meets the machine's load first.
      const order: Array<'app' | 'bare'> = round % 2 === 0 ? ['app', 'bare'] : ['bare', 'app']
      for (const mode of order) {
        const result = await runProbe(
          mode,
          options.feeds,
          server.port,
          options.warmupMs,
          options.measureMs,
          bundle.file,
        )
        ;(mode === 'app' ? app : bare).push(result)
      }
    }
  } finally {
    bundle.remove()
    await server.stop()
  }
  const perEvent = (r: ProbeResult) => r.cpuUs / Math.max(1, r.events)
  return {
    ...options,
    app: side(app),
    bare: side(bare),
    cpuRatio: median(app.map((r, i) => perEvent(r) / perEvent(bare[i]!))),
    rssRatio: median(app.map((r, i) => r.rss / bare[i]!.rss)),
  }
}

export interface IdleSide {
  /** CPU time over wall time, in percent of one core. */
  corePercent: number
  /** Heap after GC with the feeds connected, minus before, per feed. */
  heapPerFeed: number
  rss: number
}

export interface IdleResult {
  feeds: number
  keepaliveMs: number
  measureMs: number
  app: IdleSide
  bare: IdleSide
}

/** Feeds connected with only a keepalive comment now and then. */
export async function measureIdle(options: {
  feeds: number
  keepaliveMs: number
  warmupMs: number
  measureMs: number
}): Promise<IdleResult> {
  const server = await startPacedServer(0, 0, 1000, options.keepaliveMs)
  const idle = (r: ProbeResult): IdleSide => ({
    corePercent: (r.cpuUs / 1000 / r.wallMs) * 100,
    heapPerFeed: (r.heap - r.heapBefore) / r.feeds,
    rss: r.rss,
  })
  const bundle = await buildAppBundle()
  try {
    const args = [options.feeds, server.port, options.warmupMs, options.measureMs] as const
    const app = await runProbe('app', ...args, bundle.file)
    const bare = await runProbe('bare', ...args, null)
    return { ...options, app: idle(app), bare: idle(bare) }
  } finally {
    bundle.remove()
    await server.stop()
  }
}
