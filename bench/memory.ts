// Memory per feed at 1, 10 and 100 feeds, each count in a fresh process (bench/memory-probe.ts).
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { startPacedServer } from './pipeline.ts'

const PROBE = fileURLToPath(new URL('./memory-probe.ts', import.meta.url))

export interface MemoryRow {
  feeds: number
  heap: number
  external: number
  rss: number
}

export async function measureMemory(counts: number[]): Promise<MemoryRow[]> {
  const server = await startPacedServer(5)
  try {
    const rows: MemoryRow[] = []
    for (const feeds of counts) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--expose-gc', PROBE, String(feeds), String(server.port)],
        { timeout: 120_000 },
      )
      rows.push(JSON.parse(stdout.trim().split('\n').at(-1)!) as MemoryRow)
    }
    return rows
  } finally {
    await server.stop()
  }
}
