// The preset UI in Debian's Chromium, served by the real tidings ui: Add from a preset, the field
// mapping's live preview, trusting a certificate by fingerprint (then connecting with it), and
// snooze.
import { X509Certificate } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer as createHttpsServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { makeSelfSigned } from '../support/self-signed.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FeedSettingInput } from '../../src/shared/settings.ts'
import { startNtfyServer, type NtfyServer } from '../support/preset-servers.ts'
import { hasChromium, skipReason } from './support/chromium.ts'
import {
  settle,
  startHarness,
  waitForLogged,
  waitInPage,
  type AppSession,
  type Harness,
} from './support/harness.ts'
import { frame, startSseServer, type SseServer } from './support/sse-server.ts'

let harness: Harness
let sse: SseServer
let ntfy: NtfyServer
let run = 0
const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots')

if (!hasChromium) console.warn(`browser tests skipped: ${skipReason}`)

const dir = mkdtempSync(join(tmpdir(), 'tidings-browser-tls-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const tls = makeSelfSigned(dir)

describe.skipIf(!hasChromium)('preset UI', () => {
  beforeAll(async () => {
    ;[harness, sse, ntfy] = await Promise.all([startHarness(), startSseServer(), startNtfyServer()])
    mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await harness?.close()
    await sse?.close()
    await ntfy?.close()
  })

  async function open(feeds: FeedSettingInput[]): Promise<AppSession> {
    run++
    return harness.open({ settings: { feeds } })
  }

  it('Add from a preset: ntfy topics and a Bearer token become a feed with its mapping', async () => {
    const session = await open([])
    const { page } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Add from a preset…' }).click()
    const picker = page.getByRole('region', { name: 'Add feed' })
    await picker.getByRole('radio', { name: /^ntfy/ }).check()
    expect(await picker.getByLabel('Server', { exact: true }).inputValue()).toBe('https://ntfy.sh')
    await picker.getByLabel('Server', { exact: true }).fill(ntfy.base)
    await picker.getByRole('button', { name: 'Add ntfy feed' }).click()
    // Nothing added while a part is missing; the message is beside the field.
    const topics = picker.getByLabel('Topics', { exact: true })
    expect(await topics.getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#preset-part-topics-error').textContent()).toBe(
      'Enter at least one topic.',
    )
    await topics.fill('alerts, backups')
    await picker.getByLabel('Sign-in', { exact: true }).selectOption('bearer')
    await picker.getByLabel('Token', { exact: true }).fill('tk_secret')
    await picker.getByLabel('Name', { exact: true }).fill('Home')
    expect(await picker.getByRole('list', { name: 'About this preset' }).textContent()).toContain(
      '?since=<last message id>',
    )
    // Fixing a field takes its message away.
    expect(await topics.getAttribute('aria-invalid')).toBe('false')
    await picker.screenshot({ path: join(SHOTS, 'presets-add-ntfy.png') })
    await picker.getByRole('button', { name: 'Add ntfy feed' }).click()

    await page.getByRole('group', { name: 'Edit feed Home' }).waitFor()
    expect(await page.getByLabel('Service', { exact: true }).inputValue()).toBe('ntfy')
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('title')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Settings saved.').waitFor()
    const saved = session.app.settings().feeds[0]!
    expect(saved).toMatchObject({
      name: 'Home',
      url: `${ntfy.base}/alerts,backups/sse`,
      preset: 'ntfy',
      notify: 'smart',
      mapping: { title: 'title', body: 'message', url: 'click' },
      // Sealed with the keyring; the server below gets it in clear.
      headers: [{ name: 'Authorization', value: '', secret: true, sealed: expect.any(String) }],
    })
    const request = await ntfy.http.request(0)
    expect(request.headers.authorization).toBe('Bearer tk_secret')
    await session.close()
  })

  it.each([
    ['ntfy', 'Server', { Topics: 'alerts' }],
    ['Mercure', 'Hub', { Topics: 'https://example.com/books/1', Token: 'tk' }],
    ['Mastodon', 'Instance', { Token: 'tk' }],
    ['Firebase', 'Database URL', { Path: 'messages' }],
  ] as const)(
    '%s: a bad %s gets its message beside that field, not another',
    async (preset, base, others) => {
      const session = await open([])
      const { page } = session
      await page.getByRole('tab', { name: 'Settings' }).click()
      await page.getByRole('button', { name: 'Add from a preset…' }).click()
      const picker = page.getByRole('region', { name: 'Add feed' })
      await picker.getByRole('radio', { name: new RegExp(`^${preset}`) }).check()
      await picker.getByLabel(base, { exact: true }).fill('not-a-url')
      for (const [label, value] of Object.entries(others))
        await picker.getByLabel(label, { exact: true }).fill(value)
      await picker.getByRole('button', { name: /^Add .* feed$/ }).click()
      const field = picker.getByLabel(base, { exact: true })
      expect(await field.getAttribute('aria-invalid')).toBe('true')
      const errorId = (await field.getAttribute('aria-describedby'))!.split(' ')[0]!
      expect(await page.locator(`#${errorId}`).textContent()).toBe(
        '"not-a-url" is not a valid URL.',
      )
      // Focus is on the field to fix; the other parts say nothing.
      await waitInPage(
        page,
        `document.activeElement?.id === ${JSON.stringify(await field.getAttribute('id'))}`,
      )
      for (const label of Object.keys(others))
        expect(await picker.getByLabel(label, { exact: true }).getAttribute('aria-invalid')).toBe(
          'false',
        )
      expect(await picker.locator('.field-error').count()).toBe(1)
      await session.close()
    },
  )

  it("previews the URL as it is typed, tests before adding (the first event the log would show, not ntfy's open), and its notification", async () => {
    const session = await open([])
    const { page } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Add from a preset…' }).click()
    const picker = page.getByRole('region', { name: 'Add feed' })
    await picker.getByRole('radio', { name: /^ntfy/ }).check()
    const preview = picker.locator('#preset-url-preview')
    expect(await preview.textContent()).toContain('shown once Topics is filled in right')
    await picker.getByLabel('Server', { exact: true }).fill(ntfy.base)
    await picker.getByLabel('Topics', { exact: true }).fill('alerts')
    expect(await preview.locator('code').textContent()).toBe(`${ntfy.base}/alerts/sse`)
    await picker.getByLabel('Topics', { exact: true }).fill('alerts, backups')
    expect(await preview.locator('code').textContent()).toBe(`${ntfy.base}/alerts,backups/sse`)

    const before = ntfy.http.requests.length
    await picker.getByRole('button', { name: 'Test connection' }).click()
    await ntfy.http.request(before)
    // ntfy says `open` first: a health event, not what the log shows.
    ntfy.publish('backups', { title: 'Backup done', message: 'All 3 disks copied' })
    const result = picker.getByRole('status').filter({ hasText: 'Connected' })
    await result.waitFor()
    expect(await result.textContent()).toContain('First event the log would show: message')
    expect(await result.textContent()).not.toContain('"event":"open"')
    expect(await result.textContent()).toContain(
      'It would notify: Backup done — All 3 disks copied',
    )
    // Nothing was added by the test.
    expect(
      await page.getByRole('list', { name: 'Configured feeds' }).getByRole('listitem').count(),
    ).toBe(0)
    await picker.getByRole('button', { name: 'Add ntfy feed' }).click()
    await page.getByRole('group', { name: /^Edit feed/ }).waitFor()
    await waitInPage(page, `document.activeElement?.id === 'feed-name'`)
    await session.close()
  })

  it('editing a preset feed later shows its Token field, and a new token keeps its "Bearer "', async () => {
    const guarded = await startNtfyServer({ auth: { token: 'tk_new' } })
    try {
      const session = await open([
        {
          id: 'n',
          name: 'Home',
          url: `${guarded.base}/alerts/sse`,
          preset: 'ntfy',
          headers: [{ name: 'Authorization', value: 'Bearer tk_old', secret: true }],
        },
      ])
      const { page, app } = session
      await page.getByRole('tab', { name: 'Settings' }).click()
      const token = page.getByLabel('Token', { exact: true })
      await token.waitFor()
      expect(await token.getAttribute('placeholder')).toContain('Stored encrypted')
      expect(await page.getByLabel('Sign-in', { exact: true }).inputValue()).toBe('bearer')
      // Not the raw header it is kept in.
      expect(await page.getByLabel('Header 1 name').count()).toBe(0)
      await token.fill('tk_new')
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Settings saved.').waitFor()
      await app.until(
        () => guarded.http.requests.some((r) => r.headers.authorization === 'Bearer tk_new'),
        'a request with the new token',
      )
      expect(app.settings().feeds[0]!.headers).toEqual([
        { name: 'Authorization', value: '', secret: true, sealed: expect.any(String) },
      ])
      await session.close()
    } finally {
      await guarded.close()
    }
  })

  it('a pasted URL of a known service suggests its preset', async () => {
    const session = await open([])
    const { page } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Add from a preset…' }).click()
    await page.getByLabel('URL', { exact: true }).fill('https://smee.io/AbCdEf')
    await page.getByRole('button', { name: 'Use the smee.io / webhook relay preset' }).click()
    expect(await page.getByRole('radio', { name: /^smee/ }).isChecked()).toBe(true)
    expect(await page.getByLabel('Channel URL', { exact: true }).inputValue()).toBe(
      'https://smee.io/AbCdEf',
    )
    await session.close()
  })

  it('field mapping: paths, their values in the last event, and the notification it would raise', async () => {
    const url = sse.url(`/presets${run + 1}/builds`)
    const session = await open([{ id: 'b', name: 'Builds', url }])
    const { page } = session
    await sse.waitForClients(`/presets${run}/builds`)
    sse.send(
      `/presets${run}/builds`,
      frame({
        event: 'message',
        data: JSON.stringify({
          build: { name: '<b>Deploy</b>', state: 'failed', link: 'https://ci.example/1' },
          steps: [{ log: 'exit 1' }],
        }),
      }),
    )
    await waitForLogged(session, 1)
    await page.getByRole('tab', { name: 'Settings' }).click()
    const preview = page.getByRole('status', { name: 'Preview' })
    await preview.getByText('Would only be logged').waitFor()

    await page.getByLabel('Title', { exact: true }).fill('build.name')
    await page.getByLabel('Status', { exact: true }).fill('build.state')
    await page.getByLabel('Link', { exact: true }).fill('build.link')
    await page.getByLabel('Body', { exact: true }).fill('steps.0.log')
    await settle(session)
    expect(await page.locator('#mapping-title-value').textContent()).toBe('<b>Deploy</b>')
    expect(await page.locator('#mapping-status-value').textContent()).toBe('failed')
    expect(await preview.textContent()).toContain('<b>Deploy</b> failed')
    expect(await preview.textContent()).toContain('exit 1')
    expect(await preview.textContent()).toContain('Opens https://ci.example/1')
    // Feed data is text: the <b> above is characters, not an element.
    expect(await preview.locator('b').count()).toBe(0)
    // Paths the event has are offered; a path it lacks says so.
    const options = await page
      .locator('datalist option')
      .evaluateAll((nodes) => nodes.map((node) => (node as unknown as { value: string }).value))
    expect(options).toEqual(expect.arrayContaining(['build.name', 'build.state', 'steps.0.log']))
    await page.getByLabel('Progress', { exact: true }).fill('build.percent')
    expect(await page.locator('#mapping-progress-value').textContent()).toBe(
      'not in the last event',
    )
    await page.getByLabel('Progress', { exact: true }).fill('')
    await page
      .getByRole('group', { name: 'Field mapping' })
      .screenshot({ path: join(SHOTS, 'presets-mapping.png') })

    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Settings saved.').waitFor()
    expect(session.app.settings().feeds[0]!.mapping).toEqual({
      title: 'build.name',
      status: 'build.state',
      url: 'build.link',
      body: 'steps.0.log',
    })
    await session.close()
  })

  it('Feeds view: snooze 30 minutes, 1 hour or until tomorrow, and unsnooze', async () => {
    const session = await open([{ id: 'a', name: 'Alerts', url: sse.url(`/presets${run + 1}/a`) }])
    const { page } = session
    await page.getByRole('tab', { name: 'Feeds' }).click()
    const snoozed = () => session.app.settings().feeds[0]!.snoozedUntil
    const unsnoozed = () => session.app.until(() => snoozed() === null, 'the snooze to end')

    let before = Date.now()
    await page
      .getByRole('button', { name: 'Snooze notifications of Alerts for 30 minutes' })
      .click()
    await page.getByRole('button', { name: 'Unsnooze notifications of Alerts' }).waitFor()
    expect(snoozed()).toBeGreaterThanOrEqual(before + 30 * 60_000)
    expect(snoozed()).toBeLessThanOrEqual(Date.now() + 30 * 60_000)
    await page.getByRole('button', { name: 'Unsnooze notifications of Alerts' }).click()
    await unsnoozed()

    before = Date.now()
    await page.getByRole('button', { name: 'Snooze notifications of Alerts for 1 hour' }).click()
    await page.getByRole('button', { name: 'Unsnooze notifications of Alerts' }).click()
    await unsnoozed()

    await page
      .getByRole('button', { name: 'Snooze notifications of Alerts until tomorrow' })
      .click()
    await page.getByRole('button', { name: 'Unsnooze notifications of Alerts' }).waitFor()
    const until = new Date(snoozed()!)
    const tomorrow = new Date(before)
    tomorrow.setDate(tomorrow.getDate() + 1)
    expect([until.getDate(), until.getHours(), until.getMinutes()]).toEqual([
      tomorrow.getDate(),
      8,
      0,
    ])
    await session.close()
  })

  describe.skipIf(!tls)('trusting a certificate', () => {
    let server: Server
    let url = ''
    beforeAll(async () => {
      server = createHttpsServer({ key: tls!.key, cert: tls!.cert }, (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' }).end('data: hi\n\n')
      })
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
      url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/events`
    })
    afterAll(async () => {
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
    })

    it('Test connection shows the presented certificate; one click trusts its fingerprint', async () => {
      const fingerprint = new X509Certificate(tls!.cert).fingerprint256
      const session = await harness.open({
        settings: { feeds: [{ id: 'lan', name: 'LAN box', url, enabled: false }] },
      })
      const { page } = session
      await page.getByRole('tab', { name: 'Settings' }).click()
      await page.getByRole('button', { name: 'Test connection' }).click()
      const shown = page.getByRole('group', { name: 'Presented certificate' })
      await shown.waitFor()
      expect(await shown.textContent()).toContain(fingerprint)
      expect(await shown.textContent()).toContain('itself (self-signed)')
      await shown.screenshot({ path: join(SHOTS, 'presets-certificate.png') })
      await shown
        .getByRole('button', { name: `Trust this certificate for ${new URL(url).host}` })
        .click()
      expect(await page.getByLabel('Trusted certificate (SHA-256)').inputValue()).toBe(fingerprint)
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Settings saved.').waitFor()
      expect(session.app.settings().feeds[0]!.trustedCertSha256).toBe(fingerprint)
      // And the feed connects with it: enabled, its event arrives through the trusted TLS.
      await page.getByRole('tab', { name: /Feeds/ }).click()
      await page.getByRole('button', { name: 'Resume LAN box' }).click()
      await waitForLogged(session, 1)
      expect(session.app.ui.tidings.history.events()[0]).toMatchObject({
        feedId: 'lan',
        data: 'hi',
      })
      await session.close()
    })
  })
})
