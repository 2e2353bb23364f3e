// `tidings tail --json` (the built CLI, as `npm run build` makes it and users run it) against
// what a user would run instead: the bare eventsource package
// behind the minimal {type, data, id} JSON lines (bench/cli-bare.ts, the baseline), and the same
// package behind our full line with our decide() (bench/cli-bare-decide.ts). Each runs as a
// child process reading the same stream from the bench server (a third process) and writing to
// a pipe this process drains. Wall time from spawn to exit and the child's own CPU time, process
// start included; rounds interleave the commands, and each ratio is the median of the
// per-round ratios, so load that drifts during the run falls on both sides alike.
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './stats.ts'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const BARE = fileURLToPath(new URL('./cli-bare.ts', import.meta.url))
const BARE_DECIDE = fileURLToPath(new URL('./cli-bare-decide.ts', import.meta.url))
const CPU_REPORT = new URL('./cpu-report.ts', import.meta.url).href

const FULL_LINE = 'type,data,id,receivedAt,notification'
const MINIMAL_LINE = 'type,data,id'

interface Run {
  eventsPerSecond: number
  cpuUsPerEvent: number
}

/** Runs a command that prints one JSON line per event with the given fields. */
function runOnce(args: string[], events: number, fields: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(process.execPath, ['--import', CPU_REPORT, ...args], {
      stdio: ['ignore', 'pipe', 'ignore', 'pipe'],
    })
    let lines = 0
    let firstLine: string | null = null
    let report = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      if (firstLine === null) firstLine = chunk.toString('utf8', 0, Math.min(chunk.length, 400))
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
    })
    child.stdio[3]!.on('data', (chunk: Buffer) => (report += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with ${code}`))
      if (lines !== events)
        return reject(new Error(`${args[0]} printed ${lines} lines, not ${events}`))
      const keys = Object.keys(JSON.parse(firstLine!.split('\n')[0]!) as object)
      if (keys.join() !== fields)
        return reject(new Error(`${args[0]} printed other fields: ${keys.join()}`))
      const { cpuUs } = JSON.parse(report) as { cpuUs: number }
      resolve({ eventsPerSecond: events / seconds, cpuUsPerEvent: cpuUs / events })
    })
  })
}

export interface CliSide {
  eventsPerSecond: number
  cpuUsPerEvent: number
}

export interface CliResult {
  tidings: CliSide
  /** The baseline: bare eventsource, minimal {type, data, id} lines. */
  bare: CliSide
  /** Bare eventsource with our decide() and our full line. */
  bareDecide: CliSide
  /** tidings/bare events per second (>= 1 is the target), median of per-round ratios. */
  ratio: number
  /** bare/tidings CPU per event (>= 1: tidings spends less), median of per-round ratios. */
  cpuRatio: number
  /** tidings/bareDecide events per second. */
  ratioDecide: number
}

/**
 * Builds the CLI into a temp folder (the working tree's out/ is left alone) and returns its
 * bin/tidings.js and a cleanup.
 */
export function buildCli(): { entry: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-bench-cli-'))
  const electronVite = join(REPO, 'node_modules/electron-vite/bin/electron-vite.js')
  execFileSync(process.execPath, [electronVite, 'build', '--outDir', join(dir, 'out')], {
    cwd: REPO,
    stdio: 'pipe',
  })
  mkdirSync(join(dir, 'bin'))
  copyFileSync(join(REPO, 'bin/tidings.js'), join(dir, 'bin/tidings.js'))
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}')
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir')
  return {
    entry: join(dir, 'bin/tidings.js'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

export async function measureCli(
  cli: string,
  url: string,
  events: number,
  rounds: number,
): Promise<CliResult> {
  const commands = {
    tidings: [[cli, 'tail', url, '--json', '--max-events', String(events)], FULL_LINE],
    bare: [[BARE, url, String(events)], MINIMAL_LINE],
    bareDecide: [[BARE_DECIDE, url, String(events)], FULL_LINE],
  } as const
  const names = Object.keys(commands) as Array<keyof typeof commands>
  // One warm-up each (file system caches, the server's first request).
  for (const name of names) await runOnce([...commands[name][0]], events, commands[name][1])
  const runs = { tidings: [] as Run[], bare: [] as Run[], bareDecide: [] as Run[] }
  for (let round = 0; round < rounds; round++) {
    // Interleaved, in a rotating order, so a slow moment of the machine hits each alike.
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!
      runs[name].push(await runOnce([...commands[name][0]], events, commands[name][1]))
    }
  }
  const side = (list: Run[]): CliSide => ({
    eventsPerSecond: median(list.map((run) => run.eventsPerSecond)),
    cpuUsPerEvent: median(list.map((run) => run.cpuUsPerEvent)),
  })
  const paired = (of: (run: Run, round: number) => number) => median(runs.tidings.map(of))
  return {
    tidings: side(runs.tidings),
    bare: side(runs.bare),
    bareDecide: side(runs.bareDecide),
    ratio: paired((run, i) => run.eventsPerSecond / runs.bare[i]!.eventsPerSecond),
    cpuRatio: paired((run, i) => runs.bare[i]!.cpuUsPerEvent / run.cpuUsPerEvent),
    ratioDecide: paired((run, i) => run.eventsPerSecond / runs.bareDecide[i]!.eventsPerSecond),
  }
}
