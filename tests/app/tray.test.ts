import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { autostartPath } from '../../src/main/core/autostart.ts'
import {
  TOOLTIP_MAX,
  trayIconPath,
  trayMenu,
  trayState,
  trayTooltip,
  type TrayActions,
  type TrayMenuModel,
} from '../../src/main/core/tray-model.ts'
import type { FeedState } from '../../src/shared/feed.ts'
import type { FeedStatus } from '../../src/shared/ipc.ts'
import { fake } from '../setup/electron.ts'
import { feedSettings, startApp, waitForPush, type Harness } from './support/app-harness.ts'
import { startSseServer, type SseServer } from './support/sse-server.ts'
import { eventually } from '../support/eventually.ts'

function feed(id: string, state: FeedState, enabled = true): FeedStatus {
  return {
    id,
    name: `Feed ${id}`,
    color: '#3b82f6',
    url: `https://${id}.example.com/`,
    enabled,
    state,
    since: 0,
    lastEventAt: null,
    lastEventId: null,
    eventCount: 0,
    nextRetryAt: null,
    snoozedUntil: null,
  }
}
const open: FeedState = { kind: 'open' }
const reconnecting: FeedState = {
  kind: 'reconnecting',
  attempt: 2,
  delayMs: 1000,
  reason: 'ECONNRESET',
}
const failed: FeedState = { kind: 'failed', reason: 'HTTP 401', status: 401 }

describe('tray state', () => {
  it('is ok when every enabled feed is open, whatever the disabled or finished ones do', () => {
    expect(
      trayState([feed('a', open), feed('b', { kind: 'stopped', reason: 'finished' })], false),
    ).toBe('ok')
    expect(trayState([feed('a', open), feed('b', failed, false)], false)).toBe('ok')
    expect(trayState([], false)).toBe('ok')
  })

  it('shows reconnecting while any feed is on its way back', () => {
    expect(trayState([feed('a', open), feed('b', reconnecting)], false)).toBe('reconnecting')
    expect(trayState([feed('a', { kind: 'connecting' })], false)).toBe('reconnecting')
  })

  it('puts a failure first, then a pause, then reconnecting', () => {
    expect(trayState([feed('a', reconnecting), feed('b', failed)], true)).toBe('failed')
    expect(trayState([feed('a', { kind: 'stopped', reason: 'HTTP 204: no content' })], false)).toBe(
      'failed',
    )
    expect(trayState([feed('a', reconnecting)], true)).toBe('paused')
  })

  it('uses each platform its own asset', () => {
    expect(trayIconPath('/r', 'failed', 'darwin')).toBe('/r/tray/tray-failedTemplate.png')
    expect(trayIconPath('/r', 'ok', 'win32')).toBe('/r/tray/tray-ok.ico')
    expect(trayIconPath('/r', 'paused', 'linux')).toBe('/r/tray/tray-paused.png')
    // The assets exist in resources/ for every state and platform.
    for (const state of ['ok', 'reconnecting', 'failed', 'paused'] as const)
      for (const platform of ['darwin', 'win32', 'linux'] as const)
        expect(existsSync(trayIconPath(join(process.cwd(), 'resources'), state, platform))).toBe(
          true,
        )
    expect(existsSync(join(process.cwd(), 'resources/tray/tray-okTemplate@2x.png'))).toBe(true)
  })
})

describe('tray tooltip', () => {
  const now = new Date(2030, 0, 10, 12, 0).getTime()
  it('summarises feeds, running tasks and a pause', () => {
    const text = trayTooltip({
      feeds: [feed('a', open), feed('b', reconnecting), feed('c', failed)],
      tasks: { running: 2, progress: 0.456 },
      pause: { until: new Date(2030, 0, 10, 13, 5).getTime() },
      now,
    })
    expect(text).toBe(
      'Tidings\n1 of 3 feeds connected, 1 reconnecting, 1 failed\n2 tasks running (46%)\nNotifications paused until 13:05',
    )
  })

  it('says so when there are no feeds, and stays within what Windows shows', () => {
    expect(
      trayTooltip({ feeds: [], tasks: { running: 0, progress: null }, pause: null, now }),
    ).toBe('Tidings\nNo feeds')
    const long = trayTooltip({
      feeds: Array.from({ length: 300 }, (_, i) => feed(String(i), failed)),
      tasks: { running: 12_345, progress: null },
      pause: { until: null },
      now,
    })
    expect(long.length).toBeLessThanOrEqual(TOOLTIP_MAX)
  })
})

describe('tray menu', () => {
  const calls: string[] = []
  const actions: TrayActions = {
    openLog: () => calls.push('openLog'),
    openSettings: () => calls.push('openSettings'),
    pause: (r) => calls.push(`pause:${JSON.stringify(r)}`),
    reconnect: (id) => calls.push(`reconnect:${id}`),
    setStartAtLogin: (on) => calls.push(`login:${on}`),
    quit: () => calls.push('quit'),
  }
  const model = (over: Partial<TrayMenuModel> = {}): TrayMenuModel => ({
    feeds: [feed('a', open), feed('b', failed), feed('c', open, false)],
    tasks: { running: 0, progress: null },
    pause: null,
    now: 0,
    startAtLogin: false,
    ...over,
  })

  it('has every entry: log, pause, one per feed with its state, settings, login, quit', () => {
    const labels = trayMenu(model(), actions).map((i) => (i.type === 'separator' ? '---' : i.label))
    expect(labels).toEqual([
      'Open log',
      '---',
      'Pause notifications',
      '---',
      'Feed a — connected',
      'Feed b — failed: HTTP 401',
      'Feed c — paused',
      '---',
      'Settings…',
      'Start at login',
      '---',
      'Quit Tidings',
    ])
  })

  it('wires each entry to its action', () => {
    calls.length = 0
    const items = trayMenu(model({ startAtLogin: true }), actions)
    const byLabel = (label: string) => items.find((i) => i.label === label)
    byLabel('Open log')?.click?.()
    byLabel('Pause notifications')?.submenu?.forEach((i) => i.click?.())
    byLabel('Feed b — failed: HTTP 401')
      ?.submenu?.find((i) => i.label === 'Reconnect now')
      ?.click?.()
    byLabel('Settings…')?.click?.()
    byLabel('Start at login')?.click?.()
    byLabel('Quit Tidings')?.click?.()
    expect(calls).toEqual([
      'openLog',
      'pause:{"kind":"for-minutes","minutes":60}',
      'pause:{"kind":"until-tomorrow"}',
      'pause:{"kind":"until-resumed"}',
      'reconnect:b',
      'openSettings',
      'login:false',
      'quit',
    ])
    expect(byLabel('Start at login')).toMatchObject({ type: 'checkbox', checked: true })
    // A paused feed is resumed from the tray with the window's word for it.
    const pausedFeed = byLabel('Feed c — paused')?.submenu
    expect(pausedFeed?.map((i) => i.label)).toContain('paused')
    calls.length = 0
    pausedFeed?.find((i) => i.label === 'Resume')?.click?.()
    expect(calls).toEqual(['reconnect:c'])
  })

  it('offers resume while paused, and says until when', () => {
    const now = new Date(2030, 0, 10, 12, 0).getTime()
    const items = trayMenu(model({ pause: { until: null }, now }), actions)
    expect(items.map((i) => i.label)).toContain('Notifications paused until resumed')
    expect(items.map((i) => i.label)).toContain('Resume notifications')
    expect(items.map((i) => i.label)).not.toContain('Pause notifications')
  })

  it('keeps hostile feed names and long reasons to one short line', () => {
    const nasty = {
      ...feed('x', { kind: 'failed', reason: 'a\nb'.repeat(100) }),
      name: 'line\nbreak',
    }
    const label = trayMenu(model({ feeds: [nasty] }), actions)[4]?.label ?? ''
    expect(label).not.toMatch(/\n/)
    expect(label.length).toBeLessThanOrEqual(60)
  })
})

describe('tray in the running app', () => {
  let harness: Harness | null = null
  let server: SseServer | null = null
  beforeEach(() => fake.reset())
  afterEach(async () => {
    await harness?.stop()
    await server?.close()
    harness = null
    server = null
  })

  it('follows the feeds: ok when open, failed when refused, and reconnects from the menu', async () => {
    server = await startSseServer()
    server.greeting = 'retry: 250\n\n'
    harness = await startApp({
      settings: feedSettings([{ id: 'build', name: 'Build server', url: server.url }]),
    })
    await server.waitForStreams(1)
    const tray = harness.tray()
    await eventually(() => expect(tray.tooltip).toBe('Tidings\n1 of 1 feed connected'))
    expect(tray.image.path).toMatch(/tray-ok\.png$/)
    expect(tray.menu?.labels()).toContain('Build server — connected')

    // The server starts refusing us: the feed fails (401 is not retried) and the tray says so.
    server.status = 401
    server.dropAll()
    await eventually(() => expect(tray.image.path).toMatch(/tray-failed\.png$/))
    expect(tray.tooltip).toContain('1 failed')
    const entry = tray.menu?.find(/^Build server — failed/)
    expect(entry?.label).toMatch(/401/)

    const requests = server.requests.length
    server.status = null
    tray.menu?.click(/^Build server/, 'Reconnect now')
    await server.waitForRequests(requests + 1)
    await eventually(() => expect(tray.image.path).toMatch(/tray-ok\.png$/))
  })

  it('opens settings in the window from the menu', async () => {
    harness = await startApp()
    await harness.connect()
    harness.window().hide()
    harness.tray().menu?.click('Settings…')
    expect(harness.window().isVisible()).toBe(true)
    expect(await waitForPush(harness.contents(), 'navigate')).toBe('settings')
  })

  it('opens the log on a left click on Windows and Linux, but has no click handler on macOS', async () => {
    for (const platform of ['win32', 'linux'] as const) {
      fake.reset()
      harness = await startApp({ platform })
      expect(harness.tray().listenerCount('click'), platform).toBe(1)
      harness.tray().emit('click', {}, {})
      expect(harness.window().isVisible(), platform).toBe(true)
      await harness.stop()
    }
    // With a context menu set, a click on macOS opens the menu; a handler would also toggle the
    // window under it.
    fake.reset()
    harness = await startApp({ platform: 'darwin' })
    expect(harness.tray().menu).not.toBeNull()
    expect(harness.tray().listenerCount('click')).toBe(0)
  })

  it('uses template images on macOS', async () => {
    harness = await startApp({ platform: 'darwin' })
    expect(harness.tray().image.path).toMatch(/tray-(ok|reconnecting)Template\.png$/)
    expect(harness.tray().image.template).toBe(true)
  })

  it('turns start at login on and off: an XDG autostart entry on Linux', async () => {
    harness = await startApp()
    const file = autostartPath({ XDG_CONFIG_HOME: harness.configHome }, '/nonexistent')
    harness.tray().menu?.click('Start at login')
    await eventually(() => expect(existsSync(file)).toBe(true))
    const entry = await readFile(file, 'utf8')
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\nName=Tidings\n/)
    expect(entry).toMatch(/^Exec=\S+/m)
    await eventually(() => expect(harness?.tray().menu?.find('Start at login').checked).toBe(true))
    harness.tray().menu?.click('Start at login')
    await eventually(() => expect(existsSync(file)).toBe(false))
  })

  it('turns start at login on with login items on macOS and Windows', async () => {
    harness = await startApp({ platform: 'darwin' })
    harness.tray().menu?.click('Start at login')
    await eventually(() => expect(fake.app.loginItem.openAtLogin).toBe(true))
  })
})
