// Electron's entry point. Paths are worked out here, next to the built file (out/main/index.js),
// and handed to the app shell (src/main/app/), which builds the app with composeTidings.
import { join } from 'node:path'
import { app } from 'electron'
import { launchOptions } from './app/launch-options.ts'
import { startTidings, type RunningTidings } from './app/main.ts'

// Development and tests only (see launch-options.ts); a packaged app ignores these variables.
const launch = launchOptions(app.isPackaged, process.env, process.argv)
for (const message of launch.ignored) console.warn(`tidings: ${message}`)
// A fresh profile for tests and side-by-side runs; must be set before the single-instance lock.
if (launch.userData) app.setPath('userData', launch.userData)

const here = import.meta.dirname
// Packaged, resources/ is unpacked beside app.asar so the OS can read the icons by path.
const appPath = app.getAppPath()
const resources = join(app.isPackaged ? `${appPath}.unpacked` : appPath, 'resources')

/** The running app (null when another instance runs); for the entry point's own tests. */
export const started: Promise<RunningTidings | null> = startTidings({
  preload: join(here, '../preload/index.cjs'),
  renderer: launch.rendererUrl
    ? { url: launch.rendererUrl }
    : { file: join(here, '../renderer/index.html') },
  resources,
  testHooks: launch.testHooks,
  production: app.isPackaged,
}).catch((error: unknown) => {
  console.error('tidings: could not start:', error)
  app.exit(1)
  return null
})

// Ctrl+C or a service manager's stop: quit properly so history and resume ids are written.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())
