import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// Everything but the Electron shell (src/main/app) and the preload runs in plain Node: the CLI,
// `tidings ui`, tests and benchmarks use it.
const plainNodeDirs = [
  'src/main/feeds',
  'src/main/notify',
  'src/main/core',
  'src/main/store',
  'src/main/demo',
  'src/main/cli',
  'src/main/web',
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

describe('lint rules guard the rooms', () => {
  const cases: Array<[file: string, source: string]> = [
    ['src/renderer/src/x.ts', "import { decide } from '../../main/notify/index.ts'\n"],
    ['src/renderer/src/x.ts', "import { ipcRenderer } from 'electron'\n"],
    ['src/shared/x.ts', "import { FeedManager } from '../main/feeds/index.ts'\n"],
    ['src/main/core/x.ts', "import { app } from 'electron'\n"],
    ['src/main/store/x.ts', "import Store from 'electron-store'\n"],
    ['src/main/feeds/x.ts', "import { Notifier } from '../app/notifier.ts'\n"],
    ['src/main/cli/x.ts', "import { App } from '../../renderer/src/App.tsx'\n"],
    ['src/main/web/x.ts', "import { shell } from 'electron'\n"],
    ['src/main/web/x.ts', "import { WindowManager } from '../app/window.ts'\n"],
    ['src/main/web/x.ts', "import { createHttpApi } from '../../renderer/src/web/http-api.ts'\n"],
    ['src/renderer/src/web/x.ts', "import { PushLog } from '../../../main/web/push-log.ts'\n"],
  ]
  it.each(cases)('refuses the import in %s', async (file, source) => {
    const { ESLint } = await import('eslint')
    const [result] = await new ESLint().lintText(source, { filePath: file })
    const rules = result?.messages.map((m) => m.ruleId) ?? []
    expect(rules).toContain('no-restricted-imports')
  })

  it('lets the Electron shell import Electron and the plain-Node rooms', async () => {
    const { ESLint } = await import('eslint')
    const source =
      "import { app } from 'electron'\nimport { composeTidings } from '../core/compose.ts'\n" +
      'void app\nvoid composeTidings\n'
    const [result] = await new ESLint().lintText(source, { filePath: 'src/main/app/x.ts' })
    expect(result?.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([])
  })
})
