// The Electron layer as a whole: lifecycle, window, tray, IPC checks, security settings.
import { readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTidings } from '../../src/main/app/main.ts'
import { LOCK_NAME, lockDataDir } from '../../src/main/store/data-lock.ts'
import type { FeedStatus, Snapshot } from '../../src/shared/ipc.ts'
import { fake, FakeWebContents } from '../setup/electron.ts'
import {
  feedSettings,
  startApp,
  waitForEvent,
  waitForPush,
  type Harness,
} from './support/app-harness.ts'
import { tempDir } from './support/fixtures.ts'
import { startSseServer, type SseServer } from './support/sse-server.ts'
import { eventually } from '../support/eventually.ts'

let harness: Harness | null = null
let server: SseServer | null = null

beforeEach(() => fake.reset())
afterEach(async () => {
  await harness?.stop()
  await server?.close()
  harness = null
  server = null
})

async function appWithFeed(extra: Record<string, unknown> = {}) {
  server = await startSseServer()
  harness = await startApp({
    settings: feedSettings([{ id: 'build', name: 'Build server', url: server.url }], extra),
  })
  await server.waitForStreams(1)
  return { app: harness, sse: server }
}

describe('app lifecycle', () => {
  it('sets the installer app id before any window or notification exists', async () => {
    harness = await startApp()
    expect(fake.app.appUserModelId).toBe('app.tidings.desktop')
    expect(fake.app.calls[0]).toBe('setAppUserModelId')
    expect(fake.windows()).toHaveLength(1)
  })

  it('on a first run shows the window on the built-in demo feed, and its events reach it', async () => {
    harness = await startApp()
    expect(harness.window().isVisible()).toBe(true)
    const snapshot = await harness.connect()
    expect(snapshot.feeds.map((f) => [f.id, f.name])).toEqual([['demo', 'Demo feed']])
    expect(snapshot.feeds[0]?.url).toBe(harness.running.demo?.url)
    // The demo server runs in the app on loopback and its first events arrive within a tick.
    const event = await waitForEvent(harness.contents(), (e) => e.feedId === 'demo')
    expect(event.seq).toBeGreaterThan(0)
    expect(harness.running.demo?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
  })

  it('starts to the tray on later runs: the window exists but stays hidden', async () => {
    const { app } = await appWithFeed()
    expect(app.window().isVisible()).toBe(false)
    expect(fake.trays()).toHaveLength(1)
  })

  it('lets only one instance run; a second launch focuses the first', async () => {
    const { app } = await appWithFeed()
    fake.app.emit('second-instance', {}, ['tidings'], process.cwd())
    expect(app.window().isVisible()).toBe(true)

    fake.app.singleInstance = false
    const quitsBefore = fake.app.quitCalled
    const second = await startTidings({
      preload: '/x/preload.cjs',
      renderer: { file: '/x/index.html' },
      resources: '/x',
      log: () => {},
    })
    expect(second).toBeNull()
    expect(fake.app.quitCalled).toBe(quitsBefore + 1)
  })

  it('says so and quits, touching nothing, while tidings ui holds its data folder', async () => {
    const userData = await tempDir('tidings-locked-')
    fake.app.setPath('userData', userData)
    // tidings ui running on the same folder (a live process: this one).
    const ui = await lockDataDir({ dir: userData, what: 'tidings ui' })
    try {
      const quitsBefore = fake.app.quitCalled
      const started = await startTidings({
        preload: '/x/preload.cjs',
        renderer: { file: '/x/index.html' },
        resources: '/x',
        log: () => {},
      })
      expect(started).toBeNull()
      expect(fake.app.quitCalled).toBe(quitsBefore + 1)
      expect(fake.dialog.errorBoxes).toEqual([
        {
          title: 'Tidings is already running',
          content:
            `Tidings is already running as tidings ui (process ${process.pid}) and is using the ` +
            `same data folder:\n${userData}\n\nQuit it first (for tidings ui, press Ctrl-C in ` +
            'its terminal), then start Tidings again.',
        },
      ])
      expect(fake.trays()).toHaveLength(0)
      expect(fake.windows()).toHaveLength(0)
      expect((await readdir(userData)).sort()).toEqual([LOCK_NAME])
    } finally {
      await ui.release()
    }
  })

  it('hides the window on close and keeps running; Quit from the menu writes everything down', async () => {
    const { app, sse } = await appWithFeed()
    await app.connect()
    sse.send('id: 41\nevent: note\ndata: one\n\n')
    await waitForEvent(app.contents(), (e) => e.id === '41')

    const window = app.window()
    window.show()
    window.close()
    expect(window.isDestroyed()).toBe(false)
    expect(window.isVisible()).toBe(false)
    expect(fake.app.quitCalled).toBe(0)

    app.tray().menu?.click('Quit Tidings')
    await eventually(() => expect(window.isDestroyed()).toBe(true))
    harness = null
    const state = JSON.parse(await readFile(join(app.userData, 'state.json'), 'utf8'))
    expect(state.lastEventIds).toEqual({ build: '41' })
    const history = await readFile(join(app.userData, 'history.jsonl'), 'utf8')
    expect(history).toContain('"id":"41"')
  })

  it('writes history and resume ids synchronously when Windows ends the session', async () => {
    const { app, sse } = await appWithFeed()
    sse.send('id: 77\ndata: late\n\n')
    await eventually(() => expect(app.running.core.board.get('build')?.lastEventId).toBe('77'))
    // session-end cannot be delayed (electron.d.ts): nothing after the handler returns may run,
    // so the files are read back at once, without awaiting anything.
    app.window().emit('session-end', {})
    const state = JSON.parse(readFileSync(join(app.userData, 'state.json'), 'utf8'))
    expect(state).toMatchObject({ lastEventIds: { build: '77' } })
    expect(readFileSync(join(app.userData, 'history.jsonl'), 'utf8')).toContain('"id":"77"')
  })

  it('asks the OS to wait at shutdown (preventDefault), then quits and writes everything down', async () => {
    const { app, sse } = await appWithFeed()
    sse.send('id: 78\ndata: last\n\n')
    await eventually(() => expect(app.running.core.board.get('build')?.lastEventId).toBe('78'))
    const window = app.window()
    // powerMonitor's docs: the OS waits only if a `shutdown` listener calls preventDefault().
    expect(fake.powerMonitor.emitPreventable('shutdown')).toBe(true)
    expect(fake.app.quitCalled).toBeGreaterThan(0)
    await eventually(() => expect(window.isDestroyed()).toBe(true))
    harness = null
    const state = JSON.parse(await readFile(join(app.userData, 'state.json'), 'utf8'))
    expect(state.lastEventIds).toEqual({ build: '78' })
    expect(await readFile(join(app.userData, 'history.jsonl'), 'utf8')).toContain('"id":"78"')
    expect(fake.powerMonitor.listenerCount('shutdown')).toBe(0)
  })

  it('keeps the log when the window is closed and reopened, or reloads', async () => {
    const { app, sse } = await appWithFeed()
    await app.connect()
    sse.send('id: 1\ndata: first\n\n')
    await waitForEvent(app.contents(), (e) => e.id === '1')
    app.window().close()
    app.tray().menu?.click('Open log')
    expect(app.window().isVisible()).toBe(true)

    // The page reloads: pushes wait until it is ready again, then arrive.
    app.contents().reload()
    const before = app.contents().sent.length
    sse.send('id: 2\ndata: second\n\n')
    await eventually(() => expect(app.running.push.queuedEvents).toBe(1))
    expect(app.contents().sent.length).toBe(before)
    const snapshot = await app.connect()
    expect(snapshot.events.map((e) => e.id)).toEqual(['1', '2'])

    // The window is destroyed outright (a crash): a new one gets the whole log from the snapshot.
    app.window().destroy()
    app.tray().menu?.click('Open log')
    const again = await app.connect()
    expect(again.events.map((e) => e.data)).toEqual(['first', 'second'])
    expect(fake.windows()).toHaveLength(2)
  })
})

describe('application menu and Dock', () => {
  it("keeps Electron's default menu in development", async () => {
    harness = await startApp()
    expect(fake.applicationMenu).toBe('default')
  })

  it('has no menu in a packaged app on Windows and Linux (no reload, no DevTools)', async () => {
    for (const platform of ['win32', 'linux'] as const) {
      fake.reset()
      harness = await startApp({ platform, production: true })
      expect(fake.applicationMenu, platform).toBeNull()
      await harness.stop()
      harness = null
    }
  })

  it('keeps the standard app, Edit and Window menus in a packaged app on macOS', async () => {
    harness = await startApp({ platform: 'darwin', production: true })
    const menu = fake.applicationMenu
    if (menu === null || menu === 'default') throw new Error('no menu of our own')
    // Edit carries the roles that make Cmd+C, Cmd+V work; appMenu has Quit (Cmd+Q).
    expect(menu.items.map((item) => item.role)).toEqual(['appMenu', 'editMenu', 'windowMenu'])
    const roles = JSON.stringify(menu.items)
    for (const role of ['viewMenu', 'reload', 'forceReload', 'toggleDevTools'])
      expect(roles).not.toContain(role)
  })

  it('stays out of the macOS Dock until "Show in Dock" is turned on, and back out when off', async () => {
    harness = await startApp({ platform: 'darwin' })
    expect(fake.app.dock.calls).toEqual(['hide'])
    const view = (await harness.invoke('settings:get')) as Record<string, unknown>
    expect(view['showInDock']).toBe(false)
    await harness.invoke('settings:save', { ...view, showInDock: true })
    expect(fake.app.dock.calls).toEqual(['hide', 'show'])
    await harness.invoke('settings:save', { ...view, showInDock: false })
    expect(fake.app.dock.calls).toEqual(['hide', 'show', 'hide'])
  })

  it('starts in the Dock when "Show in Dock" was saved, and never touches it elsewhere', async () => {
    harness = await startApp({
      platform: 'darwin',
      settings: feedSettings([], { showInDock: true }),
    })
    expect(fake.app.dock.calls).toEqual(['show'])
    await harness.stop()
    fake.reset()
    harness = await startApp({ platform: 'linux' })
    const view = (await harness.invoke('settings:get')) as Record<string, unknown>
    await harness.invoke('settings:save', { ...view, showInDock: true })
    expect(fake.app.dock.calls).toEqual([])
  })
})

describe('window security', () => {
  it('creates the window isolated, sandboxed, without Node, with our preload', async () => {
    harness = await startApp()
    const prefs = harness.window().options['webPreferences'] as Record<string, unknown>
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/opt/tidings/out/preload/index.cjs',
    })
  })

  it('denies navigation, new windows, webviews and every permission request', async () => {
    harness = await startApp()
    const contents = harness.contents()
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    })
    expect(contents.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true)
    expect(contents.emitPreventable('will-redirect', 'https://evil.example/')).toBe(true)
    expect(contents.emitPreventable('will-attach-webview', {}, {})).toBe(true)

    // Any web contents created later (say, a devtools or an iframe host) gets no webviews either.
    const other = new FakeWebContents()
    fake.app.emit('web-contents-created', {}, other)
    expect(other.emitPreventable('will-attach-webview', {}, {})).toBe(true)

    const answers: boolean[] = []
    fake.session.permissionRequestHandler?.(
      contents as never,
      'notifications' as never,
      ((ok: boolean) => answers.push(ok)) as never,
    )
    fake.session.permissionRequestHandler?.(
      contents as never,
      'media' as never,
      ((ok: boolean) => answers.push(ok)) as never,
    )
    expect(answers).toEqual([false, false])
    expect((fake.session.permissionCheckHandler as () => boolean)()).toBe(false)
  })

  it('loads a page whose Content-Security-Policy allows only its own scripts', async () => {
    const html = await readFile(join(process.cwd(), 'src/renderer/index.html'), 'utf8')
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? ''
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/)
        return [name, values] as const
      }),
    )
    expect(directives.get('default-src')).toEqual(["'self'"])
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(csp).not.toMatch(/unsafe-eval/)
  })

  it('opens only http(s) links in the browser', async () => {
    harness = await startApp()
    expect(await harness.invoke('link:open', 'https://example.com/a?b=1')).toBe(true)
    expect(await harness.invoke('link:open', 'javascript:alert(1)')).toBe(false)
    expect(await harness.invoke('link:open', 'file:///etc/passwd')).toBe(false)
    expect(await harness.invoke('link:open', 'smb://host/share')).toBe(false)
    expect(fake.shell.opened).toEqual(['https://example.com/a?b=1'])
  })
})

describe('IPC validation', () => {
  it('answers our own window', async () => {
    harness = await startApp()
    const snapshot = (await harness.invoke('snapshot:get')) as Snapshot
    expect(snapshot.feeds).toHaveLength(1)
  })

  it('answers our window when the app is installed under a path with % [ ] | ~ or spaces', async () => {
    // Electron's loadFile leaves these characters as they are in the URL; Node's pathToFileURL
    // escapes them, so comparing re-encoded URLs refused every request from such an install.
    for (const dir of ['/opt/100% sure', '/opt/[beta]', '/opt/a|b', '/home/me/~apps/Tidings']) {
      fake.reset()
      harness = await startApp({
        rendererFile: `${dir}/resources/app.asar/out/renderer/index.html`,
      })
      const snapshot = (await harness.invoke('snapshot:get')) as Snapshot
      expect(snapshot.feeds, dir).toHaveLength(1)
      expect(harness.logs.filter((m) => m.includes('refused'))).toEqual([])
      await harness.stop()
      harness = null
    }
  })

  it('refuses senders that are not the top frame of our own window showing our page', async () => {
    harness = await startApp()
    const own = harness.contents()
    const stranger = new FakeWebContents()
    stranger.mainFrame.url = own.mainFrame.url
    const iframe = { url: own.mainFrame.url, parent: own.mainFrame, routingId: 9 }
    const cases = [
      { sender: stranger, senderFrame: stranger.mainFrame },
      { sender: own, senderFrame: iframe },
      { sender: own, senderFrame: null },
      { sender: own, senderFrame: { url: 'https://evil.example/', parent: null, routingId: 1 } },
      { sender: own, senderFrame: { url: 'file:///tmp/other.html', parent: null, routingId: 1 } },
    ]
    for (const event of cases)
      await expect(fake.ipcMain.invoke('snapshot:get', event as never)).rejects.toThrow(
        'Untrusted sender',
      )
    expect(harness.logs.filter((m) => m.includes('refused snapshot:get'))).toHaveLength(
      cases.length,
    )
  })

  it('refuses hostile payloads before any handler runs', async () => {
    harness = await startApp()
    const bad: Array<[string, unknown[]]> = [
      ['feed:reconnect', [42]],
      ['feed:reconnect', []],
      ['feed:reconnect', ['demo', 'extra']],
      ['feed:reconnect', ['x'.repeat(10_000)]],
      ['feed:set-enabled', ['demo', 'yes']],
      ['feed:snooze', ['demo', -5]],
      ['feed:snooze', ['demo', 1.5]],
      ['link:open', [{ toString: 'https://example.com' }]],
      ['link:open', ['https://e.com/' + 'a'.repeat(9000)]],
      ['notifications:pause', [{ kind: 'for-minutes', minutes: 1e9 }]],
      ['notifications:pause', [{ kind: 'forever' }]],
      ['settings:save', ['{"feeds":[]}']],
      ['settings:save', [null]],
      ['feed:test', [[1, 2, 3]]],
      ['window:ready', [true]],
    ]
    for (const [channel, args] of bad)
      await expect(
        harness.invoke(channel as never, ...args),
        `${channel} ${JSON.stringify(args)}`,
      ).rejects.toThrow(/Invalid arguments/)
    expect(fake.shell.opened).toEqual([])
    const settings = JSON.parse(await readFile(join(harness.userData, 'settings.json'), 'utf8'))
    expect(settings.pause).toBeNull()
  })

  it('answers invalid settings from the form with field errors and keeps the old ones', async () => {
    harness = await startApp()
    const view = (await harness.invoke('settings:get')) as Record<string, unknown>
    // JSON.parse makes "__proto__" an own key, as a structured-clone payload could.
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "historySize": -1}')
    const result = await harness.invoke('settings:save', { ...view, ...hostile })
    expect(result).toMatchObject({ ok: false, errors: { historySize: expect.any(String) } })
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('saves valid settings, applies them to the feeds and pushes them to the window', async () => {
    harness = await startApp()
    await harness.connect()
    server = await startSseServer()
    const view = (await harness.invoke('settings:get')) as { feeds: unknown[] }
    const result = await harness.invoke('settings:save', {
      ...view,
      feeds: [...view.feeds, { id: 'new', name: 'New feed', url: server.url }],
    })
    expect(result).toMatchObject({ ok: true })
    await server.waitForStreams(1)
    const feeds = await waitForPush(harness.contents(), 'feeds', (list) =>
      list.some((f) => f.id === 'new'),
    )
    expect(feeds.map((f) => f.name)).toEqual(['Demo feed', 'New feed'])
    await waitForPush(harness.contents(), 'settings', (s) => s.feeds.length === 2)
  })
})

describe('feed actions', () => {
  it('disables and re-enables a feed, and snoozes it', async () => {
    const { app, sse } = await appWithFeed()
    await app.connect()
    await app.invoke('feed:set-enabled', 'build', false)
    await waitForPush(app.contents(), 'feeds', (feeds) => stateOf(feeds, 'build') === 'stopped')
    await app.invoke('feed:set-enabled', 'build', true)
    await sse.waitForStreams(2)
    const until = Date.now() + 3_600_000
    await app.invoke('feed:snooze', 'build', until)
    await waitForPush(app.contents(), 'feeds', (feeds) => feeds[0]?.snoozedUntil === until)
  })

  it('tests a connection with the stored secret and reports the first event', async () => {
    server = await startSseServer()
    server.greeting = 'id: 7\nevent: hello\ndata: hi\n\n'
    harness = await startApp()
    const view = (await harness.invoke('settings:get')) as { feeds: unknown[] }
    await harness.invoke('settings:save', {
      ...view,
      feeds: [
        {
          id: 'sec',
          name: 'Secret',
          url: server.url,
          headers: [{ name: 'Authorization', value: 'Bearer t0k', secret: true }],
        },
      ],
    })
    const form = (
      (await harness.invoke('settings:get')) as { feeds: Array<Record<string, unknown>> }
    ).feeds[0]
    const result = await harness.invoke('feed:test', form)
    expect(result).toEqual({
      ok: true,
      status: 200,
      event: { type: 'hello', data: 'hi', id: '7', notification: null },
    })
    expect(server.requests.at(-1)?.['authorization']).toBe('Bearer t0k')
  })
})

function stateOf(feeds: FeedStatus[], id: string): string | undefined {
  return feeds.find((f) => f.id === id)?.state.kind
}
