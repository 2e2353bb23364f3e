// A real electron-builder run of our config (Linux `dir` target) on a stand-in Electron: a file
// that carries the fuse wire the way the real binary does. It checks what a release would ship:
// the files in app.asar, the fuses flipped in the binary, the .desktop entry and icon set.
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import asar from '@electron/asar'
import { getCurrentFuseWire } from '@electron/fuses'
import type { AfterPackContext, Configuration } from 'electron-builder'
import { Arch, Platform, build } from 'electron-builder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builderConfig } from '../../electron-builder.config.ts'
import { ROOT, builderModule } from './builder-support.ts'

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
// Fuse wire v1 as shipped: RunAsNode, CookieEncryption, NODE_OPTIONS, inspect, asar integrity,
// only-asar, V8 snapshot, file:// privileges, Wasm trap handlers ('1' on, '0' off).
const SHIPPED_WIRE = '101100011'

const electronVersion = (
  createRequire(import.meta.url)('electron/package.json') as { version: string }
).version

async function writeStandInElectron(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const wire = Buffer.from(SHIPPED_WIRE)
  const binary = Buffer.concat([
    Buffer.from('#!/bin/sh\n# stand-in Electron\n'),
    Buffer.from(SENTINEL),
    Buffer.from([1, wire.length]),
    wire,
    Buffer.alloc(32),
  ])
  await writeFile(join(dir, 'electron'), binary, { mode: 0o755 })
  await writeFile(join(dir, 'LICENSE'), 'MIT\n')
}

/** Everything a checkout holds after `npm run build`, with decoys that must stay out. */
const PROJECT_FILES: Record<string, string> = {
  'out/main/index.js': 'export {}\n',
  'out/main/index.js.map': '{}\n',
  'out/main/cli.js': 'export {}\n',
  'out/main/chunks/engine-1a2b.js': 'export {}\n',
  'out/preload/index.cjs': '\n',
  'out/renderer/index.html': '<!doctype html>\n',
  'out/renderer/assets/index-3c4d.js': '\n',
  'out/renderer/assets/index-3c4d.js.map': '{}\n',
  'out/renderer/assets/index-5e6f.css': '\n',
  'src/main/index.ts': '\n',
  'src/shared/app-id.ts': '\n',
  'tests/node/a.test.ts': '\n',
  'bench/run.ts': '\n',
  'docs/performance.md': '\n',
  'bin/tidings.js': '\n',
  'scripts/icons.ts': '\n',
  '.ci/run': '\n',
  '.github/workflows/ci.yml': '\n',
  'README.md': '\n',
  'tsconfig.json': '{}\n',
  'electron.vite.config.ts': '\n',
  'electron-builder.config.ts': '\n',
}

async function writeProject(dir: string): Promise<void> {
  for (const [path, text] of Object.entries(PROJECT_FILES)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text)
  }
  await cp(join(ROOT, 'package.json'), join(dir, 'package.json'))
  await cp(join(ROOT, 'resources'), join(dir, 'resources'), { recursive: true })
  await cp(join(ROOT, 'build'), join(dir, 'build'), { recursive: true })
  // The production dependencies come from the real install.
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'junction')
}

interface LinuxHelper {
  computeDesktopEntry(options: unknown, exec: null, extra: object): Promise<string>
  icons: Promise<Array<{ file: string; size: number }>>
}
const { LinuxTargetHelper } = builderModule<{
  LinuxTargetHelper: new (packager: unknown) => LinuxHelper
}>('targets/LinuxTargetHelper.js')

describe.skipIf(process.platform !== 'linux')('packaged Linux app', () => {
  let tmp: string
  let appOutDir: string
  let files: string[]
  let desktopEntry: string
  let iconSizes: number[]
  let artifactNames: string[]

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'tidings-package-'))
    const project = join(tmp, 'project')
    await writeStandInElectron(join(tmp, 'electron'))
    await writeProject(project)
    const config: Configuration = {
      ...builderConfig({}),
      electronDist: join(tmp, 'electron'),
      electronVersion,
      directories: { output: join(tmp, 'release'), buildResources: 'build' },
      afterPack: async (context: AfterPackContext) => {
        appOutDir = context.appOutDir
        const helper = new LinuxTargetHelper(context.packager)
        const linuxOptions = context.packager.platformSpecificBuildOptions
        desktopEntry = await helper.computeDesktopEntry(linuxOptions, null, {})
        iconSizes = (await helper.icons).map((icon) => icon.size)
        const { packager } = context
        artifactNames = [Arch.x64, Arch.arm64].flatMap((arch) => [
          packager.expandArtifactNamePattern(packager.config.appImage, 'AppImage', arch),
          packager.expandArtifactNamePattern(packager.config.deb, 'deb', arch),
          packager.expandArtifactNamePattern(packager.config.nsis, 'exe', arch),
        ])
      },
    }
    await build({
      projectDir: project,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      config,
      publish: 'never',
    })
    files = asar.listPackage(join(appOutDir, 'resources/app.asar'), { isPack: false })
  }, 120_000)

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true })
  })

  it('packs the built app, its tray images and its production dependencies', () => {
    const expected = [
      '/package.json',
      '/out/main/index.js',
      '/out/main/chunks/engine-1a2b.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/out/renderer/assets/index-3c4d.js',
      '/out/renderer/assets/index-5e6f.css',
      '/resources/icon.png',
      ...['ok', 'reconnecting', 'failed', 'paused'].flatMap((state) =>
        ['.png', '@2x.png', 'Template.png', 'Template@2x.png', '.ico'].map(
          (suffix) => `/resources/tray/tray-${state}${suffix}`,
        ),
      ),
      ...['electron-store', 'eventsource-parser', 'undici', 'zod'].map(
        (name) => `/node_modules/${name}/package.json`,
      ),
    ]
    expect(files).toEqual(expect.arrayContaining(expected))
  })

  it('leaves out sources, tests, source maps, the CLI and dev dependencies', () => {
    const app = files.filter((file) => !file.startsWith('/node_modules/'))
    const top = new Set(app.map((file) => file.split('/')[1]))
    expect([...top].sort()).toEqual(['node_modules', 'out', 'package.json', 'resources'])
    expect(app.filter((file) => file.endsWith('.map'))).toEqual([])
    expect(app).not.toContain('/out/main/cli.js')
    expect(app.filter((file) => file.startsWith('/resources/'))).not.toContain(
      '/resources/icon.svg',
    )
    const modules = new Set(files.map((file) => file.split('/')[2]))
    for (const dev of [
      'electron',
      'electron-builder',
      'react',
      'vitest',
      'typescript',
      '@napi-rs',
    ]) {
      expect(modules.has(dev), dev).toBe(false)
    }
  })

  it('writes the metadata the app reads at run time into the packed package.json', () => {
    const archive = join(appOutDir, 'resources/app.asar')
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as Record<
      string,
      unknown
    >
    expect(pkg['main']).toBe('./out/main/index.js')
    expect(pkg['desktopName']).toBe('tidings.desktop')
    expect(pkg['devDependencies']).toBeUndefined()
  })

  it('unpacks the tray images next to the archive, where the OS can open them by path', async () => {
    const unpacked = join(appOutDir, 'resources/app.asar.unpacked/resources/tray/tray-ok.png')
    const committed = await readFile(join(ROOT, 'resources/tray/tray-ok.png'))
    expect((await readFile(unpacked)).equals(committed)).toBe(true)
  })

  it('flips the fuses in the packaged binary and leaves the others as shipped', async () => {
    const wire = await getCurrentFuseWire(join(appOutDir, 'tidings'))
    const states = Array.from({ length: SHIPPED_WIRE.length }, (_, index) =>
      String.fromCharCode(wire[index as keyof typeof wire] as number),
    ).join('')
    // RunAsNode, NODE_OPTIONS and inspect off; asar integrity and only-asar on.
    expect(states).toBe('000011011')
  })

  it('describes the app to Linux desktops with a .desktop entry and a full icon set', () => {
    const entry = Object.fromEntries(
      desktopEntry
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    )
    expect(entry).toMatchObject({
      Name: 'Tidings',
      Icon: 'tidings',
      Type: 'Application',
      Terminal: 'false',
      StartupWMClass: 'tidings',
      Categories: 'Network;',
      'X-GNOME-UsesNotifications': 'true',
    })
    expect(entry['Exec']).toMatch(/^\/opt\/Tidings\/tidings %U$/)
    expect(iconSizes.sort((a, b) => a - b)).toEqual([16, 24, 32, 48, 64, 128, 256, 512, 1024])
  })

  it('names the installers as the README lists them', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string
    }
    expect(artifactNames).toEqual([
      `Tidings-${version}-linux-x86_64.AppImage`,
      `tidings_${version}_amd64.deb`,
      `Tidings-Setup-${version}-x64.exe`,
      `Tidings-${version}-linux-arm64.AppImage`,
      `tidings_${version}_arm64.deb`,
      `Tidings-Setup-${version}-arm64.exe`,
    ])
  })
})
