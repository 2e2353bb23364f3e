// The built CLI: `npm run build` (electron-vite) bundles src/main/cli.ts to out/main/cli.js, and
// bin/tidings.js imports it and calls main() exactly once. Built into a temp folder so the shared
// out/ of the working tree is left alone.
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import packageJson from '../../package.json' with { type: 'json' }
import { MAIN_EXTERNAL } from '../../main.vite.ts'
import { fieldErrors, settingsSchema } from '../../src/shared/settings.ts'
import { serialize } from '../../src/main/store/settings-file.ts'
import { storedSettingsSchema } from '../../src/main/store/settings-schema.ts'
import {
  CLI,
  REPO,
  SSE_HEADERS,
  cleanEnv,
  runCli,
  startServer,
  killLeftoverClis,
} from './cli-harness.ts'

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

  it('carries its packages inside: it imports only Node, electron, and what main.vite.ts leaves out', () => {
    const imported = new Set<string>()
    for (const folder of ['out/main', 'out/main/chunks'])
      for (const name of readdirSync(join(dir, folder)).filter((file) => file.endsWith('.js'))) {
        const code = readFileSync(join(dir, folder, name), 'utf8')
        for (const match of code.matchAll(/(?:from |import\()"([^".][^"]*)"/g))
          imported.add(match[1]!)
      }
    const packages = [...imported].filter((name) => !name.startsWith('node:'))
    // undici is external too, but loaded in parts by path through createRequire
    // (undici-parts.ts): no import statement names it.
    expect(packages.sort()).toEqual(
      ['electron', ...MAIN_EXTERNAL.filter((name) => name !== 'undici')].sort(),
    )
  })

  it('tidings ui from the bundle reads, validates and saves settings (zod, conf and ajv bundled)', async () => {
    const feed = await startServer((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write(': open\n\n')
    })
    const data = join(dir, 'ui-data')
    mkdirSync(data)
    writeFileSync(
      join(data, 'settings.json'),
      serialize(
        storedSettingsSchema.parse({ feeds: [{ id: 'saved', name: 'Saved', url: feed.url }] }),
      ),
    )
    const env = cleanEnv({ TIDINGS_RENDERER_DIR: join(dir, 'out/renderer') })
    const run = runCli(['ui', '--no-open', '--port', '0', '--data-dir', data], {
      entry: join(dir, 'bin/tidings.js'),
      env,
    })
    try {
      await run.until(({ stdout }) => stdout.includes('\n'))
      const login = new URL(run.stdout.trim())
      // The saved feed was read (conf, validated by ajv and zod) and connected.
      await feed.request(1)
      const signIn = await fetch(login, { redirect: 'manual' })
      expect(signIn.status).toBe(303)
      const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!
      const call = async (channel: string, args: unknown[]) => {
        const response = await fetch(`${login.origin}/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: login.origin, cookie },
          body: JSON.stringify(args),
        })
        expect(response.status).toBe(200)
        return ((await response.json()) as { result: Record<string, unknown> }).result
      }
      const feedInput = { id: 'saved', name: 'Renamed', url: feed.url }
      // zod's own messages (its English locale) survive the bundling, word for word.
      const invalid = { feeds: [feedInput], rateLimitPerMinute: 'five' }
      const expected = settingsSchema.safeParse(invalid)
      expect(expected.success).toBe(false)
      expect(await call('settings:save', [invalid])).toEqual({
        ok: false,
        errors: fieldErrors(expected.error!),
      })
      expect(await call('settings:save', [{ feeds: [feedInput] }])).toMatchObject({ ok: true })
      const saved = JSON.parse(readFileSync(join(data, 'settings.json'), 'utf8')) as {
        feeds: { name: string }[]
      }
      expect(saved.feeds.map((item) => item.name)).toEqual(['Renamed'])
    } finally {
      run.child.kill('SIGINT')
      await run.exit
      await feed.close()
    }
  })
})
