// Tasks, Feeds and Settings in Debian's Chromium, served by the real tidings ui: its core, its
// IPC schemas and settings store, against loopback SSE servers.
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, skipReason } from './support/chromium.ts'
import {
  startHarness,
  waitForLogged,
  waitInPage,
  type AppSession,
  type Harness,
} from './support/harness.ts'
import { frame, startSseServer, type SseServer } from './support/sse-server.ts'
import type { FeedSettingInput } from '../../src/shared/settings.ts'

let harness: Harness
let sse: SseServer
let run = 0

if (!hasChromium) console.warn(`browser tests skipped: ${skipReason}`)

describe.skipIf(!hasChromium)('tasks, feeds and settings views', () => {
  beforeAll(async () => {
    ;[harness, sse] = await Promise.all([startHarness(), startSseServer()])
  })
  afterAll(async () => {
    await harness?.close()
    await sse?.close()
  })

  function path(name: string): string {
    return `/views${run}/${name}`
  }
  async function open(
    feeds: FeedSettingInput[],
    options: { keyring?: boolean } = {},
  ): Promise<AppSession> {
    run++
    return harness.open({
      settings: {
        feeds: feeds.map((feed) => ({ ...feed, url: feed.url.replace('{run}', String(run)) })),
      },
      ...options,
    })
  }
  const feedUrl = (name: string): string => sse.url(`/views{run}/${name}`)

  it('Tasks: a progress bar while running, outcome and duration when done, streams as one text', async () => {
    const session = await open([{ id: 'ci', name: 'CI', url: feedUrl('ci') }])
    await sse.waitForClients(path('ci'))
    const { page } = session
    sse.send(
      path('ci'),
      frame({
        event: 'task.started',
        data: '{"taskId":"build-7","title":"Build #7","progress":0.25}',
      }),
    )
    sse.send(
      path('ci'),
      frame({ event: 'task.started', data: '{"taskId":"deploy-1","title":"Deploy api"}' }),
    )
    for (const delta of ['Hel', 'lo', ', ', 'wor', 'ld'])
      sse.send(
        path('ci'),
        frame({ event: 'token', data: JSON.stringify({ stream: 'answer-1', delta }) }),
      )
    await waitForLogged(session, 7)
    await page.getByRole('tab', { name: 'Tasks' }).click()
    const bar = page.getByRole('progressbar', { name: 'Build #7 progress' })
    await bar.waitFor()
    expect(await bar.getAttribute('aria-valuenow')).toBe('25')
    expect(await page.getByRole('tab', { name: /Tasks/ }).textContent()).toContain('2')
    const streams = page.getByRole('list', { name: 'Streams' }).getByRole('listitem')
    expect(await streams.count()).toBe(1)
    expect(await streams.first().textContent()).toContain('Hello, world')
    expect(await streams.first().textContent()).toContain('5 tokens')
    sse.send(
      path('ci'),
      frame({ event: 'task.progress', data: '{"taskId":"build-7","progress":0.8}' }),
    )
    sse.send(path('ci'), frame({ event: 'token', data: '{"stream":"answer-1","delta":"!"}' }))
    sse.send(
      path('ci'),
      frame({ event: 'task.failed', data: '{"taskId":"deploy-1","error":"health check"}' }),
    )
    await waitForLogged(session, 10)
    await waitInPage(
      page,
      `document.querySelector('[role=progressbar][aria-label="Build #7 progress"]')?.getAttribute('aria-valuenow') === '80'`,
    )
    expect(await streams.first().textContent()).toContain('Hello, world!')
    const deploy = page.getByRole('listitem', { name: 'Deploy api: Failed' })
    await deploy.waitFor()
    expect(await deploy.textContent()).toMatch(/took (under a second|\d+ s)/)
    // Why it failed, from the event, as text.
    expect(await deploy.locator('.task-detail').textContent()).toBe('health check')
    expect(await deploy.getByRole('progressbar').count()).toBe(0)
    sse.send(
      path('ci'),
      frame({ event: 'task.done', data: '{"taskId":"build-7","status":"completed"}' }),
    )
    await waitForLogged(session, 11)
    await page.getByRole('listitem', { name: 'Build #7: Completed' }).waitFor()
    expect(await page.getByRole('progressbar').count()).toBe(0)
    await session.close()
  })

  it('Feeds: state, exact errors, attempt countdown; Reconnect now and Pause reach the engine', async () => {
    sse.reply(`/views${run + 1}/down`, {
      status: 503,
      contentType: 'text/plain',
      body: 'maintenance',
    })
    sse.reply(`/views${run + 1}/denied`, {
      status: 401,
      contentType: 'application/json',
      body: '{}',
    })
    sse.reply(`/views${run + 1}/html`, {
      status: 200,
      contentType: 'text/html',
      body: '<html></html>',
    })
    const session = await open([
      { id: 'ok', name: 'Healthy', url: feedUrl('ok') },
      { id: 'down', name: 'Down', url: feedUrl('down') },
      { id: 'denied', name: 'Denied', url: feedUrl('denied') },
      { id: 'html', name: 'Wrong page', url: feedUrl('html') },
    ])
    await sse.waitForClients(path('ok'))
    const { page } = session
    sse.send(path('ok'), frame({ event: 'hello', id: 'h-1', data: 'hi' }))
    await waitForLogged(session, 1)
    await page.getByRole('tab', { name: /Feeds/ }).click()
    const card = (name: string) => page.getByRole('listitem', { name })
    await card('Down').getByText('Reconnecting').waitFor()
    expect(await card('Down').textContent()).toContain('HTTP 503')
    expect(await card('Down').textContent()).toMatch(/Attempt\d+ · next try (in \d+ s|now)/)
    await card('Denied').getByText('Failed').waitFor()
    expect(await card('Denied').textContent()).toContain('401')
    await card('Wrong page').getByText('Failed').waitFor()
    expect(await card('Wrong page').textContent()).toContain('text/html')
    expect(await card('Healthy').textContent()).toContain('Open')
    // A feed's count and last id go out with the feed list a few times a second, not with each
    // event (the push queue's latestSoon): wait for them rather than read them at once.
    await card('Healthy').getByText('h-1').waitFor()
    expect(await card('Healthy').textContent()).toContain('h-1')
    expect(await card('Healthy').textContent()).toMatch(/Events1/)

    const before = sse.requests.filter((request) => request.path === path('denied')).length
    await page.getByRole('button', { name: 'Reconnect now: Denied' }).click()
    // A failed feed is retried only when asked: one more request, from this click.
    await sse.waitForRequests(path('denied'), before + 1)

    await page.getByRole('button', { name: 'Pause Healthy' }).click()
    await card('Healthy').getByText('Paused').waitFor()
    expect(session.app.settings().feeds.find((feed) => feed.id === 'ok')?.enabled).toBe(false)
    await page.getByRole('button', { name: 'Resume Healthy' }).click()
    await card('Healthy').getByText('Open').waitFor()
    expect(session.app.calls.map((call) => call.channel)).toEqual(
      expect.arrayContaining(['feed:reconnect', 'feed:set-enabled']),
    )

    await page.getByRole('button', { name: 'Snooze notifications of Healthy for 1 hour' }).click()
    await page.getByRole('button', { name: 'Unsnooze notifications of Healthy' }).waitFor()
    const snoozed = session.app.settings().feeds.find((feed) => feed.id === 'ok')?.snoozedUntil
    expect(snoozed).toBeGreaterThan(Date.now() + 59 * 60_000)
    expect(await card('Healthy').textContent()).toMatch(/Snoozeduntil (\d+ \S+ )?\d\d:\d\d/)
    await page.getByRole('button', { name: 'Unsnooze notifications of Healthy' }).click()
    await page.getByRole('button', { name: 'Snooze notifications of Healthy for 1 hour' }).waitFor()
    expect(session.app.settings().feeds.find((feed) => feed.id === 'ok')?.snoozedUntil).toBeNull()
    await session.close()
  })

  it('pauses notifications for an hour and resumes them', async () => {
    const session = await open([])
    const { page } = session
    await page.getByLabel('Pause notifications').selectOption({ label: 'Pause for 1 hour' })
    await page.getByText(/Notifications paused until (\d+ \S+ )?\d\d:\d\d/).waitFor()
    const until = session.app.settings().pause?.until ?? 0
    expect(until).toBeGreaterThan(Date.now() + 59 * 60_000)
    expect(until).toBeLessThanOrEqual(Date.now() + 60 * 60_000)
    await page.getByRole('button', { name: 'Resume notifications' }).click()
    await page.getByLabel('Pause notifications').waitFor()
    expect(session.app.settings().pause).toBeNull()
    expect(
      session.app.calls
        .filter((call) => call.channel === 'notifications:pause')
        .map((call) => call.args[0]),
    ).toEqual([{ kind: 'for-minutes', minutes: 60 }, { kind: 'resume' }])
    await session.close()
  })

  it('Settings: a field the user goes to right after "Add feed" keeps the focus', async () => {
    // Add feed moves focus to the new feed's name and holds it there over the next frames while
    // React swaps the editor in; it took focus back from a field the user had already moved to
    // (typing after a quick click landed in Name, on a slow machine every time).
    const session = await open([{ id: 'one', name: 'One', url: feedUrl('one') }])
    const { page } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    const add = await page.getByRole('button', { name: 'Add feed', exact: true }).elementHandle()
    const stayed = await page.evaluate(async (button) => {
      ;(button as HTMLButtonElement).click()
      await new Promise((resolve) => setTimeout(resolve, 0))
      document.getElementById('feed-url')!.focus()
      for (let i = 0; i < 20; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
      return document.activeElement?.id
    }, add)
    expect(stayed).toBe('feed-url')
    await session.close()
  })

  it('Settings: invalid input gets a message beside its field and nothing is saved half-valid', async () => {
    const session = await open([{ id: 'one', name: 'One', url: feedUrl('one') }])
    const { page } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Add feed' }).click()
    // Focus goes to the new feed's first field.
    await waitInPage(page, `document.activeElement?.id === 'feed-name'`)
    await page.getByLabel('URL').fill('ftp://example.com/feed')
    await page.getByLabel('Rate limit (per feed per minute)').fill('0')
    await page.getByLabel('Quiet from').fill('25:00')
    await page.getByRole('button', { name: 'Save' }).click()
    const saveStatus = page.locator('#settings-status')
    await saveStatus.getByText('Nothing was saved: 4 fields need fixing.').waitFor()
    const errorOf = async (label: string): Promise<string | null> => {
      const input = page.getByLabel(label, { exact: true })
      expect(await input.getAttribute('aria-invalid')).toBe('true')
      const id = (await input.getAttribute('aria-describedby'))!.split(' ')[0]!
      return page.locator(`#${id}`).textContent()
    }
    expect(await errorOf('Name')).toBe('Give the feed a name.')
    expect(await errorOf('URL')).toBe('Only http and https URLs are supported, not ftp:')
    expect(await errorOf('Rate limit (per feed per minute)')).toBe('Must be at least 1.')
    expect(await errorOf('Quiet from')).toBe('Use HH:MM (24-hour).')
    expect(session.app.calls.some((call) => call.channel === 'settings:save')).toBe(false)
    expect(session.app.settings().feeds.map((feed) => feed.name)).toEqual(['One'])

    // Fixing a field clears its message as it is typed; the rest stay, and the count follows.
    await page.getByLabel('Name', { exact: true }).fill('Two')
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe(
      'false',
    )
    expect(await saveStatus.textContent()).toBe('Nothing was saved: 3 fields need fixing.')
    await page.getByLabel('URL').fill(feedUrl('two').replace('{run}', String(run)))
    await page.getByLabel('Rate limit (per feed per minute)').fill('')
    expect(await errorOf('Rate limit (per feed per minute)')).toBe('Enter a number.')
    await page.getByLabel('Rate limit (per feed per minute)').fill('12')
    await page.getByLabel('Quiet from').fill('23:30')
    expect(await saveStatus.textContent()).toBe('Everything is fixed: Save to keep the changes.')
    await page.getByRole('button', { name: 'Add header' }).click()
    await page.getByLabel('Header 1 name').fill('Bad Name')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Nothing was saved').waitFor()
    expect(await errorOf('Header 1 name')).toContain('has characters not allowed')
    expect(session.app.calls.some((call) => call.channel === 'settings:save')).toBe(false)
    // A header a client may not send is refused beside its field, not as a feed error later.
    await page.getByLabel('Header 1 name').fill('Keep-Alive')
    await page.getByRole('button', { name: 'Save' }).click()
    expect(await errorOf('Header 1 name')).toContain('is about the connection, not the request')
    expect(session.app.calls.some((call) => call.channel === 'settings:save')).toBe(false)

    await page.getByLabel('Header 1 name').fill('Authorization')
    await page.getByLabel('Header 1 value').fill('Bearer s3cret')
    await page.getByLabel('Secret').check()
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Settings saved.').waitFor()
    // Save's button is disabled now: focus went to what it did, not to <body>.
    await waitInPage(page, `document.activeElement?.id === 'settings-status'`)
    const saved = session.app.settings()
    expect(saved.rateLimitPerMinute).toBe(12)
    expect(saved.quietHours.start).toBe('23:30')
    expect(saved.feeds.map((feed) => feed.name)).toEqual(['One', 'Two'])
    // Stored sealed by the keyring, never in clear; the feed's server gets it in clear.
    expect(saved.feeds[1]!.headers).toEqual([
      {
        name: 'Authorization',
        value: '',
        secret: true,
        sealed: expect.stringMatching(/^keyring-v1:/),
      },
    ])
    expect(JSON.stringify(saved)).not.toContain('s3cret')
    await sse.waitForClients(path('two'))
    expect(sse.requests.find((request) => request.path === path('two'))?.authorization).toBe(
      'Bearer s3cret',
    )
    // The secret never comes back to the window: the field is empty with a "stored" hint.
    expect(await page.getByLabel('Header 1 value').inputValue()).toBe('')
    expect(await page.getByLabel('Header 1 value').getAttribute('placeholder')).toContain('Stored')
    await session.close()
  })

  it('Settings: reorder, remove, revert, and secret headers refused without encryption', async () => {
    const session = await open(
      [
        { id: 'a', name: 'Alpha', url: feedUrl('a') },
        { id: 'b', name: 'Beta', url: feedUrl('b') },
        { id: 'c', name: 'Gamma', url: feedUrl('c') },
      ],
      // No OS keyring, as on this machine: secrets are refused, with the reason beside the field.
      { keyring: false },
    )
    const { page } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    const picker = page.getByRole('list', { name: 'Configured feeds' })
    await page.getByRole('button', { name: 'Move Gamma up' }).click()
    expect(
      (await picker.getByRole('listitem').allTextContents()).map((text) => text.split('http')[0]),
    ).toEqual(['Alpha', 'Gamma', 'Beta'])
    await page.getByRole('button', { name: 'Revert' }).click()
    expect(
      (await picker.getByRole('listitem').allTextContents()).map((text) => text.split('http')[0]),
    ).toEqual(['Alpha', 'Beta', 'Gamma'])
    await page.getByRole('button', { name: 'Move Alpha down' }).click()
    await picker.getByRole('button', { name: /^Gamma/ }).click()
    await page.getByRole('button', { name: 'Remove feed' }).click()
    await picker.getByRole('button', { name: /^Beta/ }).click()
    await page.getByRole('button', { name: 'Add header' }).click()
    await page.getByLabel('Header 1 name').fill('X-Token')
    await page.getByLabel('Header 1 value').fill('abc')
    await page.getByLabel('Secret').check()
    await page.getByRole('button', { name: 'Add header' }).click()
    await page.getByLabel('Header 2 name').fill('Bad Name')
    await page.getByRole('button', { name: 'Save' }).click()
    const saveStatus = page.locator('#settings-status')
    await saveStatus.getByText('Nothing was saved: 2 fields need fixing.').waitFor()
    expect(await page.locator('#feed-header-0-value-error').textContent()).toContain(
      'no encrypted storage',
    )
    // A field removed takes its problem with it: the message follows.
    await page.getByRole('button', { name: 'Remove header 2' }).click()
    expect(await saveStatus.textContent()).toBe('Nothing was saved: 1 field needs fixing.')
    expect(session.app.settings().feeds.map((feed) => feed.id)).toEqual(['a', 'b', 'c'])
    await page.getByLabel('Secret').uncheck()
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Settings saved.').waitFor()
    expect(session.app.settings().feeds.map((feed) => feed.id)).toEqual(['b', 'a'])
    expect(session.app.settings().feeds[0]!.headers).toEqual([
      { name: 'X-Token', value: 'abc', secret: false },
    ])
    await session.close()
  })

  it('Settings: export leaves secrets out; import is all-or-nothing and needs Save', async () => {
    const session = await open([
      {
        id: 'a',
        name: 'Private',
        url: feedUrl('a'),
        headers: [
          { name: 'Authorization', value: 'Bearer topsecret', secret: true },
          { name: 'X-Team', value: 'blue', secret: false },
        ],
      },
    ])
    const { page } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('tidings-feeds.json')
    const text = await readFile(await download.path(), 'utf8')
    expect(text).not.toContain('topsecret')
    const exported = JSON.parse(text) as { feeds: { name: string; headers: unknown[] }[] }
    expect(exported.feeds[0]!.name).toBe('Private')
    expect(exported.feeds[0]!.headers).toEqual([
      { name: 'Authorization', value: '', secret: true },
      { name: 'X-Team', value: 'blue', secret: false },
    ])

    const file = page.getByLabel('Import feeds from a JSON file')
    const bad = {
      feeds: [
        { name: 'Fine', url: 'https://example.com/a' },
        { name: 'Broken', url: 'javascript:alert(1)' },
      ],
    }
    await file.setInputFiles({
      name: 'feeds.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bad)),
    })
    await page
      .getByText(/Import failed, nothing was added: Feed 2 \(Broken\), URL: Only http and https/)
      .waitFor()
    await file.setInputFiles({
      name: 'feeds.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{not json'),
    })
    await page.getByText(/Import failed, nothing was added: The file is not valid JSON/).waitFor()
    const picker = page.getByRole('list', { name: 'Configured feeds' })
    expect(await picker.getByRole('listitem').count()).toBe(1)

    await file.setInputFiles({
      name: 'feeds.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    })
    await page.getByText('Imported 1 feed. Review, then Save.').waitFor()
    expect(await picker.getByRole('listitem').count()).toBe(2)
    expect(session.app.settings().feeds).toHaveLength(1)
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Settings saved.').waitFor()
    expect(session.app.settings().feeds.map((feed) => feed.name)).toEqual(['Private', 'Private'])
    expect(session.app.settings().feeds[1]!.id).not.toBe('a')
    await session.close()
  })

  it('Settings: Test connection shows the first event or the exact failure', async () => {
    sse.reply(`/views${run + 1}/gone`, { status: 404, contentType: 'text/plain', body: 'no' })
    const session = await open([{ id: 'a', name: 'Greeter', url: feedUrl('hello') }])
    sse.onConnect(
      path('hello'),
      frame({ event: 'welcome', id: 'w1', data: '{"hello":"<b>world</b>"}' }),
    )
    const { page } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Test connection' }).click()
    await page.getByText('Connected (HTTP 200).').waitFor()
    const result = page.getByRole('status').filter({ hasText: 'Connected' })
    expect(await result.textContent()).toContain('welcome')
    expect(await result.textContent()).toContain('{"hello":"<b>world</b>"}')
    // With what the feed would do with it.
    expect(await result.textContent()).toMatch(/It would (notify: |only be logged)/)
    await page.getByLabel('URL').fill(sse.url(path('gone')))
    await page.getByRole('button', { name: 'Test connection' }).click()
    // The failure in plain words, the engine's own one click away.
    const failed = page.getByRole('status').filter({ hasText: 'Connection failed' })
    await failed
      .getByText('Connection failed: HTTP 404: no event stream at this address.')
      .waitFor()
    expect(await failed.textContent()).toContain('Check the URL.')
    await failed.getByText('Details').click()
    expect(await failed.locator('details').textContent()).toContain('HTTP 404 Not Found')
    await page.getByLabel('URL').fill('not-a-url')
    await page.getByRole('button', { name: 'Test connection' }).click()
    await page.getByText('Test failed: "not-a-url" is not a valid URL.').waitFor()
    // A server that takes the request and never answers: the core gives up after 10 s (the
    // test backend this replaced said "Connected" here).
    sse.hang(path('silent'))
    await page.getByLabel('URL').fill(sse.url(path('silent')))
    await page.getByRole('button', { name: 'Test connection' }).click()
    await page.getByText('Connecting…').waitFor()
    await page.getByText('No answer within 10 s.').waitFor({ timeout: 20_000 })
    expect(await page.getByRole('status').filter({ hasText: 'No answer' }).textContent()).toMatch(
      /^Connection failed: No answer within 10 s\.$/,
    )
    await session.close()
  })

  it('Settings: warns that notifications may be blocked, with the fix for the OS, and sends a test', async () => {
    // macOS refuses notifications (what an unsigned build gets): the core learns it from the
    // notifier's answer to a real notification.
    const alerts = `/views${run + 1}/alerts`
    const session = await harness.open({
      settings: { feeds: [{ id: 'alerts', name: 'Alerts', url: sse.url(alerts) }] },
      platform: 'darwin',
    })
    run++
    const { page, app } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Send a test notification' }).waitFor()
    expect(await page.getByRole('alert').count()).toBe(0)
    app.outcome = { kind: 'failed', error: 'Notifications are not allowed for this application' }
    await sse.waitForClients(alerts)
    sse.send(alerts, frame({ event: 'news', data: '{"title":"Disk almost full"}' }))
    const alert = page.getByRole('alert')
    await alert
      .getByText('Notifications may be blocked: the system refused the last one.')
      .waitFor()
    expect(await alert.textContent()).toContain('System Settings → Notifications → Tidings')
    await alert.getByText('Details').click()
    await alert.getByText('Notifications are not allowed for this application').waitFor()

    // The test notification is shown: the warning goes, and the fix stays one sentence away.
    app.outcome = { kind: 'shown' }
    await page.getByRole('button', { name: 'Send a test notification' }).click()
    await page.getByText(/^Test notification sent\. Did not see it\? On macOS/).waitFor()
    expect(app.notifications.map((shown) => shown.title)).toEqual([
      'Disk almost full',
      'Tidings test notification',
    ])
    expect(await page.getByRole('alert').count()).toBe(0)
    await session.close()

    // On Windows nothing confirmed it: Focus Assist / Do Not Disturb is named.
    const windows = await harness.open({ platform: 'win32' })
    windows.app.outcome = { kind: 'unconfirmed' }
    await windows.page.getByRole('tab', { name: 'Settings' }).click()
    await windows.page.getByRole('button', { name: 'Send a test notification' }).click()
    await windows.page
      .getByRole('alert')
      .getByText(/never confirmed showing/)
      .waitFor()
    expect(await windows.page.getByRole('alert').textContent()).toContain('Focus Assist')
    await windows.close()
  })

  it('Settings: "Show in Dock" is off by default and saved when turned on', async () => {
    const session = await open([])
    const { page, app } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    const dock = page.getByLabel('Show in Dock')
    expect(await dock.isChecked()).toBe(false)
    await dock.check()
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Settings saved.').waitFor()
    expect(app.settings().showInDock).toBe(true)
    await session.close()
  })
})
