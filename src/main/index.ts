// Electron's entry point. Paths are worked out here, next to the built file (out/main/index.js),
// and handed to the app shell (src/main/app/), which builds the app with composeTidings.
import { join } from 'node:path'
import { app } from 'electron'
import { startTidings } from './app/main.ts'

// A fresh profile for tests and side-by-side runs; must be set before the single-instance lock.
const userData = process.env['TIDINGS_USER_DATA_DIR']
if (userData) app.setPath('userData', userData)

const here = import.meta.dirname
const devServer = process.env['ELECTRON_RENDERER_URL']
// Packaged, resources/ is unpacked beside app.asar so the OS can read the icons by path.
const appPath = app.getAppPath()
const resources = join(app.isPackaged ? `${appPath}.unpacked` : appPath, 'resources')

startTidings({
  preload: join(here, '../preload/index.cjs'),
  renderer: devServer ? { url: devServer } : { file: join(here, '../renderer/index.html') },
  resources,
  testHooks: process.env['TIDINGS_TEST_HOOKS'] === '1',
}).catch((error: unknown) => {
  console.error('tidings: could not start:', error)
  app.exit(1)
})

// Ctrl+C or a service manager's stop: quit properly so history and resume ids are written.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())
