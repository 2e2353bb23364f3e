// Makes sure the Electron binary is present before a command that launches Electron.
// Electron 45 downloads its binary on first use rather than at install time, so `npm ci`
// succeeds offline; here we fetch it once and, where that cannot work, say so plainly.
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

if (import.meta.url === `file://${process.argv[1]}`) {
  if (electronBinaryPath()) process.exit(0)
  console.log('Tidings: fetching the Electron binary (first run only)...')
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  })
  if (result.status !== 0 || !electronBinaryPath()) {
    const cause = (result.stderr || '').split('\n').find((line) => line.trim()) ?? 'unknown error'
    console.error(
      `Tidings: the Electron binary could not be downloaded (${cause.trim()}),\n` +
        'so the desktop app cannot start here.\n' +
        'Everything else works without it: `npm test`, `npm run build`, and the CLI\n' +
        '(`node bin/tidings.js demo`, `node bin/tidings.js tail <url>`).\n' +
        'To run the app, allow access to the Electron download host or set ELECTRON_MIRROR,\n' +
        'or point ELECTRON_OVERRIDE_DIST_PATH at an installed Electron 45.',
    )
    process.exit(1)
  }
}
