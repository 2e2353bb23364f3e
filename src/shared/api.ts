// The window's TidingsApi, built over any transport: Electron's IPC in the preload
// (src/preload/api.ts), HTTP in a browser (src/renderer/src/web/http-api.ts). One list of which
// intent is which channel, so a channel added here reaches both.
import type {
  IpcPushChannel,
  IpcPushes,
  IpcRequestChannel,
  IpcRequests,
  TidingsApi,
  Unsubscribe,
} from './ipc.ts'

export type Invoke = <C extends IpcRequestChannel>(
  channel: C,
  ...args: IpcRequests[C]['args']
) => Promise<IpcRequests[C]['result']>

export type Subscribe = <C extends IpcPushChannel>(
  channel: C,
  listener: (payload: IpcPushes[C]) => void,
) => Unsubscribe

export function apiOver(invoke: Invoke, subscribe: Subscribe): TidingsApi {
  const on =
    <C extends IpcPushChannel>(channel: C) =>
    (listener: (payload: IpcPushes[C]) => void): Unsubscribe =>
      subscribe(channel, listener)
  return {
    ready: () => invoke('window:ready'),
    onEvents: on('events'),
    onFeeds: on('feeds'),
    onTasks: on('tasks'),
    onSettings: on('settings'),
    onFocusEvent: on('focus-event'),
    onNavigate: on('navigate'),
    onStorage: on('storage'),
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
    onNotificationHealth: on('notification-health'),
    sendTestNotification: () => invoke('notifications:test'),
  }
}
