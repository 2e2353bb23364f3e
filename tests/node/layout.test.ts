import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// The engine, notification logic and CLI must run in plain Node (CLI, tests, benchmarks).
const plainNodeDirs = [
  'src/main/feeds',
  'src/main/notify',
  'src/main/demo',
  'src/main/cli',
  'src/shared',
]

function sourceFiles(dir: string): string[] {
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return []
  }
  return entries.flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

describe('layout', () => {
  it('keeps Electron out of the plain-Node modules', () => {
    const files = [...plainNodeDirs.flatMap(sourceFiles), 'src/main/cli.ts']
    expect(files.length).toBeGreaterThan(0)
    const offenders = files.filter((file) =>
      /from\s+['"]electron(?:\/[^'"]*)?['"]|require\(['"]electron['"]\)/.test(
        readFileSync(file, 'utf8'),
      ),
    )
    expect(offenders).toEqual([])
  })
})
