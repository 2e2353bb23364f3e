// `tidings tail --json` against the bare eventsource package behind the same JSON lines: both
// as child processes reading the same stream from the bench server (a third process) and
// writing to a pipe this process drains. Wall time from spawn to exit, process start included.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { median } from './stats.ts'

const CLI = fileURLToPath(new URL('../src/main/cli.ts', import.meta.url))
const BARE = fileURLToPath(new URL('./cli-bare.ts', import.meta.url))

/** Runs a command that prints one JSON line per event; returns events per second. */
function runOnce(args: string[], events: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] })
    let lines = 0
    let firstLine: string | null = null
    child.stdout.on('data', (chunk: Buffer) => {
      if (firstLine === null) firstLine = chunk.toString('utf8', 0, Math.min(chunk.length, 400))
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with ${code}`))
      if (lines !== events)
        return reject(new Error(`${args[0]} printed ${lines} lines, not ${events}`))
      const keys = Object.keys(JSON.parse(firstLine!.split('\n')[0]!) as object)
      if (keys.join() !== 'type,data,id,receivedAt,notification')
        return reject(new Error(`${args[0]} printed other fields: ${keys.join()}`))
      resolve(events / seconds)
    })
  })
}

export interface CliResult {
  tidings: number
  bare: number
  ratio: number
}

export async function measureCli(url: string, events: number, rounds: number): Promise<CliResult> {
  const tidingsArgs = [CLI, 'tail', url, '--json', '--max-events', String(events)]
  const bareArgs = [BARE, url, String(events)]
  // One warm-up each (file system caches, the server's first request).
  await runOnce(tidingsArgs, events)
  await runOnce(bareArgs, events)
  const tidings: number[] = []
  const bare: number[] = []
  for (let round = 0; round < rounds; round++) {
    // Interleaved, so a slow moment of the machine hits both.
    tidings.push(await runOnce(tidingsArgs, events))
    bare.push(await runOnce(bareArgs, events))
  }
  return { tidings: median(tidings), bare: median(bare), ratio: median(tidings) / median(bare) }
}
