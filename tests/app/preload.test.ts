// The preload exposes a narrow intent API through contextBridge: no ipcRenderer, no events.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LoggedEvent, Snapshot, TidingsApi } from '../../src/shared/ipc.ts'
import { fake } from '../setup/electron.ts'
import { startApp, waitForPush, type Harness } from './support/app-harness.ts'
import { loggedEvent } from './support/fixtures.ts'
import { eventually } from '../support/eventually.ts'

async function loadPreload(): Promise<TidingsApi> {
  vi.resetModules()
  await import('../../src/preload/index.ts')
  return fake.exposed['tidings'] as TidingsApi
}

let harness: Harness | null = null
beforeEach(() => fake.reset())
afterEach(async () => {
  await harness?.stop()
  harness = null
})

describe('preload', () => {
  it('exposes only intents under window.tidings', async () => {
    const api = await loadPreload()
    expect(Object.keys(fake.exposed)).toEqual(['tidings'])
    expect(Object.keys(api).sort()).toEqual(
      [
        'getNotificationHealth',
        'getSettings',
        'getSnapshot',
        'onEvents',
        'onFeeds',
        'onFocusEvent',
        'onNavigate',
        'onNotificationHealth',
        'onSettings',
        'onStorage',
        'onTasks',
        'openLink',
        'pauseNotifications',
        'ready',
        'reconnectFeed',
        'saveSettings',
        'sendTestNotification',
        'setFeedEnabled',
        'snoozeFeed',
        'testConnection',
      ].sort(),
    )
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
  })

  it('hands listeners the payload only, and each subscription unsubscribes itself', async () => {
    const api = await loadPreload()
    const got: unknown[][] = []
    const stop = api.onEvents((...args) => got.push(args))
    const batch = [loggedEvent(1)]
    fake.ipcRenderer.push('events', batch)
    expect(got).toEqual([[batch]])
    stop()
    fake.ipcRenderer.push('events', [loggedEvent(2)])
    expect(got).toHaveLength(1)
    expect(fake.ipcRenderer.listenerCount('events')).toBe(0)
  })

  it('maps each intent to its channel and arguments', async () => {
    const api = await loadPreload()
    fake.ipcMain.handle('feed:snooze', () => undefined)
    fake.ipcMain.handle('notifications:pause', () => undefined)
    await api.snoozeFeed('build', 123)
    await api.pauseNotifications({ kind: 'until-resumed' })
    expect(fake.ipcRenderer.invoked).toEqual([
      { channel: 'feed:snooze', args: ['build', 123] },
      { channel: 'notifications:pause', args: [{ kind: 'until-resumed' }] },
    ])
  })

  it('talks to the running app end to end: snapshot, ready, batches', async () => {
    harness = await startApp()
    const api = await loadPreload()
    fake.ipcRenderer.sender = harness.contents()
    const batches: LoggedEvent[][] = []
    api.onEvents((events) => batches.push(events))
    // What main sends to the window reaches this preload's listeners.
    harness
      .contents()
      .on('test:pushed', (channel: string, payload: unknown) =>
        fake.ipcRenderer.push(channel, payload),
      )
    const snapshot: Snapshot = await api.getSnapshot()
    expect(snapshot.feeds.map((f) => f.id)).toEqual(['demo'])
    await api.ready()
    await waitForPush(harness.contents(), 'events')
    expect(batches.flat().length).toBeGreaterThan(0)
    expect(await api.openLink('ftp://example.com')).toBe(false)
    // Notification health: read, pushed, and the test notification, through the same bridge.
    const health: unknown[] = []
    api.onNotificationHealth((value) => health.push(value))
    expect(await api.getNotificationHealth()).toMatchObject({ status: 'unknown' })
    expect(await api.sendTestNotification()).toMatchObject({ status: 'ok' })
    await eventually(() => expect(health).toEqual([expect.objectContaining({ status: 'ok' })]))
  })

  it('is refused by main when called from a page that is not ours', async () => {
    harness = await startApp()
    const api = await loadPreload()
    // fake.ipcRenderer.sender is some other webContents.
    await expect(api.getSnapshot()).rejects.toThrow('Untrusted sender')
  })
})
