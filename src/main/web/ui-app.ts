// The whole app without Electron: composeTidings on a data folder, served to a browser by the
// web server. Notifications go to the pages that show them (Web Notifications, where the user
// allowed them), else to the OS notifier the CLI uses. `tidings ui` runs this, and so do the
// browser tests, in their own process.
import { isHttpUrl } from '../../shared/validate.ts'
import { composeTidings, type Tidings, type TidingsDeps } from '../core/compose.ts'
import type { FetchLike } from '../feeds/index.ts'
import type { OutgoingNotification } from '../notify/index.ts'
import type { SecretCipher } from '../store/secrets.ts'
import type { RendererFiles } from './renderer-files.ts'
import { startWebServer, type WebServer, type WebServerOptions } from './server.ts'

/** The OS's notifier (src/main/cli/desktop-notifier.ts), or a fake one in tests. */
export interface OsNotifier {
  notify(notification: { title: string; body: string }): void
  flush?(): Promise<void>
}

export interface UiOptions {
  dataDir: string
  port: number
  renderer: RendererFiles
  cipher: SecretCipher
  notifier: OsNotifier
  fetch?: FetchLike
  override?: TidingsDeps['override']
  log?(message: string): void
  onCall?: WebServerOptions['onCall']
  /** Everything else composeTidings takes, for tests (timing, clocks). */
  compose?: Pick<TidingsDeps, 'centerTiming' | 'now' | 'random' | 'probeCertificate' | 'demo'>
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
  const show = (notification: OutgoingNotification): void => {
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
    options.notifier.notify({ title: notification.title, body: `${notification.body}${url}`.trim() })
  }
  const tidings = await composeTidings({
    dataDir: options.dataDir,
    instance: 'tidings ui',
    cipher: options.cipher,
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    show,
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
      router: tidings.router,
      renderer: options.renderer,
      port: options.port,
      log,
      ...(options.onCall ? { onCall: options.onCall } : {}),
    })
    await tidings.start()
  } catch (error) {
    await server?.close()
    await tidings.dispose()
    throw error
  }
  const running = server
  let closed: Promise<void> | null = null
  return {
    tidings,
    server: running,
    url: running.loginUrl,
    close() {
      closed ??= (async () => {
        await running.close()
        await options.renderer.close?.()
        await tidings.dispose()
        await options.notifier.flush?.()
      })()
      return closed
    },
  }
}
