// The one place the main-process pipeline is assembled: settings, history, resume ids, the feed
// engine, the core (decide, tasks, notification center, feed board), the push queue to the
// window and the IPC router with its schemas. Plain Node: the Electron shell (src/main/app),
// `tidings ui`, the benchmarks and the chaos tests all build the app here, from what differs
// between them (where files go, how secrets are sealed, how requests, notifications and pushes
// leave the process).
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { IpcPushes, NotificationOutcome } from '../../shared/ipc.ts'
import { startDemoServer, type DemoServer } from '../demo/demo-server.ts'
import { FeedManager, type FetchLike } from '../feeds/index.ts'
import { createFeedNetwork, pacResolver, type ProxyResolver } from '../feeds/network/index.ts'
import type { CenterTiming, OutgoingNotification } from '../notify/index.ts'
import { lockDataDir, type DataLock } from '../store/data-lock.ts'
import { EventHistory } from '../store/history.ts'
import type { SecretCipher } from '../store/secrets.ts'
import { DEMO_FEED_URL, type StoredSettings } from '../store/settings-schema.ts'
import { SettingsService } from '../store/settings-service.ts'
import { openSettings, type CreateStore } from '../store/settings-store.ts'
import { StateFile } from '../store/state-file.ts'
import { preparePrivateFolder } from '../store/data-folder.ts'
import type { StoreFs } from '../store/store-fs.ts'
import { WriteHealth } from '../store/write-health.ts'
import { TidingsCore, type CoreOptions } from './core.ts'
import { createIpcRouter, type IpcRouter, type IpcSenderEvent } from './ipc-router.ts'
import { NotificationHealthMonitor } from './notification-health.ts'
import { PushQueue } from './push-queue.ts'

export interface TidingsDeps {
  /** Settings, history and resume ids live here (created if missing; locked while in use). */
  dataDir: string
  /** Who holds the data folder, for the message another instance gets ("the desktop app"). */
  instance?: string
  /** Seals secret header values (the OS keychain); one that is never available refuses them. */
  cipher: SecretCipher
  /**
   * The OS's proxy for a URL, in PAC form ("PROXY host:port; DIRECT"): Electron's
   * session.resolveProxy. Without it every request goes direct.
   */
  resolveProxy?(url: string): Promise<string>
  /**
   * Without resolveProxy: the routes for a URL in the network module's own terms, e.g.
   * `envResolver(process.env)` for HTTP(S)_PROXY and NO_PROXY in `tidings ui`.
   */
  proxies?: ProxyResolver
  /** Where NODE_EXTRA_CA_CERTS is read (the process environment in the app). */
  env?: Record<string, string | undefined>
  /**
   * Replaces the network module for feeds and Test connection (the bench measures against Node's
   * own fetch). Without it, both use the undici network module with the proxies above.
   */
  fetch?: FetchLike
  /**
   * Shows one notification. A host that can tell what became of it returns a promise of the
   * outcome (shown, failed, unconfirmed, unsupported): the Settings view warns when
   * notifications do not reach the user. One that cannot returns nothing.
   */
  show(notification: OutgoingNotification): void | Promise<NotificationOutcome>
  /** The OS notifications are shown on (the fix the Settings view offers depends on it). */
  platform?: NodeJS.Platform
  /** Delivers one push to the window (called only after the window said it is ready). */
  send<C extends keyof IpcPushes>(channel: C, payload: IpcPushes[C]): void
  /**
   * Many pages read the pushes, each resuming from its own place (tidings ui): they are sent
   * from the start, and a snapshot one page reads takes nothing from the others.
   */
  sharedPushes?: boolean
  /** Opens an http(s) link for the window; false when it was refused. */
  openLink(url: string): Promise<boolean>
  /** Whether a request comes from our own window (the HTTP server checks before it routes). */
  isTrustedSender?(event: IpcSenderEvent): boolean
  /**
   * The demo feed: 'when-used' starts the built-in server if the settings have the demo feed,
   * a URL stands for a demo server run elsewhere, null runs none.
   */
  demo?: 'when-used' | { url: string } | null
  /** electron-store in the desktop app; `conf` otherwise. */
  createStore?: CreateStore
  /**
   * Runs with these settings instead of the saved ones, and never writes settings back
   * (`tidings ui --feed`, tests). History and resume ids are still kept in `dataDir`.
   */
  override?(saved: StoredSettings): StoredSettings
  log?(message: string): void
  centerTiming?: CenterTiming
  random?(): number
  now?(): number
  probeCertificate?: CoreOptions['probeCertificate']
  /** The file system the store writes through (tests pass one that fails chosen calls). */
  io?: StoreFs
}

export interface Tidings {
  core: TidingsCore
  engine: FeedManager
  settings: SettingsService
  history: EventHistory
  state: StateFile
  /** Which writes to the data folder fail right now (the tray and Feeds view show it). */
  writeHealth: WriteHealth
  push: PushQueue
  router: IpcRouter
  demo: DemoServer | null
  /** True when no settings file existed: the window opens on the demo feed. */
  firstRun: boolean
  /** Whether notifications reach the user (what the Settings view shows). */
  notificationHealth: NotificationHealthMonitor
  /** The data folder's lock file, released by dispose(). */
  lockFile: string
  /** Connects the configured feeds. */
  start(): Promise<void>
  /** Writes history and resume ids now (the session ends; no quit may follow). */
  flush(): Promise<void>
  /** The same, synchronously: for Windows `session-end`, which does not wait for a promise. */
  flushSync(): void
  /** Stops the feeds, writes everything down and stops the demo server. */
  dispose(): Promise<void>
}

/**
 * Builds the app on `deps.dataDir`; throws DataDirLocked (src/main/store/data-lock.ts) while
 * another Tidings uses that folder.
 */
export async function composeTidings(deps: TidingsDeps): Promise<Tidings> {
  // Private from the start (preparePrivateFolder tightens what an older version left).
  await mkdir(deps.dataDir, { recursive: true, mode: 0o700 })
  const lock = await lockDataDir({ dir: deps.dataDir, what: deps.instance ?? 'Tidings' })
  try {
    return await compose(deps, lock)
  } catch (error) {
    await lock.release()
    throw error
  }
}

async function compose(deps: TidingsDeps, lock: DataLock): Promise<Tidings> {
  const log = deps.log ?? (() => {})
  const io = deps.io
  const writeHealth = new WriteHealth(deps.now)
  await preparePrivateFolder(deps.dataDir, { ...(io ? { io } : {}), log })
  const opened = await openSettings({
    dir: deps.dataDir,
    cipher: deps.cipher,
    log,
    reporter: writeHealth,
    ...(io ? { io } : {}),
    ...(deps.createStore ? { createStore: deps.createStore } : {}),
  })
  let settings = opened.service
  if (deps.override) {
    settings = await SettingsService.create({
      initial: deps.override(opened.service.current),
      cipher: deps.cipher,
      log,
      persist: () => {},
      sessionOnly: true,
    })
  }
  const history = await EventHistory.open({
    file: join(deps.dataDir, 'history.jsonl'),
    limit: settings.current.historySize,
    log,
    reporter: writeHealth,
    ...(io ? { io } : {}),
  })
  if (history.recovery.droppedLines > 0)
    log(
      `History: recovered after an unclean shutdown (${history.recovery.droppedLines} line(s) dropped).`,
    )
  const state = await StateFile.open({
    file: join(deps.dataDir, 'state.json'),
    log,
    reporter: writeHealth,
    ...(io ? { io } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    beforeWrite: () => history.flush(),
  })

  const demoMode = deps.demo ?? null
  const usesDemo = settings.current.feeds.some(
    (f) => f.preset === 'demo' && f.url === DEMO_FEED_URL,
  )
  const demo =
    demoMode === 'when-used' && usesDemo
      ? await startDemoServer().catch((error: Error) => {
          log(`Demo feed could not start: ${error.message}`)
          return null
        })
      : null
  const demoUrl = demo?.url ?? (typeof demoMode === 'object' && demoMode ? demoMode.url : null)

  const push = new PushQueue({
    send: (channel, payload) => deps.send(channel, payload),
    shared: deps.sharedPushes ?? false,
  })
  if (deps.sharedPushes) push.markReady()
  const health = new NotificationHealthMonitor({
    platform: deps.platform ?? process.platform,
    ...(deps.now ? { now: deps.now } : {}),
    onChange: (current) => push.latest('notification-health', current),
  })
  const show = (notification: OutgoingNotification) => void health.track(deps.show(notification))
  const network = deps.fetch
    ? null
    : createFeedNetwork({
        proxies: deps.resolveProxy
          ? pacResolver((url) => deps.resolveProxy!(url))
          : (deps.proxies ?? null),
        ...(deps.env ? { env: deps.env } : {}),
      })
  const fetch: FetchLike = deps.fetch ?? network!.fetch
  const engine = new FeedManager({
    fetch,
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  })
  const core = new TidingsCore({
    settings,
    history,
    state,
    writeHealth,
    engine,
    push,
    fetch,
    demoUrl,
    log,
    show,
    ...(deps.centerTiming ? { centerTiming: deps.centerTiming } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.probeCertificate ? { probeCertificate: deps.probeCertificate } : {}),
  })

  const router = createIpcRouter({
    handlers: {
      'window:ready': () => push.markReady(),
      'snapshot:get': () => core.snapshot(),
      'settings:get': () => core.settingsView(),
      'settings:save': (input) => core.saveSettings(input),
      'feed:reconnect': (feedId) => core.reconnect(feedId),
      'feed:set-enabled': (feedId, enabled) => core.setFeedEnabled(feedId, enabled),
      'feed:snooze': (feedId, until) => core.snoozeFeed(feedId, until),
      'feed:test': (feed) => core.testConnection(feed),
      'link:open': (url) => deps.openLink(url),
      'notifications:pause': (request) => core.pauseNotifications(request),
      'notifications:health': () => health.current(),
      'notifications:test': async () => {
        // Straight to the OS: pause, quiet hours and flood control do not hold a test.
        await health.track(deps.show(testNotification((deps.now ?? Date.now)())))
        return health.current()
      },
    },
    isTrustedSender: deps.isTrustedSender ?? (() => true),
    onRejected: (channel, reason) => log(`IPC: refused ${channel}: ${reason}`),
  })

  let disposed: Promise<void> | null = null
  return {
    core,
    engine,
    settings,
    history,
    state,
    writeHealth,
    push,
    router,
    demo,
    firstRun: opened.prepared.firstRun,
    notificationHealth: health,
    lockFile: lock.file,
    start: () => core.start(),
    flush: () => core.flush(),
    flushSync: () => core.flushSync(),
    dispose() {
      disposed ??= (async () => {
        try {
          await core.dispose()
          settings.dispose()
          if (settings !== opened.service) opened.service.dispose()
          await Promise.all([network?.dispose(), demo?.close()])
        } finally {
          await lock.release()
        }
      })()
      return disposed
    },
  }
}

/** What "Send a test notification" shows. */
export function testNotification(now: number): OutgoingNotification {
  return {
    key: `test:${now}`,
    feedId: null,
    kind: 'message',
    title: 'Tidings test notification',
    body: 'Notifications from Tidings reach you: task results and news will appear like this.',
  }
}
