// The tray app's composition root: single instance, app id, session lock-down, settings,
// history, the demo feed, the engine and the core, the window, tray, notifications, IPC, power
// and login items, and an orderly shutdown that writes everything down. Thin by design: the
// decisions are made in the plain-Node modules it wires together.
import { dirname, join } from 'node:path'
import {
  app,
  dialog,
  powerMonitor,
  session,
  shell,
  type Event as ElectronEvent,
  type WebContents,
} from 'electron'
import { APP_ID } from '../../shared/app-id.ts'
import { isHttpUrl } from '../../shared/validate.ts'
import { composeTidings, type Tidings } from '../core/compose.ts'
import type { TidingsCore } from '../core/core.ts'
import { ownWindowGuard } from '../core/ipc-router.ts'
import type { PushQueue } from '../core/push-queue.ts'
import type { TrayState } from '../core/tray-model.ts'
import type { DemoServer } from '../demo/demo-server.ts'
import type { CenterTiming, OutgoingNotification } from '../notify/index.ts'
import { DataDirLocked } from '../store/data-lock.ts'
import { setApplicationMenu } from './app-menu.ts'
import { showInDock } from './dock.ts'
import { electronStore } from './electron-store.ts'
import { registerIpc } from './ipc.ts'
import { setStartAtLogin, type LoginItemOptions } from './login-item.ts'
import { Notifier } from './notifier.ts'
import { watchPowerAndNetwork } from './power.ts'
import { safeStorageCipher } from './safe-storage.ts'
import { TrayController } from './tray.ts'
import { WindowManager } from './window.ts'

export interface StartOptions {
  /** The bundled preload (out/preload/index.cjs). */
  preload: string
  /** The renderer's index.html, or the dev server's URL. */
  renderer: { file: string } | { url: string }
  /** The folder with icon.png and tray/. */
  resources: string
  platform?: NodeJS.Platform
  /** Where login items are written on Linux (tests point this at a temp dir). */
  loginItem?: LoginItemOptions
  /** Expose `globalThis.__tidingsTest` for end-to-end tests. */
  testHooks?: boolean
  /** Shorter policy windows for tests (see NotificationCenter). */
  centerTiming?: CenterTiming
  /** A packaged app: no default application menu (no reload, no DevTools). */
  production?: boolean
  log?: (message: string) => void
}

export interface RunningTidings {
  core: TidingsCore
  windows: WindowManager
  tray: TrayController
  notifier: Notifier
  push: PushQueue
  demo: DemoServer | null
  /** Stops everything and writes it down (what quitting does before the process ends). */
  shutdown(): Promise<void>
}

/** What an end-to-end test can read from the running app. */
export interface TestHooks {
  trayState(): TrayState | null
  trayTooltip(): string
  notifications: OutgoingNotification[]
  lastEventIds(): Record<string, string>
  windowVisible(): boolean
}

/** Starts the app; null when another instance runs (it has been told to show itself). */
export async function startTidings(options: StartOptions): Promise<RunningTidings | null> {
  const log = options.log ?? ((message: string) => console.log(`tidings: ${message}`))
  const platform = options.platform ?? process.platform
  // Before any window or notification: Windows ties toasts to this id (the installer's appId).
  app.setAppUserModelId(APP_ID)
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return null
  }
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
  await app.whenReady()
  // Before any window: on Windows and Linux each window takes the application menu it is born with.
  setApplicationMenu(options.production ?? false, platform)
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)

  const userData = app.getPath('userData')
  // Sends only after the window said it is ready, so `windows` exists by then.
  const windows: WindowManager = new WindowManager({
    preload: options.preload,
    renderer: options.renderer,
    icon: join(options.resources, 'icon.png'),
    onNotReady: () => tidings.push.markNotReady(),
    // Windows ends the session without waiting for a promise: write synchronously, right here.
    onSessionEnd: () => {
      try {
        tidings.flushSync()
      } catch (error) {
        log(`Session end: could not write everything down: ${(error as Error).message}`)
      }
    },
    log,
  })
  const openLink = async (url: string): Promise<boolean> => {
    if (!isHttpUrl(url)) return false
    await shell.openExternal(url)
    return true
  }
  const openLog = (seq?: number) => {
    windows.open(true)
    if (seq !== undefined) tidings.push.focusEvent(seq)
  }
  const shown: OutgoingNotification[] = []
  const notifier = new Notifier({
    icon: platform === 'darwin' ? undefined : join(options.resources, 'icon.png'),
    log,
    onClick: (notification) => {
      if (notification.url && isHttpUrl(notification.url)) void openLink(notification.url)
      else openLog(notification.eventSeq)
    },
  })

  let tidings: Tidings
  try {
    tidings = await composeTidings({
      dataDir: userData,
      instance: 'the desktop app',
      cipher: safeStorageCipher(platform),
      createStore: electronStore,
      // Feeds use the undici network module (not net.fetch: no shared cookie jar, no 6-connection
      // limit per host, certificate trust per feed); the OS's proxy settings, PAC included, come
      // from Chromium per request.
      resolveProxy: (url) => ses.resolveProxy(url),
      env: process.env,
      show: (notification) => {
        if (options.testHooks) shown.push(notification)
        return notifier.show(notification)
      },
      platform,
      send: (channel, payload) => windows.send(channel, payload),
      openLink,
      isTrustedSender: ownWindowGuard(
        () => windows.contents(),
        () => windows.renderer,
      ),
      demo: 'when-used',
      log,
      ...(options.centerTiming ? { centerTiming: options.centerTiming } : {}),
    })
  } catch (error) {
    if (!(error instanceof DataDirLocked)) throw error
    // `tidings ui` (or another copy of the app) holds the data folder: say so, and leave it be.
    log(error.message)
    dialog.showErrorBox('Tidings is already running', lockedFolderMessage(error))
    app.quit()
    return null
  }
  const { core, engine, settings, push: queue } = tidings

  const unregisterIpc = registerIpc(tidings.router)

  const tray = new TrayController(
    {
      resources: options.resources,
      platform,
      actions: {
        openLog: () => openLog(),
        openSettings: () => {
          windows.open(true)
          queue.navigate('settings')
        },
        pause: (request) => core.pauseNotifications(request),
        reconnect: (feedId) => core.reconnect(feedId),
        snooze: (feedId, until) => core.snoozeFeed(feedId, until),
        setStartAtLogin: (enabled) => core.setStartAtLogin(enabled),
        quit: () => app.quit(),
      },
    },
    core.trayModel(),
  )
  const refresh = () => {
    tray.update(core.trayModel())
    const running = core.tasks.runningCount()
    windows.setProgress(running === 0 ? null : (core.tasks.runningProgress() ?? 'busy'))
  }
  core.onChange(refresh)

  const applyLoginItem = (enabled: boolean) =>
    setStartAtLogin(enabled, { platform, ...options.loginItem }).catch((error: Error) =>
      log(`Start at login could not be ${enabled ? 'set' : 'cleared'}: ${error.message}`),
    )
  settings.onChange((next, previous) => {
    if (next.startAtLogin !== previous.startAtLogin) void applyLoginItem(next.startAtLogin)
    if (next.showInDock !== previous.showInDock) showInDock(next.showInDock, platform)
  })
  showInDock(settings.current.showInDock, platform)
  // Refresh our own entry (the executable may have moved); never remove one at start-up.
  if (settings.current.startAtLogin) void applyLoginItem(true)

  const stopPower = watchPowerAndNetwork(() => {
    core.wake()
    core.reconnect()
  })
  // Linux and macOS shutting down: the OS waits only if the handler calls preventDefault();
  // then quit, which writes history and resume ids down before the process ends.
  const onShutdown = (event: ElectronEvent) => {
    event.preventDefault()
    app.quit()
  }
  // Electron emits it with an Event (PowerMonitor::ShouldShutdown), which its typings leave out.
  powerMonitor.on('shutdown', onShutdown as () => void)

  await tidings.start()
  // A first run shows the window so a new user sees the demo feed; later runs start in the tray.
  windows.open(tidings.firstRun)
  app.on('second-instance', () => openLog())
  app.on('activate', () => openLog())
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => {})

  if (options.testHooks) {
    const hooks: TestHooks = {
      trayState: () => tray.state,
      trayTooltip: () => JSON.stringify(core.trayModel()),
      notifications: shown,
      lastEventIds: () => engine.lastEventIds(),
      windowVisible: () => windows.window?.isVisible() ?? false,
    }
    ;(globalThis as { __tidingsTest?: TestHooks }).__tidingsTest = hooks
  }

  let stopped: Promise<void> | null = null
  const shutdown = (): Promise<void> => {
    stopped ??= (async () => {
      stopPower()
      powerMonitor.off('shutdown', onShutdown as () => void)
      unregisterIpc()
      tray.dispose()
      notifier.dispose()
      await tidings.dispose()
      windows.destroy()
    })()
    return stopped
  }
  let done = false
  app.on('before-quit', (event: ElectronEvent) => {
    windows.allowClose()
    if (done) return
    event.preventDefault()
    void shutdown()
      .catch((error: Error) => log(`Shutdown: ${error.message}`))
      .finally(() => {
        done = true
        app.quit()
      })
  })

  return { core, windows, tray, notifier, push: queue, demo: tidings.demo, shutdown }
}

/** What the desktop app says when another Tidings holds its data folder. */
export function lockedFolderMessage(error: DataDirLocked): string {
  const { what, pid } = error.owner
  const how = what === 'tidings ui' ? ' (for tidings ui, press Ctrl-C in its terminal)' : ''
  return (
    `Tidings is already running as ${what} (process ${pid}) and is using the same data ` +
    `folder:\n${dirname(error.file)}\n\nQuit it first${how}, then start Tidings again.`
  )
}
