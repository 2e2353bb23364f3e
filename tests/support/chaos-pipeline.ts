// The app's pipeline as composeTidings builds it for the desktop app, minus Electron's windows:
// the engine on the app's network module, TidingsCore (numbering, decide, history, tasks, notification center, feed board),
// the push queue to the renderer and the Notifier. Only Electron itself is fake (tests/setup/electron.ts):
// pushes cross as structured clones to the fake ipcRenderer and are read through the preload's
// API (window.tidings), and native notifications are the fake's. Call fake.reset() first.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Notifier } from '../../src/main/app/notifier.ts'
import { composeTidings } from '../../src/main/core/compose.ts'
import type { TidingsCore } from '../../src/main/core/core.ts'
import type { FeedManager } from '../../src/main/feeds/index.ts'
import type { CenterTiming, OutgoingNotification } from '../../src/main/notify/index.ts'
import type { EventHistory } from '../../src/main/store/history.ts'
import type { SecretCipher } from '../../src/main/store/secrets.ts'
import { serialize } from '../../src/main/store/settings-file.ts'
import { storedSettingsSchema, type StoredSettings } from '../../src/main/store/settings-schema.ts'
import type { StateFile } from '../../src/main/store/state-file.ts'
import type { FeedStateChange } from '../../src/shared/feed.ts'
import type { FeedStatus, IpcPushes, LoggedEvent } from '../../src/shared/ipc.ts'
import type { SettingsInput } from '../../src/shared/settings.ts'
import { createApi } from '../../src/preload/api.ts'
import { fake } from '../setup/electron.ts'

export interface Push<C extends keyof IpcPushes = keyof IpcPushes> {
  channel: C
  payload: IpcPushes[C]
}

export interface ChaosApp {
  core: TidingsCore
  engine: FeedManager
  history: EventHistory
  state: StateFile
  /** Everything the window received through window.tidings, in order. */
  pushes: Push[]
  /** Every notification the policy let through to the Notifier. */
  notifications: OutgoingNotification[]
  /** Every state change the engine reported. */
  states: FeedStateChange[]
  logs: string[]
  dir: string
  /** Events the renderer has received, in order. */
  renderedEvents(): LoggedEvent[]
  /** Feed statuses the renderer has received, in order. */
  renderedFeeds(): FeedStatus[][]
  /** Resolves once `predicate` holds, checked after each push, notification and state. */
  until(predicate: () => boolean, what: string, timeoutMs: number): Promise<void>
  /** Stops the app as quitting does: feeds closed, history and state written (once). */
  stop(): Promise<void>
  /** Removes the app's files. */
  removeFiles(): Promise<void>
}

/** Where no keychain exists: secrets cannot be sealed (none are used here). */
const noCipher: SecretCipher = {
  isAvailable: async () => false,
  encrypt: async () => {
    throw new Error('no encryption here')
  },
  decrypt: async () => {
    throw new Error('no encryption here')
  },
}

export async function startChaosApp(options: {
  settings: SettingsInput
  /** The engine's jitter source. */
  random: () => number
  centerTiming?: CenterTiming
  /** Runs on the data folder before the app opens it (e.g. to leave a state file there). */
  beforeStart?: (dir: string) => Promise<void>
}): Promise<ChaosApp> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-chaos-'))
  const logs: string[] = []
  const log = (message: string) => logs.push(message)
  const initial: StoredSettings = storedSettingsSchema.parse(options.settings)
  await writeFile(join(dir, 'settings.json'), serialize(initial))
  await options.beforeStart?.(dir)
  const pushes: Push[] = []
  const notifications: OutgoingNotification[] = []
  const states: FeedStateChange[] = []
  const checks = new Set<() => void>()
  const changed = () => {
    for (const check of [...checks]) check()
  }

  // The window's side: the preload's API over the fake ipcRenderer, as the renderer sees it.
  const ipc = fake.ipcRenderer
  const bridge = createApi(ipc as unknown as Parameters<typeof createApi>[0])
  const record =
    <C extends keyof IpcPushes>(channel: C) =>
    (payload: IpcPushes[C]) => {
      pushes.push({ channel, payload } as Push)
      changed()
    }
  bridge.onEvents(record('events'))
  bridge.onFeeds(record('feeds'))
  bridge.onTasks(record('tasks'))
  bridge.onSettings(record('settings'))
  bridge.onFocusEvent(record('focus-event'))
  const notifier = new Notifier({ onClick: () => {}, log })
  const tidings = await composeTidings({
    dataDir: dir,
    cipher: noCipher,
    // webContents.send: the payload crosses IPC as a structured clone.
    send: (channel, payload) => ipc.push(channel, structuredClone(payload)),
    show: (notification) => {
      notifications.push(notification)
      notifier.show(notification)
      changed()
    },
    openLink: async () => false,
    random: options.random,
    log,
    ...(options.centerTiming ? { centerTiming: options.centerTiming } : {}),
  })
  const { core, engine, history, state } = tidings
  engine.on('state', (change) => {
    states.push(change)
    changed()
  })
  await tidings.start()
  tidings.push.markReady()
  let stopped: Promise<void> | null = null

  return {
    core,
    engine,
    history,
    state,
    pushes,
    notifications,
    states,
    logs,
    dir,
    renderedEvents: () =>
      pushes.flatMap((p) => (p.channel === 'events' ? (p.payload as LoggedEvent[]) : [])),
    renderedFeeds: () =>
      pushes.flatMap((p) => (p.channel === 'feeds' ? [p.payload as FeedStatus[]] : [])),
    until(predicate, what, timeoutMs) {
      if (predicate()) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          checks.delete(check)
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))
        }, timeoutMs)
        const check = () => {
          if (!predicate()) return
          clearTimeout(timer)
          checks.delete(check)
          resolve()
        }
        checks.add(check)
      })
    },
    stop() {
      stopped ??= tidings.dispose().then(() => notifier.dispose())
      return stopped
    },
    removeFiles: () => rm(dir, { recursive: true, force: true }),
  }
}
