// What the entry point takes from its environment. Development and tests point the app at a dev
// server, a fresh profile and test hooks through environment variables; a packaged app ignores
// them all, so nothing set around it can swap the page it loads (and with it the trusted IPC
// sender), move its data or expose its internals. A packaged app takes a user-data folder only
// from Electron's own `--user-data-dir=PATH` flag, which Electron applies before any code runs.

type Env = Record<string, string | undefined>

export interface LaunchOptions {
  /** The dev server the window loads instead of the bundled page (electron-vite dev). */
  rendererUrl: string | null
  /** A user-data folder to use instead of the default one. */
  userData: string | null
  /** Expose `globalThis.__tidingsTest` for end-to-end tests. */
  testHooks: boolean
  /** Variables that were set but not honoured, with why (for the log). */
  ignored: string[]
}

export const DEV_VARIABLES = [
  'ELECTRON_RENDERER_URL',
  'TIDINGS_USER_DATA_DIR',
  'TIDINGS_TEST_HOOKS',
] as const

export function launchOptions(
  isPackaged: boolean,
  env: Env,
  argv: readonly string[] = [],
): LaunchOptions {
  const ignored: string[] = []
  const set = DEV_VARIABLES.filter((name) => Boolean(env[name]))
  if (isPackaged) {
    for (const name of set) ignored.push(`${name} is ignored: this is a packaged app.`)
    return { rendererUrl: null, userData: null, testHooks: false, ignored }
  }
  let rendererUrl = env['ELECTRON_RENDERER_URL'] || null
  if (rendererUrl !== null && !isLoopbackHttpUrl(rendererUrl)) {
    ignored.push(
      `ELECTRON_RENDERER_URL is ignored: ${rendererUrl} is not an http(s) URL on this machine.`,
    )
    rendererUrl = null
  }
  let userData = env['TIDINGS_USER_DATA_DIR'] || null
  // The command-line flag is the more specific request: it wins.
  if (userData !== null && argv.some((arg) => /^--user-data-dir(=|$)/.test(arg))) {
    ignored.push('TIDINGS_USER_DATA_DIR is ignored: --user-data-dir was given.')
    userData = null
  }
  return { rendererUrl, userData, testHooks: env['TIDINGS_TEST_HOOKS'] === '1', ignored }
}

function isLoopbackHttpUrl(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}
