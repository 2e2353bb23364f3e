// Small helpers for the benchmarks: percentiles, medians, formatting, the machine's description.
import { execFileSync } from 'node:child_process'
import { arch, cpus, platform, release, totalmem } from 'node:os'

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index]!
}

export const median = (values: readonly number[]): number => percentile(values, 50)

export const int = (n: number): string => Math.round(n).toLocaleString('en-US')
export const ms = (n: number, digits = 1): string => `${n.toFixed(digits)} ms`
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`

/** Monotonic microseconds, comparable across processes on one machine (CLOCK_MONOTONIC). */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n)
}

export interface Machine {
  node: string
  cpu: string
  cores: number
  memoryGiB: number
  os: string
  commit: string
  date: string
}

export function describeMachine(): Machine {
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {
    // not a git checkout
  }
  return {
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    commit,
    date: new Date().toISOString().slice(0, 10),
  }
}

/** Runs a full garbage collection when node was started with --expose-gc. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) return false
  gc()
  gc()
  return true
}
