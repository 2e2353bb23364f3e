// Runs the whole Electron layer against the fake 'electron', with real settings, history, engine
// and loopback servers, and waits for what the app does instead of sleeping.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startTidings, type RunningTidings } from '../../../src/main/app/main.ts'
import { serialize } from '../../../src/main/store/settings-file.ts'
import { storedSettingsSchema } from '../../../src/main/store/settings-schema.ts'
import type { CenterTiming } from '../../../src/main/notify/index.ts'
import type {
  IpcPushes,
  IpcRequestChannel,
  LoggedEvent,
  Snapshot,
} from '../../../src/shared/ipc.ts'
import {
  fake,
  FakeNotification,
  type FakeBrowserWindow,
  type FakeTray,
  type FakeWebContents,
} from '../../setup/electron.ts'
import { tempDir } from './fixtures.ts'

export const RENDERER_FILE = '/opt/tidings/out/renderer/index.html'

export interface AppOptions {
  /** Settings written before start (stored form; defaults fill the rest). Omit for a first run. */
  settings?: Record<string, unknown>
  /** Reuse a user data folder (a restart). */
  userData?: string
  platform?: NodeJS.Platform
  centerTiming?: CenterTiming
  /** Where the renderer's index.html is installed (default RENDERER_FILE). */
  rendererFile?: string
  /** Start as a packaged app does. */
  production?: boolean
}

export interface Harness {
  running: RunningTidings
  userData: string
  /** Where the Linux autostart entry goes. */
  configHome: string
  logs: string[]
  window(): FakeBrowserWindow
  contents(): FakeWebContents
  tray(): FakeTray
  /** A request from our own window's main frame. */
  invoke(channel: IpcRequestChannel, ...args: unknown[]): Promise<unknown>
  /** What the renderer does on load: snapshot, then ready. */
  connect(): Promise<Snapshot>
  /** Every event pushed to the window so far. */
  pushedEvents(): LoggedEvent[]
  stop(): Promise<void>
}

/** Timings short enough for tests; the mechanisms are the real ones. */
export const QUICK: CenterTiming = {
  catchUpWindowMs: 0,
  catchUpGapMs: 0,
  catchUpMaxMs: 0,
  floodWindowMs: 60_000,
}

export async function startApp(options: AppOptions = {}): Promise<Harness> {
  const userData = options.userData ?? (await tempDir('tidings-userdata-'))
  fake.app.setPath('userData', userData)
  if (options.settings) {
    await mkdir(userData, { recursive: true })
    await writeFile(
      join(userData, 'settings.json'),
      serialize(storedSettingsSchema.parse(options.settings)),
    )
  }
  const configHome = await tempDir('tidings-xdg-')
  const logs: string[] = []
  const running = await startTidings({
    preload: '/opt/tidings/out/preload/index.cjs',
    renderer: { file: options.rendererFile ?? RENDERER_FILE },
    resources: join(process.cwd(), 'resources'),
    platform: options.platform ?? 'linux',
    loginItem: { env: { XDG_CONFIG_HOME: configHome }, home: configHome },
    centerTiming: options.centerTiming ?? QUICK,
    ...(options.production ? { production: true } : {}),
    log: (message) => logs.push(message),
  })
  if (!running) throw new Error('The app did not start (single-instance lock?)')
  const window = () => {
    const current = running.windows.window
    if (!current) throw new Error('No window')
    return current as unknown as FakeBrowserWindow
  }
  const contents = () => window().webContents
  const harness: Harness = {
    running,
    userData,
    configHome,
    logs,
    window,
    contents,
    tray: () => {
      const tray = fake.trays().at(-1)
      if (!tray) throw new Error('No tray')
      return tray
    },
    invoke: (channel, ...args) =>
      fake.ipcMain.invoke(
        channel,
        { sender: contents(), senderFrame: contents().mainFrame },
        ...args,
      ),
    async connect() {
      const snapshot = (await harness.invoke('snapshot:get')) as Snapshot
      await harness.invoke('window:ready')
      return snapshot
    },
    pushedEvents: () => contents().pushes('events').flat() as LoggedEvent[],
    stop: () => running.shutdown(),
  }
  return harness
}

/** Resolves with the first push on `channel` (already sent or still to come) that matches. */
export function waitForPush<C extends keyof IpcPushes>(
  contents: FakeWebContents,
  channel: C,
  match: (payload: IpcPushes[C]) => boolean = () => true,
): Promise<IpcPushes[C]> {
  const done = contents.pushes(channel).find((p) => match(p as IpcPushes[C]))
  if (done !== undefined) return Promise.resolve(done as IpcPushes[C])
  return new Promise((resolve) => {
    const listener = (sent: string, payload: unknown) => {
      if (sent !== channel || !match(payload as IpcPushes[C])) return
      contents.off('test:pushed', listener)
      resolve(payload as IpcPushes[C])
    }
    contents.on('test:pushed', listener)
  })
}

/** Resolves once a pushed event matches. */
export async function waitForEvent(
  contents: FakeWebContents,
  match: (event: LoggedEvent) => boolean,
): Promise<LoggedEvent> {
  const batch = await waitForPush(contents, 'events', (events) => events.some(match))
  return batch.find(match) as LoggedEvent
}

/** Resolves with the first shown notification (already or still to come) that matches. */
export function waitForNotification(
  match: (notification: FakeNotification) => boolean = () => true,
): Promise<FakeNotification> {
  const done = FakeNotification.shownOnes().find(match)
  if (done) return Promise.resolve(done)
  return new Promise((resolve) => {
    const listener = (notification: FakeNotification) => {
      if (!match(notification)) return
      FakeNotification.events.off('shown', listener)
      resolve(notification)
    }
    FakeNotification.events.on('shown', listener)
  })
}

export function feedSettings(
  feeds: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
) {
  return { version: 1, feeds, ...extra }
}
