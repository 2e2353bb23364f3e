// The app's pipeline as src/main/app/main.ts wires it, minus Electron's windows: the engine,
// TidingsCore (numbering, decide, history, tasks, notification center, feed board), the push
// queue to the renderer and the Notifier. Only Electron itself is fake (tests/setup/electron.ts):
// pushes cross as structured clones to the fake ipcRenderer and are read through the preload's
// API (window.tidings), and native notifications are the fake's. Call fake.reset() first.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TidingsCore } from '../../src/main/app/core.ts'
import { EventHistory } from '../../src/main/app/history.ts'
import { Notifier } from '../../src/main/app/notifier.ts'
import { PushQueue } from '../../src/main/app/push-queue.ts'
import type { SecretCipher } from '../../src/main/app/secrets.ts'
import { storedSettingsSchema, type StoredSettings } from '../../src/main/app/settings-schema.ts'
import { SettingsService } from '../../src/main/app/settings-service.ts'
import { StateFile } from '../../src/main/app/state-file.ts'
import { FeedManager } from '../../src/main/feeds/index.ts'
import type { CenterTiming, OutgoingNotification } from '../../src/main/notify/index.ts'
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
  /** Stops the app as quitting does: feeds closed, history and state written. */
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
}): Promise<ChaosApp> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-chaos-'))
  const logs: string[] = []
  const log = (message: string) => logs.push(message)
  const initial: StoredSettings = storedSettingsSchema.parse(options.settings)
  const settings = await SettingsService.create({
    initial,
    persist: () => {},
    cipher: noCipher,
    log,
  })
  const history = await EventHistory.open({
    file: join(dir, 'history.jsonl'),
    limit: initial.historySize,
    log,
  })
  const state = await StateFile.open({ file: join(dir, 'state.json'), log })
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
  const push = new PushQueue({
    // webContents.send: the payload crosses IPC as a structured clone.
    send: (channel, payload) => ipc.push(channel, structuredClone(payload)),
  })
  const notifier = new Notifier({ onClick: () => {}, log })
  const engine = new FeedManager({ random: options.random })
  engine.on('state', (change) => {
    states.push(change)
    changed()
  })
  const core = new TidingsCore({
    settings,
    history,
    state,
    engine,
    push,
    show: (notification) => {
      notifications.push(notification)
      notifier.show(notification)
      changed()
    },
    fetch: (url, init) => globalThis.fetch(url, init),
    demoUrl: null,
    log,
    ...(options.centerTiming ? { centerTiming: options.centerTiming } : {}),
  })
  await core.start()
  push.markReady()

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
    async stop() {
      await core.dispose()
      notifier.dispose()
    },
    removeFiles: () => rm(dir, { recursive: true, force: true }),
  }
}
