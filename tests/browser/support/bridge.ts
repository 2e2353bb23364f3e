// Puts a TidingsApi on `window.tidings` in a plain browser page: requests go to a backend in the
// Node test process through page.exposeFunction; pushes come back with page.evaluate, in order.
import type { Page } from 'playwright-core'
import type { IpcPushes } from '../../../src/shared/ipc.ts'

export interface BridgeBackend {
  handle(method: string, args: unknown[]): Promise<unknown>
  connect(push: <C extends keyof IpcPushes>(channel: C, payload: IpcPushes[C]) => void): void
}

/** Runs in the page before the app: the preload's API, made of exposed functions. */
export const PAGE_BRIDGE = `(() => {
  const channels = ['events', 'feeds', 'tasks', 'settings', 'focus-event', 'notification-health',
    'storage']
  const listeners = Object.fromEntries(channels.map((name) => [name, new Set()]))
  const on = (name) => (listener) => {
    listeners[name].add(listener)
    return () => listeners[name].delete(listener)
  }
  window.__tidingsPush = (name, payload) => {
    for (const listener of listeners[name]) listener(payload)
  }
  const call = (method) => (...args) => window.__tidingsCall(method, args)
  const methods = ['ready', 'getSnapshot', 'getSettings', 'saveSettings', 'reconnectFeed',
    'setFeedEnabled', 'snoozeFeed', 'testConnection', 'openLink', 'pauseNotifications',
    'getNotificationHealth', 'sendTestNotification']
  window.tidings = Object.freeze({
    ...Object.fromEntries(methods.map((method) => [method, call(method)])),
    onEvents: on('events'),
    onFeeds: on('feeds'),
    onTasks: on('tasks'),
    onSettings: on('settings'),
    onFocusEvent: on('focus-event'),
    onNotificationHealth: on('notification-health'),
    onStorage: on('storage'),
  })
})()`

type PagePush = (name: string, payload: unknown) => void

export async function attachBridge(
  page: Page,
  backend: BridgeBackend,
): Promise<{ idle(): Promise<void> }> {
  let chain: Promise<unknown> = Promise.resolve()
  backend.connect((channel, payload) => {
    chain = chain
      .then(() =>
        page.evaluate(
          ([name, data]) =>
            (globalThis as unknown as { __tidingsPush: PagePush }).__tidingsPush(name, data),
          [channel, payload] as const,
        ),
      )
      .catch(() => {})
  })
  await page.exposeFunction('__tidingsCall', (method: string, args: unknown[]) =>
    backend.handle(method, args),
  )
  await page.addInitScript(PAGE_BRIDGE)
  return { idle: () => chain.then(() => undefined) }
}
