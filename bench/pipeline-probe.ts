// One run of the main-process cost in a fresh process: either the app's pipeline (composeTidings:
// engine, core, history on disk, tasks, notification center, push queue to a ready window), the
// baseline a user would run instead (bare `eventsource` connections reading {type,data,id}, with
// nothing of the app loaded), or the feed engine alone (FeedManager on the network module, to
// tell the engine's share from the rest), with N feeds connected to a paced server in its own
// process. The app's code comes from one bundle (PROBE_APP_BUNDLE, as it ships) when given.
// CPU time is this process's own (process.cpuUsage: every thread), counted over a window after a
// warm-up; heap and RSS after a full GC at the end. Prints one JSON line.
// Usage: node --expose-gc bench/pipeline-probe.ts <app|bare|engine> <feeds> <server port> <warm-up ms> <measure ms>
import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { Session } from 'node:inspector/promises'
import { EventSource } from 'eventsource'
import type * as AppModule from './pipeline.ts'
import { collectGarbage } from './stats.ts'

export type ProbeMode = 'app' | 'bare' | 'engine'

export interface ProbeResult {
  mode: ProbeMode
  feeds: number
  /** Events received during the measured window. */
  events: number
  /** CPU time (user + system) during the measured window, in microseconds. */
  cpuUs: number
  /** Length of the measured window, in milliseconds. */
  wallMs: number
  /** After a full GC at the end of the window. */
  rss: number
  heap: number
  /** Where the RSS goes beside the used heap: V8's committed heap, buffers outside it. */
  heapTotal: number
  external: number
  arrayBuffers: number
  /** Heap after a full GC before any feed was connected (the probe itself, modules loaded). */
  heapBefore: number
}

interface Running {
  events(): number
  opened(): number
  stop(): Promise<void>
}

/**
 * The app's code, loaded only when this probe runs it: the bundle bench/pipeline-cost.ts built
 * (as the app ships, in one file), else the sources.
 */
async function appModule(): Promise<typeof AppModule> {
  const bundle = process.env['PROBE_APP_BUNDLE']
  return (await import(bundle ? pathToFileURL(bundle).href : './pipeline.ts')) as typeof AppModule
}

async function startApp(urls: string[]): Promise<Running> {
  const { startBenchApp } = await appModule()
  const app = await startBenchApp(urls.map((url, i) => ({ id: `p${i}`, url })))
  let events = 0
  app.engine.on('event', () => events++)
  return {
    events: () => events,
    opened: () => app.core.board.list().filter((feed) => feed.state.kind === 'open').length,
    stop: () => app.stop(),
  }
}

/** What a user would write instead: one EventSource per feed, reading what the app reads. */
async function startBare(urls: string[]): Promise<Running> {
  let events = 0
  let opened = 0
  let sink: unknown = null
  const onEvent = (event: MessageEvent): void => {
    sink = { type: event.type, data: event.data as string, id: event.lastEventId }
    events += sink ? 1 : 0
  }
  const sources = urls.map((url) => {
    const source = new EventSource(url)
    source.addEventListener('open', () => opened++)
    // A bare EventSource hears only the types it names: the paced server sends these two.
    source.addEventListener('message', onEvent)
    source.addEventListener('build.completed', onEvent)
    return source
  })
  return {
    events: () => events,
    opened: () => opened,
    stop: async () => sources.forEach((source) => source.close()),
  }
}

/** The feed engine alone, on the network module as the app runs it: events counted, nothing else. */
async function startEngine(urls: string[]): Promise<Running> {
  const { FeedManager, createFeedNetwork } = await appModule()
  const network = createFeedNetwork()
  const engine = new FeedManager({ fetch: network.fetch })
  let events = 0
  let opened = 0
  engine.on('event', () => events++)
  engine.on('state', (change) => {
    if (change.state.kind === 'open') opened++
  })
  engine.apply(urls.map((url, i) => ({ id: `p${i}`, name: `Feed ${i}`, url })))
  return {
    events: () => events,
    opened: () => opened,
    stop: async () => {
      engine.dispose()
      await network.dispose()
    },
  }
}

/**
 * PROBE_CPU_PROFILE=<file>: a CPU profile of the measured window only (no start-up, no warm-up),
 * sampled every 100 µs, for `node --cpu-prof`'s viewers; PROBE_HEAP_PROFILE=<file>: what was
 * allocated in the window, by function (sampling heap profiler). The figures printed then
 * include the profilers' own cost.
 */
async function startProfile(): Promise<(() => Promise<void>) | null> {
  const cpuFile = process.env['PROBE_CPU_PROFILE']
  const heapFile = process.env['PROBE_HEAP_PROFILE']
  if (!cpuFile && !heapFile) return null
  const session = new Session()
  session.connect()
  if (cpuFile) {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: 100 })
    await session.post('Profiler.start')
  }
  if (heapFile) {
    await session.post('HeapProfiler.enable')
    // Samples kept after GC too: what the pipeline allocates, not only what it retains.
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
  }
  return async () => {
    if (cpuFile) {
      const { profile } = await session.post('Profiler.stop')
      writeFileSync(cpuFile, JSON.stringify(profile))
    }
    if (heapFile) {
      const { profile } = await session.post('HeapProfiler.stopSampling')
      writeFileSync(heapFile, JSON.stringify(profile))
    }
    session.disconnect()
  }
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now()
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function settle(): Promise<NodeJS.MemoryUsage> {
  await new Promise((resolve) => setTimeout(resolve, 200))
  collectGarbage()
  if (process.env['PROBE_SPACES'])
    for (const space of (await import('node:v8')).getHeapSpaceStatistics())
      process.stderr.write(
        `${space.space_name.padEnd(28)} size ${(space.space_size / 2 ** 20).toFixed(1).padStart(6)} used ${(space.space_used_size / 2 ** 20).toFixed(1).padStart(6)} phys ${(space.physical_space_size / 2 ** 20).toFixed(1).padStart(6)}\n`,
      )
  return process.memoryUsage()
}

const START: Record<ProbeMode, (urls: string[]) => Promise<Running>> = {
  app: startApp,
  bare: startBare,
  engine: startEngine,
}

export async function probe(
  mode: ProbeMode,
  feeds: number,
  port: number,
  warmupMs: number,
  measureMs: number,
): Promise<ProbeResult> {
  // Load the code this mode runs and warm fetch once, so the heap before holds the code.
  if (mode !== 'bare') await appModule()
  await fetch(`http://127.0.0.1:${port}/warm`).then((response) => response.body?.cancel())
  const before = await settle()
  const urls = Array.from({ length: feeds }, (_, i) => `http://127.0.0.1:${port}/feeds/p${i}`)
  const running = await START[mode](urls)
  await waitFor(() => running.opened() === feeds, 60_000)
  await new Promise((resolve) => setTimeout(resolve, warmupMs))
  const profiler = await startProfile()
  const startEvents = running.events()
  const startCpu = process.cpuUsage()
  const startAt = performance.now()
  await new Promise((resolve) => setTimeout(resolve, measureMs))
  const cpu = process.cpuUsage(startCpu)
  await profiler?.()
  const wallMs = performance.now() - startAt
  const events = running.events() - startEvents
  const after = await settle()
  await running.stop()
  return {
    mode,
    feeds,
    events,
    cpuUs: cpu.user + cpu.system,
    wallMs,
    rss: after.rss,
    heap: after.heapUsed,
    heapTotal: after.heapTotal,
    external: after.external,
    arrayBuffers: after.arrayBuffers,
    heapBefore: before.heapUsed,
  }
}

if (import.meta.main) {
  const [mode, feeds, port, warmupMs, measureMs] = process.argv.slice(2)
  if (mode !== 'app' && mode !== 'bare' && mode !== 'engine')
    throw new Error(`mode must be app, bare or engine, not ${mode}`)
  const result = await probe(mode, Number(feeds), Number(port), Number(warmupMs), Number(measureMs))
  process.stdout.write(`${JSON.stringify(result)}\n`)
  process.exit(0)
}
