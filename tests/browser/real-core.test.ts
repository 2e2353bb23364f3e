// What only the real core shows (the test backend these tests replaced hid it): a preset feed
// added in Settings, its events in the log and its notification on the desktop; a restart that
// resumes from the stored id; notifications shown by the browser itself, a click opening their
// event; and a push stream that drops and resumes without losing or repeating a push.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNtfyServer, type NtfyServer } from '../support/preset-servers.ts'
import { hasChromium, skipReason } from './support/chromium.ts'
import {
  startHarness,
  uniquePath,
  waitForLogged,
  waitInPage,
  type AppSession,
  type Harness,
} from './support/harness.ts'
import { frame, startSseServer, type SseServer } from './support/sse-server.ts'

let harness: Harness
let sse: SseServer
let ntfy: NtfyServer

/** Stands in for the browser's Notification (headless Chromium shows none): records, clicks. */
const NOTIFICATION_STUB = `(() => {
  const shown = []
  class StubNotification {
    static permission = 'granted'
    static requestPermission = async () => 'granted'
    constructor(title, options = {}) {
      this.title = title
      this.body = options.body
      this.tag = options.tag
      this.onclick = null
      this.closed = false
      shown.push(this)
    }
    close() { this.closed = true }
  }
  Object.defineProperty(window, 'Notification', { value: StubNotification })
  window.__notifications = shown
})()`

/**
 * Takes the page's push stream away until the returned function gives it back: the server drops
 * it, and the browser's reconnections fail meanwhile (so it comes back only when told).
 */
async function awayFromStream(session: AppSession): Promise<() => Promise<void>> {
  const pattern = '**/api/pushes*'
  await session.context.route(pattern, (route) => route.abort())
  session.app.ui.server.dropStreams()
  return () => session.context.unroute(pattern)
}

/** Pushes from `count` separate batches (each waits for the push before the next). */
async function sendBatches(session: AppSession, path: string, batches: string[][]): Promise<void> {
  for (const batch of batches) {
    const before = session.app.ui.server.pushLog.lastId
    for (const data of batch) sse.send(path, frame({ data }))
    const seq = session.app.ui.tidings.history.lastSeq() + batch.length
    await session.app.until(
      () => session.app.ui.tidings.history.lastSeq() >= seq,
      `events up to ${seq} in the core`,
    )
    await session.app.until(() => session.app.ui.server.pushLog.lastId > before, 'their push')
  }
}

/** Records every seq the window's API hands to its listeners, from now on. */
const recordSeqs = (session: AppSession) =>
  session.page.evaluate(
    'window.__seqs = []; window.tidings.onEvents((batch) => window.__seqs.push(...batch.map((e) => e.seq)))',
  )

if (!hasChromium) console.warn(`browser tests skipped: ${skipReason}`)

describe.skipIf(!hasChromium)('the window on the real core', () => {
  beforeAll(async () => {
    ;[harness, sse, ntfy] = await Promise.all([startHarness(), startSseServer(), startNtfyServer()])
  })
  afterAll(async () => {
    await harness?.close()
    await sse?.close()
    await ntfy?.close()
  })

  it('a preset feed added in Settings: its events in the log, its notification on the desktop, and after a restart it resumes from the stored id', async () => {
    const app = await harness.start()
    let session = await app.open()
    const { page } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Add from a preset…' }).click()
    const picker = page.getByRole('region', { name: 'Add feed' })
    await picker.getByRole('radio', { name: /^ntfy/ }).check()
    await picker.getByLabel('Server', { exact: true }).fill(ntfy.base)
    await picker.getByLabel('Topics', { exact: true }).fill('disks')
    await picker.getByLabel('Name', { exact: true }).fill('Servers')
    await picker.getByRole('button', { name: 'Add ntfy feed' }).click()
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Settings saved.').waitFor()
    const feed = app.settings().feeds[0]!
    expect(feed).toMatchObject({ name: 'Servers', preset: 'ntfy', url: `${ntfy.base}/disks/sse` })
    const isOpen = () => app.ui.tidings.core.board.list()[0]?.state.kind === 'open'
    await app.until(isOpen, 'the ntfy feed to connect')

    const first = ntfy.publish('disks', { title: 'Disk almost full', message: '92% of /data used' })
    await waitForLogged(session, 1)
    await page.getByRole('tab', { name: 'Log' }).click()
    const rows = page.getByRole('list', { name: 'Events' }).getByRole('listitem')
    expect(await rows.allTextContents()).toEqual([expect.stringContaining('Disk almost full')])
    await app.until(() => app.notifications.length > 0, 'the desktop notification')
    expect(app.notifications).toEqual([
      { title: 'Disk almost full', body: expect.stringContaining('92% of /data used') },
    ])

    // Quit and start again on the same folder; a message arrives while it is down.
    const requestsBefore = ntfy.http.requests.length
    await app.close(true)
    ntfy.publish('disks', { title: 'Disk full', message: '100% of /data used' })
    const again = await app.restart()
    session = await again.open()
    // It asked ntfy for what came after the last message it had (ntfy's ?since=<id>).
    const resumed = await ntfy.http.request(requestsBefore)
    expect(new URL(resumed.url, ntfy.base).searchParams.get('since')).toBe(first)
    await waitForLogged(session, 2)
    // The history came back, and nothing was logged twice.
    const after = session.page.getByRole('list', { name: 'Events' }).getByRole('listitem')
    expect(await after.allTextContents()).toEqual([
      expect.stringContaining('Disk almost full'),
      expect.stringContaining('Disk full'),
    ])
    expect(again.ui.tidings.history.events().map((event) => event.seq)).toEqual([1, 2])
    await session.close()
  })

  it('notifications in the browser once allowed: a click opens the event (or its link); turned off, the desktop gets them', async () => {
    const path = uniquePath('notify')
    const app = await harness.start({
      settings: { feeds: [{ id: 'news', name: 'Newsroom', url: sse.url(path) }] },
    })
    const session = await app.open({ notifications: true, initScript: NOTIFICATION_STUB })
    const { page } = session
    await sse.waitForClients(path)
    await app.until(() => app.ui.server.notifyingPages() === 1, 'the page to take notifications')
    const shown = (count: number) => waitInPage(page, `window.__notifications.length >= ${count}`)

    sse.send(
      path,
      frame({
        event: 'news',
        data: '{"title":"Paper accepted","body":"Camera-ready due Friday."}',
      }),
    )
    await shown(1)
    expect(
      await page.evaluate('window.__notifications.map((n) => ({ title: n.title, body: n.body }))'),
    ).toEqual([{ title: 'Paper accepted', body: 'Camera-ready due Friday.' }])
    expect(app.notifications).toEqual([])
    // A click while another view shows: the log opens at that event.
    await page.getByRole('tab', { name: 'Feeds' }).click()
    await page.evaluate('window.__notifications[0].onclick()')
    await page.getByRole('region', { name: 'Event 1 details' }).waitFor()
    expect(await page.getByRole('tab', { name: 'Log' }).getAttribute('aria-selected')).toBe('true')
    expect(await page.evaluate('window.__notifications[0].closed')).toBe(true)

    // One with a link opens the link in a tab of its own.
    sse.send(
      path,
      frame({ event: 'news', data: '{"title":"Release 3.1","url":"https://example.com/3.1"}' }),
    )
    await shown(2)
    const [tab] = await Promise.all([
      session.context.waitForEvent('page'),
      page.evaluate('window.__notifications[1].onclick()'),
    ])
    expect(tab.url()).toBe('https://example.com/3.1')
    await tab.close()

    // Turned off in the header: the desktop notifier takes them again.
    await page.getByLabel('Notify in this browser').uncheck()
    await app.until(() => app.ui.server.notifyingPages() === 0, 'the page to stop notifying')
    sse.send(path, frame({ event: 'news', data: '{"title":"Back on the desktop"}' }))
    await app.until(() => app.notifications.length > 0, 'the desktop notification')
    expect(app.notifications[0]!.title).toBe('Back on the desktop')
    expect(await page.evaluate('window.__notifications.length')).toBe(2)
    await session.close()
  })

  it('the push stream drops and resumes with Last-Event-ID: every event once, in order', async () => {
    const path = uniquePath('resume')
    const app = await harness.start({
      settings: { feeds: [{ id: 'ticks', name: 'Ticks', url: sse.url(path) }] },
    })
    const session = await app.open()
    await sse.waitForClients(path)
    for (let index = 1; index <= 3; index++)
      sse.send(path, frame({ id: `t${index}`, data: `tick ${index}` }))
    await waitForLogged(session, 3)
    await recordSeqs(session)
    // The stream drops; events go on, in several pushes, while the page is away.
    const back = await awayFromStream(session)
    const ticks = Array.from({ length: 37 }, (_, at) => `tick ${at + 4}`)
    await sendBatches(session, path, [ticks.slice(0, 10), ticks.slice(10, 25), ticks.slice(25)])
    await back()
    await waitForLogged(session, 40)
    expect(await session.page.evaluate('window.__seqs')).toEqual(
      Array.from({ length: 37 }, (_, at) => at + 4),
    )
    expect(await session.page.getByText('40 events').count()).toBe(1)
    await session.close()
  })

  it('a page that fell behind further than the stream keeps reloads its state instead', async () => {
    const path = uniquePath('behind')
    const app = await harness.start({
      settings: { feeds: [{ id: 'ticks', name: 'Ticks', url: sse.url(path) }] },
      replayEvents: 5,
    })
    const session = await app.open()
    await sse.waitForClients(path)
    sse.send(path, frame({ data: 'tick 1' }))
    await waitForLogged(session, 1)
    await recordSeqs(session)
    const back = await awayFromStream(session)
    // Three pushes of 20 while away: the stream keeps 5 events, so the first ones are gone.
    const ticks = Array.from({ length: 59 }, (_, at) => `tick ${at + 2}`)
    await sendBatches(session, path, [ticks.slice(0, 20), ticks.slice(20, 40), ticks.slice(40)])
    await back()
    await waitForLogged(session, 60)
    expect(await session.page.getByText('60 events').count()).toBe(1)
    // Delivered from the reloaded snapshot: all of them, once each, in order.
    const seqs = await session.page.evaluate<number[]>('window.__seqs')
    expect(seqs.filter((seq) => seq >= 2)).toEqual(Array.from({ length: 59 }, (_, at) => at + 2))
    await session.close()
  })
})
