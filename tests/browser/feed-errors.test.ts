// Feeds that fail, as a user meets them in the real window (tidings ui, its core and engine)
// against real loopback servers: each error in plain words with the next step and the engine's
// words one click away, failing feeds first, the status chip as the one status light, Edit feed,
// Reconnect now on a paused feed, and trusting a self-signed certificate from the Feeds view.
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeSelfSigned } from '../support/self-signed.ts'
import { hasChromium, skipReason } from './support/chromium.ts'
import { startHarness, waitForLogged, waitInPage, type Harness } from './support/harness.ts'
import { startSseServer, type SseServer } from './support/sse-server.ts'

let harness: Harness
let sse: SseServer
const dir = mkdtempSync(join(tmpdir(), 'tidings-feed-errors-'))
const tls = makeSelfSigned(dir)
let https: Server | null = null
let httpsUrl = ''
/** A loopback port nothing listens on (a server was there and closed). */
let closedPort = 0

if (!hasChromium) console.warn(`browser tests skipped: ${skipReason}`)

describe.skipIf(!hasChromium)('feeds that fail, in plain words', () => {
  beforeAll(async () => {
    ;[harness, sse] = await Promise.all([startHarness(), startSseServer()])
    const gone = createServer()
    await new Promise<void>((done) => gone.listen(0, '127.0.0.1', done))
    closedPort = (gone.address() as AddressInfo).port
    await new Promise<void>((done) => gone.close(() => done()))
    if (tls) {
      https = createHttpsServer({ key: tls.key, cert: tls.cert }, (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/event-stream' })
        response.write('data: {"title":"hello over TLS"}\n\n')
      })
      await new Promise<void>((done) => https!.listen(0, '127.0.0.1', done))
      httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}/events`
    }
  })
  afterAll(async () => {
    await harness?.close()
    await sse?.close()
    if (https) {
      https.closeAllConnections()
      await new Promise<void>((done) => https!.close(() => done()))
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('says each error in plain words with the next step; failing feeds come first', async () => {
    sse.reply('/errors/gone', { status: 404, contentType: 'text/plain', body: 'Not Found' })
    sse.reply('/errors/denied', {
      status: 401,
      contentType: 'application/json',
      body: '{"error":"token expired","code":40101}',
    })
    sse.reply('/errors/forbidden', {
      status: 403,
      contentType: 'text/plain; charset=utf-8',
      body: `You may not read this stream.\n${'x'.repeat(400)}`,
    })
    sse.reply('/errors/busy', { status: 503, contentType: 'text/plain', body: 'maintenance' })
    const session = await harness.open({
      settings: {
        feeds: [
          { id: 'ok', name: 'Healthy', url: sse.url('/errors/ok') },
          { id: 'refused', name: 'Refused', url: `http://127.0.0.1:${closedPort}/events` },
          { id: 'unknown', name: 'Nowhere', url: 'http://no-such-host.invalid/events' },
          { id: 'gone', name: 'Gone', url: sse.url('/errors/gone') },
          { id: 'denied', name: 'Denied', url: sse.url('/errors/denied') },
          { id: 'forbidden', name: 'Forbidden', url: sse.url('/errors/forbidden') },
          { id: 'busy', name: 'Busy', url: sse.url('/errors/busy') },
        ],
      },
    })
    const { page } = session
    await page.getByRole('tab', { name: /Feeds/ }).click()
    const card = (name: string) => page.getByRole('listitem', { name })
    const problem = (name: string) => card(name).locator('.problem-summary')

    await card('Refused').getByText('Reconnecting').waitFor()
    expect(await problem('Refused').textContent()).toBe(
      `Nothing is listening at 127.0.0.1:${closedPort}. Is the server running?`,
    )
    await problem('Nowhere').waitFor()
    expect(await problem('Nowhere').textContent()).toBe('Cannot find host no-such-host.invalid.')
    await card('Gone').getByText('Failed').waitFor()
    expect(await problem('Gone').textContent()).toBe('HTTP 404: no event stream at this address.')
    expect(await card('Gone').textContent()).not.toContain('HTTP 404: HTTP 404')
    // 401 and 403 carry the server's own words: a JSON error, the start of a text body.
    await card('Denied').getByText('Failed').waitFor()
    expect(await problem('Denied').textContent()).toBe(
      'HTTP 401: the server wants you to sign in: “token expired”',
    )
    await card('Forbidden').getByText('Failed').waitFor()
    const forbidden = (await problem('Forbidden').textContent())!
    expect(forbidden).toMatch(
      /^HTTP 403: the server refused access: “You may not read this stream\. x+…”$/,
    )
    expect(forbidden.length).toBeLessThan(260)
    // 5xx: when the next try is.
    await card('Busy').getByText('Reconnecting').waitFor()
    expect(await problem('Busy').textContent()).toBe('HTTP 503: the server has a problem.')
    expect(await card('Busy').locator('.problem-next').textContent()).toMatch(
      /^Tidings tries again (in \d+ s|now)\.$/,
    )

    // The technical words are one click away.
    const details = card('Refused').locator('.problem-detail')
    expect(await details.isVisible()).toBe(false)
    await card('Refused').getByText('Details').click()
    expect(await details.textContent()).toContain('ECONNREFUSED')

    // Failing feeds first; the healthy one, first in Settings, comes after them.
    const names = await page
      .getByRole('list', { name: 'Feeds' })
      .locator(':scope > li h2')
      .allTextContents()
    expect(names.at(-1)).toBe('Healthy')
    expect(names.slice(0, -1).sort()).toEqual(
      ['Busy', 'Denied', 'Forbidden', 'Gone', 'Nowhere', 'Refused'].sort(),
    )
    // The status chip is the one status light: no coloured dot beside it.
    expect(await page.locator('.feed-card .feed-dot').count()).toBe(0)
    await session.close()
  })

  it('Edit feed on a failing card opens it in Settings', async () => {
    sse.reply('/errors/edit-gone', { status: 404, contentType: 'text/plain', body: 'no' })
    const session = await harness.open({
      settings: {
        feeds: [
          { id: 'a', name: 'First', url: sse.url('/errors/edit-a') },
          { id: 'gone', name: 'Gone', url: sse.url('/errors/edit-gone') },
        ],
      },
    })
    const { page } = session
    await page.getByRole('tab', { name: /Feeds/ }).click()
    const gone = page.getByRole('listitem', { name: 'Gone' })
    await gone.getByText('Failed').waitFor()
    expect(await page.getByRole('listitem', { name: 'First' }).getByText('Edit feed').count()).toBe(
      0,
    )
    await gone.getByRole('button', { name: 'Edit feed' }).click()
    expect(await page.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe(
      'true',
    )
    await page.getByRole('group', { name: 'Edit feed Gone' }).waitFor()
    expect(await page.getByLabel('URL', { exact: true }).inputValue()).toBe(
      sse.url('/errors/edit-gone'),
    )
    await waitInPage(page, `document.activeElement?.id === 'feed-name'`)
    await session.close()
  })

  it('Reconnect now on a paused feed resumes it; "paused" is the one word for it', async () => {
    const session = await harness.open({
      settings: {
        feeds: [{ id: 'p', name: 'Sleepy', url: sse.url('/errors/paused'), enabled: false }],
      },
    })
    const { page, app } = session
    await page.getByRole('tab', { name: /Feeds/ }).click()
    const card = page.getByRole('listitem', { name: 'Sleepy' })
    await card.getByText('Paused', { exact: true }).waitFor()
    await card.getByRole('button', { name: 'Reconnect now: Sleepy' }).click()
    await sse.waitForClients('/errors/paused')
    await card.getByText('Open', { exact: true }).waitFor()
    expect(app.settings().feeds[0]!.enabled).toBe(true)
    // Settings says "Paused" too (not "Enabled"/"disabled").
    await card.getByRole('button', { name: 'Pause Sleepy' }).click()
    await card.getByText('Paused', { exact: true }).waitFor()
    await page.getByRole('tab', { name: 'Settings' }).click()
    expect(await page.getByLabel('Paused', { exact: true }).isChecked()).toBe(true)
    expect(
      await page
        .getByRole('list', { name: 'Configured feeds' })
        .getByRole('listitem')
        .textContent(),
    ).toContain('· paused')
    await session.close()
  })

  describe.skipIf(!tls)('a self-signed server', () => {
    it('says the certificate is not trusted (no advice about Node flags) and trusts it from the card', async () => {
      const fingerprint = new X509Certificate(tls!.cert).fingerprint256
      const session = await harness.open({
        settings: { feeds: [{ id: 'lan', name: 'LAN box', url: httpsUrl }] },
      })
      const { page, app } = session
      await page.getByRole('tab', { name: /Feeds/ }).click()
      const card = page.getByRole('listitem', { name: 'LAN box' })
      await card.locator('.problem-summary').waitFor()
      expect(await card.locator('.problem-summary').textContent()).toBe(
        'The server’s certificate is not trusted.',
      )
      await card.getByText('Details').click()
      expect(await card.textContent()).not.toMatch(/Node\.js|--use-|NODE_/)
      await card.getByRole('button', { name: 'Check and trust the certificate…' }).click()
      // Settings, with the feed's Test connection showing what the server presents.
      const shown = page.getByRole('group', { name: 'Presented certificate' })
      await shown.waitFor()
      expect(await shown.textContent()).toContain(fingerprint)
      await shown
        .getByRole('button', { name: `Trust this certificate for ${new URL(httpsUrl).host}` })
        .click()
      // Focus goes to what Trust did, not to <body>.
      await waitInPage(page, `document.activeElement?.textContent?.startsWith('Trusted: ')`)
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Settings saved.').waitFor()
      await waitInPage(page, `document.activeElement?.id === 'settings-status'`)
      expect(app.settings().feeds[0]!.trustedCertSha256).toBe(fingerprint)
      await waitForLogged(session, 1)
      await session.close()
    })
  })
})
