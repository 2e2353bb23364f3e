// The built CLI: `npm run build` (electron-vite) bundles src/main/cli.ts to out/main/cli.js, and
// bin/tidings.js imports it and calls main() exactly once. Built into a temp folder so the shared
// out/ of the working tree is left alone.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import packageJson from '../../package.json' with { type: 'json' }
import { CLI, REPO, SSE_HEADERS, runCli, startServer, killLeftoverClis } from './cli-harness.ts'

afterEach(killLeftoverClis)

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidings-build-'))
  const electronVite = join(REPO, 'node_modules/electron-vite/bin/electron-vite.js')
  execFileSync(process.execPath, [electronVite, 'build', '--outDir', join(dir, 'out')], {
    cwd: REPO,
    stdio: 'pipe',
  })
  mkdirSync(join(dir, 'bin'))
  copyFileSync(join(REPO, 'bin/tidings.js'), join(dir, 'bin/tidings.js'))
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}')
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir')
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the built CLI', () => {
  it('runs through bin/tidings.js, and importing the bundle does not run main twice', async () => {
    const result = await runCli(['--version'], { entry: join(dir, 'bin/tidings.js') }).exit
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`tidings ${packageJson.version}\n`)
  })

  it('tails a feed from the bundle', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end('id: 1\ndata: from the bundle\n\n')
    })
    try {
      const result = await runCli(['tail', server.url, '--until-end', '--json'], {
        entry: join(dir, 'bin/tidings.js'),
      }).exit
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toMatchObject({ data: 'from the bundle', id: '1' })
    } finally {
      await server.close()
    }
  })

  it('the source entry also runs main only when it is the program', async () => {
    const importer = join(dir, 'import-cli.mjs')
    writeFileSync(
      importer,
      `const { main } = await import(${JSON.stringify(CLI)})\n` +
        `process.exitCode = await main(['--version'])\n`,
    )
    const result = await runCli([], { entry: importer }).exit
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`tidings ${packageJson.version}\n`)
  })
})
