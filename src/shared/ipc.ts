// The one IPC contract between main, preload and renderer. Type-only: main validates each
// request's payload at runtime with the schemas in src/main/core/ipc-schemas.ts.
import type { FailureFacts, FeedId, FeedState, FeedEvent } from './feed.ts'
import type { NotificationDecision } from './notification.ts'
import type { FeedSettingInput, FieldErrors, Settings, SettingsInput } from './settings.ts'

/** An event as the log shows it: the engine's event plus its sequence number and decision. */
export interface LoggedEvent extends FeedEvent {
  /** Increases by one per event across all feeds; survives restarts with the history. */
  seq: number
  notification: NotificationDecision | null
}

export interface FeedStatus {
  id: FeedId
  name: string
  color: string
  url: string
  enabled: boolean
  state: FeedState
  /** When the feed entered its current state (epoch ms). */
  since: number
  lastEventAt: number | null
  /** The last sign of life: any event, or a preset's health event (keepalive, ping). */
  lastAliveAt?: number | null
  lastEventId: string | null
  eventCount: number
  /** When the next reconnect attempt is due, while reconnecting (epoch ms). */
  nextRetryAt: number | null
  /** Epoch ms until which the feed's notifications are snoozed. */
  snoozedUntil: number | null
}

export type TaskStatus = 'running' | 'completed' | 'failed'

export interface TaskView {
  /** `${feedId}\u0000${taskId}` */
  key: string
  feedId: FeedId
  taskId: string
  title: string
  status: TaskStatus
  /** 0..1 while known. */
  progress: number | null
  startedAt: number
  endedAt: number | null
  /** Set when both the start and the end were seen. */
  durationMs: number | null
  /** What the task's latest event said (its body, message or error), e.g. why it failed. */
  detail: string | null
  lastSeq: number
}

export type PauseRequest =
  | { kind: 'for-minutes'; minutes: number }
  | { kind: 'until-tomorrow' }
  | { kind: 'until-resumed' }
  | { kind: 'resume' }

/** Settings as the renderer sees them: secret header values are never sent in clear. */
export interface SettingsView extends Settings {
  /** False where the OS offers no encryption: secret headers cannot be saved then. */
  encryptionAvailable: boolean
}

export type SaveResult =
  /** sessionOnly: in effect until the app quits, never written (`tidings ui --feed`). */
  { ok: true; settings: SettingsView; sessionOnly?: true } | { ok: false; errors: FieldErrors }

export type TestConnectionResult =
  | {
      ok: true
      status: number
      /** The first event the log would show (a preset's health events are not), and the
       *  notification it would raise (null: only logged). */
      event: {
        type: string
        data: string
        id: string
        notification?: NotificationDecision | null
      } | null
    }
  | {
      ok: false
      error: string
      status?: number
      certificate?: PresentedCertificateView
      /** What the plain words are made from (src/shared/feed-problem.ts). */
      facts?: FailureFacts
    }

/** The certificate an https server presented when TLS failed, for the user to confirm. */
export interface PresentedCertificateView {
  host: string
  /** "AB:CD:…": what trustedCertSha256 takes. */
  sha256: string
  subject: string
  issuer: string
  validTo: string
  selfSigned: boolean
}

/**
 * What became of one notification handed to the OS, as the process that shows notifications
 * reports it (Electron's Notification events, or the exit of `tidings ui`'s OS notifier).
 */
export type NotificationOutcome =
  | { kind: 'shown' }
  /** The OS refused it (macOS: not allowed, an unsigned build; Windows: no app id). */
  | { kind: 'failed'; error: string }
  /** The OS never said it showed it (no notification daemon answering, a blocked app). */
  | { kind: 'unconfirmed' }
  /** This system shows no notifications at all. */
  | { kind: 'unsupported' }

/** Whether notifications reach the user, from what became of the latest one. */
export interface NotificationHealth {
  /** 'unknown' until a notification was shown this run; then the latest one's outcome. */
  status: 'unknown' | 'ok' | 'failed' | 'unconfirmed' | 'unsupported'
  /** The OS's own words when it refused one. */
  detail: string | null
  /** When the status was set (epoch ms). */
  since: number | null
  /** The OS notifications are shown on ('darwin', 'win32', 'linux', …): the fix depends on it. */
  platform: string
}

/** Tidings cannot write to its data folder (a full disk…): shown until a write works again. */
export interface StorageProblem {
  folder: string
  /** In plain words: "disk full". */
  reason: string
  /** "cannot write to /home/ann/.config/Tidings: disk full" */
  message: string
  /** The system's own words, for the curious: "ENOSPC: no space left on device, write …". */
  detail: string
  /** When it started (epoch ms). */
  since: number
}

export interface Snapshot {
  feeds: FeedStatus[]
  events: LoggedEvent[]
  tasks: TaskView[]
  /** Notifications paused until (epoch ms), null = until resumed; absent when not paused. */
  pause: { until: number | null } | null
  /** A write to the data folder is failing; absent or null when all is written. */
  storage?: StorageProblem | null
}

/** Renderer -> main requests (ipcRenderer.invoke / ipcMain.handle). */
export interface IpcRequests {
  'window:ready': { args: []; result: void }
  'snapshot:get': { args: []; result: Snapshot }
  'settings:get': { args: []; result: SettingsView }
  'settings:save': { args: [SettingsInput]; result: SaveResult }
  'feed:reconnect': { args: [FeedId]; result: void }
  'feed:set-enabled': { args: [FeedId, boolean]; result: void }
  'feed:snooze': { args: [FeedId, number | null]; result: void }
  'feed:test': { args: [FeedSettingInput]; result: TestConnectionResult }
  'link:open': { args: [string]; result: boolean }
  'notifications:pause': { args: [PauseRequest]; result: void }
  'notifications:health': { args: []; result: NotificationHealth }
  /** Shows a test notification now (pause and quiet hours do not hold it) and reports on it. */
  'notifications:test': { args: []; result: NotificationHealth }
}
export type IpcRequestChannel = keyof IpcRequests

/** Main -> renderer pushes (webContents.send / ipcRenderer.on). */
export interface IpcPushes {
  /** Batched: at most one batch per 50 ms, bounded in size. */
  events: LoggedEvent[]
  feeds: FeedStatus[]
  tasks: TaskView[]
  settings: SettingsView
  /** A write to the data folder started failing (the problem) or works again (null). */
  storage: StorageProblem | null
  /** A notification without a link was clicked: show this event in the log. */
  'focus-event': number
  /** The tray asked for a view ("Settings…" in its menu). */
  navigate: AppView
  'notification-health': NotificationHealth
}
export type IpcPushChannel = keyof IpcPushes

/** Views main can ask the window to show. */
export type AppView = 'log' | 'settings'

export type Unsubscribe = () => void

/** What the preload exposes as `window.tidings`: intents, never raw IPC. */
export interface TidingsApi {
  /** The window has subscribed and can take batches; main flushes what it queued. */
  ready(): Promise<void>
  onEvents(listener: (events: LoggedEvent[]) => void): Unsubscribe
  onFeeds(listener: (feeds: FeedStatus[]) => void): Unsubscribe
  onTasks(listener: (tasks: TaskView[]) => void): Unsubscribe
  onSettings(listener: (settings: SettingsView) => void): Unsubscribe
  onFocusEvent(listener: (seq: number) => void): Unsubscribe
  /** Optional so test doubles of the API need not have it; the preload always provides it. */
  onNavigate?(listener: (view: AppView) => void): Unsubscribe
  /** Optional for the same reason; the preload always provides it. */
  onStorage?(listener: (problem: StorageProblem | null) => void): Unsubscribe
  getSnapshot(): Promise<Snapshot>
  getSettings(): Promise<SettingsView>
  saveSettings(settings: SettingsInput): Promise<SaveResult>
  reconnectFeed(feedId: FeedId): Promise<void>
  setFeedEnabled(feedId: FeedId, enabled: boolean): Promise<void>
  snoozeFeed(feedId: FeedId, until: number | null): Promise<void>
  testConnection(feed: FeedSettingInput): Promise<TestConnectionResult>
  openLink(url: string): Promise<boolean>
  pauseNotifications(request: PauseRequest): Promise<void>
  getNotificationHealth(): Promise<NotificationHealth>
  onNotificationHealth(listener: (health: NotificationHealth) => void): Unsubscribe
  /** Resolves once the OS said what became of it (or after the wait for that ran out). */
  sendTestNotification(): Promise<NotificationHealth>
}
