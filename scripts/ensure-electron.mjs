// Makes sure the Electron binary is present before a command that launches Electron.
// Electron 45 downloads its binary on first use rather than at install time, so `npm ci`
// succeeds offline; here we fetch it once and, where that cannot work, say why.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const electronDir = dirname(require.resolve('electron/package.json'))

export function electronBinaryPath() {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8'))
  return existsSync(binary) ? binary : null
}

/**
 * The binary, downloaded on first use. Writes "Tidings: fetching the Electron binary…" without
 * ending the line, so the caller finishes it with the outcome.
 * @returns {{ ok: true } | { ok: false, cause: string }}
 */
export function ensureElectron(write = (text) => process.stdout.write(text)) {
  if (electronBinaryPath()) return { ok: true }
  write('Tidings: fetching the Electron binary (first run only)...')
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  })
  if (result.status === 0 && electronBinaryPath()) {
    write(' done.\n')
    return { ok: true }
  }
  const cause = (result.stderr || '').split('\n').find((line) => line.trim()) ?? 'unknown error'
  return { ok: false, cause: cause.trim() }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const electron = ensureElectron()
  if (!electron.ok) {
    console.error(
      ` failed (${electron.cause}),\n` +
        'so the desktop app cannot start here; `npm run dev` and `npm start` run `tidings ui` instead.\n' +
        'To run the desktop app, allow access to the Electron download host or set ELECTRON_MIRROR,\n' +
        'or point ELECTRON_OVERRIDE_DIST_PATH at an installed Electron 45.',
    )
    process.exit(1)
  }
}
