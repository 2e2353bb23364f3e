// The whole app without Electron: composeTidings on a data folder, served to a browser by the
// web server. Notifications go to the pages that show them (Web Notifications, where the user
// allowed them), else to the OS notifier the CLI uses. `tidings ui` runs this, and so do the
// browser tests, in their own process.
import type { NotificationOutcome } from '../../shared/ipc.ts'
import { isHttpUrl } from '../../shared/validate.ts'
import { composeTidings, type Tidings, type TidingsDeps } from '../core/compose.ts'
import { envResolver } from '../feeds/network/proxy-routes.ts'
import type { OutgoingNotification } from '../notify/index.ts'
import type { SecretCipher } from '../store/secrets.ts'
import type { RendererFiles } from './renderer-files.ts'
import { PushLog, type PushLogOptions } from './push-log.ts'
import { startWebServer, type WebServer, type WebServerOptions } from './server.ts'

/** The OS's notifier (src/main/cli/desktop-notifier.ts), or a fake one in tests. */
export interface OsNotifier {
  /** What became of it, where the notifier can tell (the Settings view warns on failures). */
  notify(notification: { title: string; body: string }): void | Promise<NotificationOutcome>
  flush?(): Promise<void>
}

export interface UiOptions {
  dataDir: string
  port: number
  renderer: RendererFiles
  cipher: SecretCipher
  notifier: OsNotifier
  /** The OS notifications are shown on (the Settings view's advice depends on it). */
  platform?: NodeJS.Platform
  /**
   * The environment for the network (HTTP(S)_PROXY, NO_PROXY), as the CLI reads it. Requests
   * honour the certificates the user trusted per feed (and the one a Test connection tries).
   */
  env?: Record<string, string | undefined>
  override?: TidingsDeps['override']
  log?(message: string): void
  onCall?: WebServerOptions['onCall']
  /** How much the push stream keeps for pages that resume (tests make it small). */
  pushLog?: PushLogOptions
  /** Everything else composeTidings takes, for tests (timing, clocks). */
  compose?: Pick<
    TidingsDeps,
    'centerTiming' | 'now' | 'random' | 'probeCertificate' | 'demo' | 'io'
  >
}

export interface TidingsUi {
  tidings: Tidings
  server: WebServer
  /** The address to open (with its sign-in token). */
  url: string
  /** Stops feeds, writes history and resume ids, closes the server and frees the data folder. */
  close(): Promise<void>
}

export async function startTidingsUi(options: UiOptions): Promise<TidingsUi> {
  const log = options.log ?? (() => {})
  let server: WebServer | null = null
  const env = options.env ?? process.env
  const proxies = envResolver(env)
  const show = (notification: OutgoingNotification): void | Promise<NotificationOutcome> => {
    // A page showing it cannot tell whether the browser did: nothing is reported.
    if (server && server.notifyingPages() > 0) {
      server.notify({
        key: notification.key,
        title: notification.title,
        body: notification.body,
        ...(notification.url && isHttpUrl(notification.url) ? { url: notification.url } : {}),
        ...(notification.eventSeq !== undefined ? { eventSeq: notification.eventSeq } : {}),
      })
      return
    }
    const url = notification.url && isHttpUrl(notification.url) ? `\n${notification.url}` : ''
    return options.notifier.notify({
      title: notification.title,
      body: `${notification.body}${url}`.trim(),
    })
  }
  const composed = await composeTidings({
    dataDir: options.dataDir,
    instance: 'tidings ui',
    cipher: options.cipher,
    // The network module, with HTTP(S)_PROXY / NO_PROXY as the CLI reads them; it honours the
    // certificates the user trusted per feed.
    env,
    ...(proxies ? { proxies } : {}),
    show,
    ...(options.platform ? { platform: options.platform } : {}),
    send: (channel, payload) => server?.push(channel, payload),
    sharedPushes: true,
    // The page opens the link itself (a browser tab) once this says it is an http(s) link.
    openLink: async (url) => isHttpUrl(url),
    demo: 'when-used',
    log,
    ...(options.override ? { override: options.override } : {}),
    ...options.compose,
  })
  try {
    server = await startWebServer({
      router: composed.router,
      renderer: options.renderer,
      port: options.port,
      pushLog: new PushLog(options.pushLog),
      log,
      ...(options.onCall ? { onCall: options.onCall } : {}),
    })
    await composed.start()
  } catch (error) {
    await server?.close()
    await composed.dispose()
    throw error
  }
  const running = server
  let closed: Promise<void> | null = null
  return {
    tidings: composed,
    server: running,
    url: running.loginUrl,
    close() {
      closed ??= (async () => {
        await running.close()
        await options.renderer.close?.()
        await composed.dispose()
        await options.notifier.flush?.()
      })()
      return closed
    },
  }
}
