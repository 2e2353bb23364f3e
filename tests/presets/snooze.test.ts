// Per-feed snooze (30 minutes, 1 hour, until tomorrow) from the tray menu, and the per-feed
// priority threshold, through the app with an ntfy feed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { trayMenu, type TrayActions, type TrayMenuModel } from '../../src/main/core/tray-model.ts'
import type { FeedStatus } from '../../src/shared/ipc.ts'
import { buildPresetUrl, feedFromPreset } from '../../src/shared/presets.ts'
import { snoozeUntil } from '../../src/shared/snooze.ts'
import { fake } from '../setup/electron.ts'
import { waitForNotification, type Harness } from '../app/support/app-harness.ts'
import { startNtfyServer, type NtfyServer } from '../support/preset-servers.ts'
import { appWithFeed, feedStatus, shown, waitForLogged } from './support.ts'
import { eventually } from '../support/eventually.ts'

const NOW = new Date(2026, 10, 21, 14, 0, 0).getTime()

function feed(over: Partial<FeedStatus> = {}): FeedStatus {
  return {
    id: 'a',
    name: 'Alerts',
    color: '#000000',
    url: 'https://ntfy.sh/a/sse',
    enabled: true,
    state: { kind: 'open' },
    since: 0,
    lastEventAt: null,
    lastEventId: null,
    eventCount: 0,
    nextRetryAt: null,
    snoozedUntil: null,
    ...over,
  }
}

describe('snooze choices', () => {
  it('are 30 minutes, 1 hour, and until 08:00 the next day', () => {
    expect(snoozeUntil('half-hour', NOW)).toBe(NOW + 30 * 60_000)
    expect(snoozeUntil('hour', NOW)).toBe(NOW + 60 * 60_000)
    expect(new Date(snoozeUntil('until-tomorrow', NOW))).toEqual(new Date(2026, 10, 22, 8, 0, 0))
  })
})

describe('tray menu snooze items', () => {
  const calls: Array<[string, number | null]> = []
  const actions: TrayActions = {
    openLog: () => {},
    openSettings: () => {},
    pause: () => {},
    reconnect: () => {},
    snooze: (feedId, until) => calls.push([feedId, until]),
    setStartAtLogin: () => {},
    quit: () => {},
  }
  const model = (feeds: FeedStatus[]): TrayMenuModel => ({
    feeds,
    tasks: { running: 0, progress: null },
    pause: null,
    now: NOW,
    startAtLogin: false,
  })
  beforeEach(() => {
    calls.length = 0
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(NOW)
  })
  afterEach(() => vi.useRealTimers())

  it('offer 30 minutes, 1 hour and until tomorrow per feed', () => {
    const feedMenu = trayMenu(model([feed()]), actions).find((i) => i.label?.startsWith('Alerts'))
    const snooze = feedMenu?.submenu?.find((i) => i.label === 'Snooze notifications')
    expect(snooze?.submenu?.map((i) => i.label)).toEqual(['30 minutes', '1 hour', 'Until tomorrow'])
    for (const item of snooze?.submenu ?? []) item.click?.()
    expect(calls).toEqual([
      ['a', NOW + 30 * 60_000],
      ['a', NOW + 60 * 60_000],
      ['a', new Date(2026, 10, 22, 8, 0, 0).getTime()],
    ])
  })

  it('show a running snooze with its end, and unsnooze', () => {
    const snoozed = feed({ snoozedUntil: NOW + 30 * 60_000 })
    const items = trayMenu(model([snoozed]), actions).find((i) => i.label?.startsWith('Alerts'))
    const labels = items?.submenu?.map((i) => i.label)
    expect(labels).toContain('Snoozed until 14:30')
    expect(labels).not.toContain('Snooze notifications')
    items?.submenu?.find((i) => i.label === 'Unsnooze')?.click?.()
    expect(calls).toEqual([['a', null]])
  })

  it('an expired snooze offers snoozing again', () => {
    const expired = feed({ snoozedUntil: NOW - 1 })
    const items = trayMenu(model([expired]), actions).find((i) => i.label?.startsWith('Alerts'))
    expect(items?.submenu?.map((i) => i.label)).toContain('Snooze notifications')
  })
})

describe('in the app', () => {
  let app: Harness | null = null
  let ntfy: NtfyServer | null = null
  beforeEach(() => fake.reset())
  afterEach(async () => {
    await app?.stop()
    await ntfy?.close()
    app = null
    ntfy = null
  })

  async function ntfyApp(minPriority = 1) {
    ntfy = await startNtfyServer()
    const url = buildPresetUrl('ntfy', { server: ntfy.base, topics: 'alerts' })
    if (!url.ok) throw new Error(url.error)
    app = await appWithFeed({
      ...feedFromPreset('ntfy', { id: 'a', name: 'Alerts', url: url.value }),
      minPriority,
    })
    await ntfy.http.request(0)
    await eventually(async () => expect((await feedStatus(app!, 'a')).state.kind).toBe('open'))
    return { ntfy, app }
  }

  it('snoozing from the tray keeps logging but raises nothing until unsnoozed', async () => {
    const { ntfy, app } = await ntfyApp()
    const before = Date.now()
    await eventually(() => app.tray().menu?.find(/^Alerts — connected/))
    app.tray().menu?.click(/^Alerts/, 'Snooze notifications', '1 hour')
    const snoozedUntil = (await feedStatus(app, 'a')).snoozedUntil as number
    expect(snoozedUntil).toBeGreaterThanOrEqual(before + 60 * 60_000)
    expect(snoozedUntil).toBeLessThanOrEqual(Date.now() + 60 * 60_000)

    ntfy.publish('alerts', { message: 'while snoozed' })
    await waitForLogged(app, 1)
    await eventually(() =>
      expect(app.tray().menu?.find(/^Alerts/, /^Snoozed until/).enabled).toBe(false),
    )

    app.tray().menu?.click(/^Alerts/, 'Unsnooze')
    expect((await feedStatus(app, 'a')).snoozedUntil).toBeNull()
    ntfy.publish('alerts', { message: 'after' })
    await waitForNotification((n) => n.body === 'after')
    expect(shown().map((n) => n.body)).toEqual(['after'])
  })

  it('when a snooze ends, the tray offers snoozing again without any other change', async () => {
    const { app } = await ntfyApp()
    await eventually(() => app.tray().menu?.find(/^Alerts — connected/))
    await app.invoke('feed:snooze', 'a', Date.now() + 300)
    await eventually(() => app.tray().menu?.find(/^Alerts/, /^Snoozed until/))
    await eventually(() => app.tray().menu?.find(/^Alerts/, 'Snooze notifications'))
  })

  it('the priority threshold drops messages below it (ntfy’s missing priority counts as 3)', async () => {
    const { ntfy, app } = await ntfyApp(4)
    ntfy.publish('alerts', { message: 'low', priority: 2 })
    ntfy.publish('alerts', { message: 'default' })
    ntfy.publish('alerts', { message: 'high', priority: 4 })
    await waitForNotification((n) => n.body === 'high')
    await waitForLogged(app, 3)
    expect(shown().map((n) => n.body)).toEqual(['high'])
  })
})
