// `tidings ui`: the whole app in a browser, for machines where the desktop app cannot run. The
// same core (composeTidings) on the desktop app's data folder, the same production window, its
// API over HTTP on 127.0.0.1; notifications through the OS notifier `tail --notify` uses.
import { createHash } from 'node:crypto'
import { validateFeedUrl } from '../../shared/validate.ts'
import { DataDirLocked } from '../store/data-lock.ts'
import { desktopDataDir } from '../store/data-dir.ts'
import { keyringCipher } from '../store/keyring-cipher.ts'
import type { SecretCipher } from '../store/secrets.ts'
import { demoFeed, storedFeedSchema, type StoredSettings } from '../store/settings-schema.ts'
import { buildRenderer, locateRenderer, packageRoot } from '../web/renderer-build.ts'
import { builtRenderer, devRenderer, type RendererFiles } from '../web/renderer-files.ts'
import { PortInUse } from '../web/server.ts'
import { startTidingsUi, type OsNotifier, type TidingsUi } from '../web/ui-app.ts'
import type { UiOptions } from './args.ts'
import { createDesktopNotifier } from './desktop-notifier.ts'
import { drained, type CliIo } from './io.ts'
import { openBrowser } from './open-browser.ts'

export interface UiDeps {
  notifier?: OsNotifier
  cipher?: SecretCipher
  openBrowser?: typeof openBrowser
}

export async function runUi(options: UiOptions, io: CliIo, deps: UiDeps = {}): Promise<number> {
  const say = (line: string) => io.stderr.write(`tidings: ${line}\n`)
  const dataDir = options.dataDir ?? desktopDataDir({ platform: io.platform, env: io.env })

  let renderer: RendererFiles
  try {
    renderer = await windowFiles(options, io, say)
  } catch (error) {
    say(`could not prepare the window: ${(error as Error).message}`)
    say('run `npm run build` first (or `npm install` for the tools to build it).')
    return 1
  }

  let ui: TidingsUi
  const notifier = deps.notifier ?? osNotifier(io)
  try {
    ui = await startTidingsUi({
      dataDir,
      port: options.port,
      renderer,
      cipher: deps.cipher ?? keyringCipher({ log: say }),
      notifier,
      platform: io.platform,
      env: io.env,
      ...(options.feeds.length > 0 || options.demo
        ? { override: onlyFeeds(options.feeds, options.demo) }
        : {}),
      log: say,
    })
  } catch (error) {
    await renderer.close?.()
    if (error instanceof DataDirLocked) say(error.message)
    else if (error instanceof PortInUse)
      say(
        `port ${error.port} on 127.0.0.1 is in use (another tidings ui?); choose another with --port (0 picks a free one).`,
      )
    else say(`could not start: ${(error as Error).message}`)
    return 1
  }

  // The address alone and first on stdout, so scripts can read it; the rest goes to stderr.
  io.stdout.write(`${ui.url}\n`)
  say(`the window is at ${ui.server.origin}/ (open the address above once to sign in).`)
  say(`data folder: ${dataDir}`)
  if (options.feeds.length > 0)
    say(`running ${options.feeds.length} feed(s) from --feed; saved feeds are left as they are.`)
  say('press Ctrl-C to stop.')
  if (options.open) {
    const failed = await (deps.openBrowser ?? openBrowser)(ui.url, io.platform, io.env)
    if (failed) say(`could not open a browser (${failed}); open the address above.`)
  }

  if (!io.interrupt.aborted)
    await new Promise((resolve) => io.interrupt.addEventListener('abort', resolve, { once: true }))
  await ui.close()
  say('stopped; history and resume ids are saved.')
  await Promise.all([drained(io.stdout), drained(io.stderr)])
  return 0
}

/** The production window (built now if missing or older than its sources), or the dev server. */
async function windowFiles(
  options: UiOptions,
  io: CliIo,
  say: (line: string) => void,
): Promise<RendererFiles> {
  if (options.dev) return devRenderer({ packageRoot: packageRoot() })
  const given = io.env['TIDINGS_RENDERER_DIR']
  if (given) return builtRenderer(given)
  const location = locateRenderer()
  if (location.build) {
    say(
      location.build === 'missing'
        ? 'building the window (first run only, about a minute)…'
        : 'the window changed since its last build; building it again…',
    )
    await buildRenderer(location.dir)
  }
  return builtRenderer(location.dir)
}

/** --feed: exactly these feeds, smart notifications; ids stable per URL so resume ids carry over. */
export function onlyFeeds(
  urls: readonly string[],
  demo = false,
): (saved: StoredSettings) => StoredSettings {
  return (saved) => ({
    ...saved,
    feeds: [
      ...(demo ? [storedFeedSchema.parse(demoFeed())] : []),
      ...urls.map((url) => {
        const valid = validateFeedUrl(url)
        const href = valid.ok ? valid.value : url
        const { host, pathname } = new URL(href)
        return storedFeedSchema.parse({
          id: `cli-${createHash('sha256').update(href).digest('hex').slice(0, 12)}`,
          name: (pathname === '/' ? host : `${host}${pathname}`).slice(0, 100),
          url: href,
          notify: 'smart',
        })
      }),
    ],
  })
}

function osNotifier(io: CliIo): OsNotifier {
  const notifier = createDesktopNotifier({
    platform: io.platform,
    env: io.env,
    warn: (message) => io.stderr.write(`${message}\n`),
  })
  if (notifier.unavailable)
    io.stderr.write(
      'tidings: no desktop notifier was found here, so notifications show only in a browser ' +
        'that allows them ("Notify in this browser").\n',
    )
  return notifier
}
