// `node scripts/check-fuses.ts [release]`: reads the Electron fuses back from every executable
// electron-builder built under release/<version>/ and fails unless each one is as
// electron-builder.config.ts asks. The fuses are flipped before signing; this checks that they
// survived signing (and any later step) in what users get.
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { electronFuses } from '../electron-builder.config.ts'

type FuseName = Exclude<keyof ReturnType<typeof electronFuses>, 'resetAdHocDarwinSignature'>

/** Where each fuse of the builder config sits in the fuse wire. */
const WIRE_INDEX: Record<FuseName, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
}

/** What electron-builder leaves in each platform's output folder (its `*-unpacked`, `mac*`). */
const EXECUTABLES: Array<[RegExp, string]> = [
  [/^linux(-\w+)?-unpacked$/, 'tidings'],
  [/^win(-\w+)?-unpacked$/, 'Tidings.exe'],
  [/^mac(-\w+)?$/, 'Tidings.app'],
]

/** Every built executable under `release` (release/<version>/<platform folder>/…). */
export function findExecutables(release: string): string[] {
  const found: string[] = []
  if (!existsSync(release)) return found
  for (const version of readdirSync(release, { withFileTypes: true })) {
    if (!version.isDirectory()) continue
    const dir = join(release, version.name)
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue
      for (const [folder, executable] of EXECUTABLES) {
        const path = join(dir, entry.name, executable)
        if (folder.test(entry.name) && existsSync(path)) found.push(path)
      }
    }
  }
  return found.sort()
}

/** The fuses of `executable` that differ from `expected`, as sentences; empty when all match. */
export async function fuseMismatches(
  executable: string,
  expected: ReturnType<typeof electronFuses>,
): Promise<string[]> {
  const wire = (await getCurrentFuseWire(executable)) as unknown as Record<number, number>
  const problems: string[] = []
  for (const [name, index] of Object.entries(WIRE_INDEX) as Array<[FuseName, FuseV1Options]>) {
    const want = expected[name]
    if (want === undefined) continue
    const state = wire[index]
    const wanted = want ? FuseState.ENABLE : FuseState.DISABLE
    if (state !== wanted)
      problems.push(`${name} is ${describe(state)}, should be ${want ? 'enabled' : 'disabled'}`)
  }
  return problems
}

function describe(state: number | undefined): string {
  if (state === FuseState.ENABLE) return 'enabled'
  if (state === FuseState.DISABLE) return 'disabled'
  if (state === FuseState.REMOVED) return 'removed'
  return 'missing from the fuse wire'
}

async function main(): Promise<number> {
  const release = resolve(process.argv[2] ?? 'release')
  const executables = findExecutables(release)
  if (executables.length === 0) {
    console.error(`check-fuses: no built executable under ${release}; run npm run dist first.`)
    return 1
  }
  const expected = electronFuses(process.env)
  let failed = false
  for (const executable of executables) {
    const problems = await fuseMismatches(executable, expected)
    if (problems.length === 0) console.log(`check-fuses: ${executable}: every fuse as configured`)
    else {
      failed = true
      for (const problem of problems) console.error(`check-fuses: ${executable}: ${problem}`)
    }
  }
  return failed ? 1 : 0
}

if (import.meta.main) process.exitCode = await main()
