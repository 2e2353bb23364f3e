// scripts/check-fuses.ts, run by the installers job after `npm run dist`: it reads the fuse wire
// back from each built executable with @electron/fuses. Electron cannot be downloaded here, so
// the executables are small files carrying a real fuse wire (the sentinel, version 1, length,
// one byte per fuse), flipped by @electron/fuses itself as electron-builder does.
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
import { electronFuses } from '../../electron-builder.config.ts'
import { findExecutables, fuseMismatches } from '../../scripts/check-fuses.ts'
import { tempDir } from '../app/support/fixtures.ts'
import { ROOT } from './builder-support.ts'

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** Electron's defaults: every fuse enabled but the asar ones. */
const STOCK_WIRE = '111100011'

async function fakeExecutable(path: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true })
  const wire = Buffer.from(STOCK_WIRE)
  await writeFile(
    path,
    Buffer.concat([
      Buffer.from('\x7fELF… code before …'),
      Buffer.from(SENTINEL),
      Buffer.from([1, wire.length]),
      wire,
      Buffer.from('… code after'),
    ]),
  )
}

/** What electron-builder does with our config before signing (platformPackager.addElectronFuses). */
async function flipAsConfigured(path: string): Promise<void> {
  const fuses = electronFuses({})
  await flipFuses(path, {
    version: FuseVersion.V1,
    [FuseV1Options.RunAsNode]: fuses.runAsNode,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]:
      fuses.enableNodeOptionsEnvironmentVariable,
    [FuseV1Options.EnableNodeCliInspectArguments]: fuses.enableNodeCliInspectArguments,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]:
      fuses.enableEmbeddedAsarIntegrityValidation,
    [FuseV1Options.OnlyLoadAppFromAsar]: fuses.onlyLoadAppFromAsar,
  })
}

describe('scripts/check-fuses.ts', () => {
  it('finds the executable in each platform folder electron-builder writes', async () => {
    const release = await tempDir('tidings-release-')
    const made = [
      'linux-unpacked/tidings',
      'linux-arm64-unpacked/tidings',
      'win-unpacked/Tidings.exe',
      'win-arm64-unpacked/Tidings.exe',
    ]
    for (const file of made) await fakeExecutable(join(release, '0.1.0', file))
    await mkdir(join(release, '0.1.0', 'mac-arm64', 'Tidings.app'), { recursive: true })
    await writeFile(join(release, '0.1.0', 'tidings_0.1.0_amd64.deb'), '')
    expect(findExecutables(release)).toEqual(
      [...made, 'mac-arm64/Tidings.app'].map((file) => join(release, '0.1.0', file)).sort(),
    )
    expect(findExecutables(join(release, 'nothing-here'))).toEqual([])
  })

  it('passes an executable whose fuses are as configured, and names each fuse that is not', async () => {
    const dir = await tempDir('tidings-fuses-')
    const flipped = join(dir, 'flipped')
    await fakeExecutable(flipped)
    await flipAsConfigured(flipped)
    expect(await fuseMismatches(flipped, electronFuses({}))).toEqual([])

    // Signing (or anything after it) put back the stock binary.
    const stock = join(dir, 'stock')
    await fakeExecutable(stock)
    expect(await fuseMismatches(stock, electronFuses({}))).toEqual([
      'runAsNode is enabled, should be disabled',
      'enableNodeOptionsEnvironmentVariable is enabled, should be disabled',
      'enableNodeCliInspectArguments is enabled, should be disabled',
      'enableEmbeddedAsarIntegrityValidation is disabled, should be enabled',
      'onlyLoadAppFromAsar is disabled, should be enabled',
    ])
    // A debug package keeps --inspect on purpose: the check follows the same config.
    expect(await fuseMismatches(flipped, electronFuses({ TIDINGS_DEBUG_BUILD: '1' }))).toEqual([
      'enableNodeCliInspectArguments is disabled, should be enabled',
    ])
  })

  it('exits 1 with the reason when a fuse is wrong or nothing was built, 0 when all are right', async () => {
    const run = (release: string) =>
      promisify(execFile)(process.execPath, [join(ROOT, 'scripts/check-fuses.ts'), release], {
        env: { ...process.env, TIDINGS_DEBUG_BUILD: '' },
      }).then(
        ({ stdout }) => ({ code: 0, output: stdout }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          output: error.stdout + error.stderr,
        }),
      )
    const release = await tempDir('tidings-release-')
    expect(await run(release)).toMatchObject({
      code: 1,
      output: expect.stringMatching(/no built executable/),
    })
    const exe = join(release, '0.1.0', 'linux-unpacked', 'tidings')
    await fakeExecutable(exe)
    expect(await run(release)).toMatchObject({
      code: 1,
      output: expect.stringContaining(`${exe}: runAsNode is enabled, should be disabled`),
    })
    await flipAsConfigured(exe)
    expect(await run(release)).toEqual({
      code: 0,
      output: `check-fuses: ${exe}: every fuse as configured\n`,
    })
    expect((await readFile(exe)).includes(SENTINEL)).toBe(true)
  })
})
