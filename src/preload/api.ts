// The renderer's whole view of main: intents and subscriptions, never ipcRenderer itself.
// Listeners get payloads only (never the IPC event, which would leak `sender`), and every
// subscription returns its own unsubscribe.
import type { IpcRenderer } from 'electron'
import type {
  IpcPushChannel,
  IpcPushes,
  IpcRequestChannel,
  IpcRequests,
  TidingsApi,
  Unsubscribe,
} from '../shared/ipc.ts'

type Invoke = <C extends IpcRequestChannel>(
  channel: C,
  ...args: IpcRequests[C]['args']
) => Promise<IpcRequests[C]['result']>

export function createApi(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): TidingsApi {
  const invoke: Invoke = (channel, ...args) => ipc.invoke(channel, ...args)
  const subscribe =
    <C extends IpcPushChannel>(channel: C) =>
    (listener: (payload: IpcPushes[C]) => void): Unsubscribe => {
      const handler = (_event: unknown, payload: IpcPushes[C]) => listener(payload)
      ipc.on(channel, handler)
      return () => {
        ipc.removeListener(channel, handler)
      }
    }
  return {
    ready: () => invoke('window:ready'),
    onEvents: subscribe('events'),
    onFeeds: subscribe('feeds'),
    onTasks: subscribe('tasks'),
    onSettings: subscribe('settings'),
    onFocusEvent: subscribe('focus-event'),
    onNavigate: subscribe('navigate'),
    onStorage: subscribe('storage'),
    getSnapshot: () => invoke('snapshot:get'),
    getSettings: () => invoke('settings:get'),
    saveSettings: (settings) => invoke('settings:save', settings),
    reconnectFeed: (feedId) => invoke('feed:reconnect', feedId),
    setFeedEnabled: (feedId, enabled) => invoke('feed:set-enabled', feedId, enabled),
    snoozeFeed: (feedId, until) => invoke('feed:snooze', feedId, until),
    testConnection: (feed) => invoke('feed:test', feed),
    openLink: (url) => invoke('link:open', url),
    pauseNotifications: (request) => invoke('notifications:pause', request),
    getNotificationHealth: () => invoke('notifications:health'),
    onNotificationHealth: subscribe('notification-health'),
    sendTestNotification: () => invoke('notifications:test'),
  }
}
