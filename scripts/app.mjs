// `npm run dev` and `npm start`: the desktop app through electron-vite (dev server with hot reload,
// or the built app). Where the Electron binary cannot be had, the same app as `tidings ui` on the
// built-in demo feed, in the browser (with Vite's hot reload for `npm run dev`).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ensureElectron } from './ensure-electron.mjs'

const mode = process.argv[2] === 'start' ? 'start' : 'dev'
const extra = process.argv.slice(3)
const root = fileURLToPath(new URL('..', import.meta.url))

function run(command, args) {
  const child = spawn(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  })
  // Ctrl-C reaches the child from the terminal; wait for it to finish cleanly.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {})
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGTERM' ? 143 : 130)))
}

const electron = ensureElectron()
if (electron.ok) run('electron-vite', [mode === 'dev' ? 'dev' : 'preview', ...extra])
else {
  // Finishes the "fetching" line: one line says what happened and what runs instead.
  console.log(
    ` not possible here (${electron.cause}), so the app runs in your browser instead: ` +
      `tidings ui on the demo feed${mode === 'dev' ? ', with hot reload' : ''}.`,
  )
  run(process.execPath, [
    'src/main/cli.ts',
    'ui',
    '--demo',
    ...(mode === 'dev' ? ['--dev'] : []),
    ...extra,
  ])
}
