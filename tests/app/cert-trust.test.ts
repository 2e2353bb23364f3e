// Trusting a self-signed certificate for one feed, in the app (the shell on the fake 'electron',
// the real engine on the undici network module, loopback https servers): checked in that feed's
// own TLS handshake, for that feed's host only. No verify proc on the session, nothing cached
// between feeds or between a Test connection and the saved feed, in either order.
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type {
  FeedStatus,
  SaveResult,
  SettingsView,
  TestConnectionResult,
} from '../../src/shared/ipc.ts'
import type { FeedSettingInput } from '../../src/shared/settings.ts'
import { fake } from '../setup/electron.ts'
import { makeSelfSigned } from '../support/self-signed.ts'
import { openStream, startSseServer, type SseServer } from '../support/sse-server.ts'
import { feedSettings, startApp, waitForPush, type Harness } from './support/app-harness.ts'

const dir = mkdtempSync(join(tmpdir(), 'tidings-app-tls-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const tls = makeSelfSigned(dir, 'feed')
const other = makeSelfSigned(dir, 'other')
const FINGERPRINT = tls ? new X509Certificate(tls.cert).fingerprint256 : ''
const OTHER_FINGERPRINT = other ? new X509Certificate(other.cert).fingerprint256 : ''

let app: Harness | null = null
const servers: SseServer[] = []
beforeEach(() => fake.reset())
afterEach(async () => {
  await app?.stop()
  app = null
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** An https feed with the self-signed certificate; each connection sends one event. */
async function httpsFeed(): Promise<SseServer> {
  const server = await startSseServer(
    (_req, res, request) => {
      openStream(res)
      res.write(`id: ${request.index + 1}\ndata: over tls ${request.index + 1}\n\n`)
    },
    0,
    tls!,
  )
  servers.push(server)
  return server
}

async function save(harness: Harness, feeds: FeedSettingInput[]): Promise<void> {
  const { encryptionAvailable: _unused, ...settings } = (await harness.invoke(
    'settings:get',
  )) as SettingsView
  const result = (await harness.invoke('settings:save', { ...settings, feeds })) as SaveResult
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
}

/** The next feeds push in which `feedId` matches. */
function feedState(harness: Harness, feedId: string, match: (feed: FeedStatus) => boolean) {
  return waitForPush(harness.contents(), 'feeds', (feeds) =>
    feeds.some((feed) => feed.id === feedId && match(feed)),
  ).then((feeds) => feeds.find((feed) => feed.id === feedId)!)
}
const isOpen = (feed: FeedStatus) => feed.state.kind === 'open' && feed.eventCount > 0
const refusesCertificate = (feed: FeedStatus) =>
  feed.state.kind === 'reconnecting' && /self[- ]signed certificate/i.test(feed.state.reason)

describe.skipIf(!tls || !other)('a self-signed certificate in the app', () => {
  it('the shell installs no certificate verify proc and never uses net.fetch', async () => {
    const server = await httpsFeed()
    const used: string[] = []
    fake.net.fetch = (input) => {
      used.push(String(input))
      return Promise.reject(new Error('net.fetch must not be used'))
    }
    app = await startApp({
      settings: feedSettings([
        { id: 'lan', name: 'LAN', url: server.url, trustedCertSha256: FINGERPRINT },
      ]),
    })
    await app.connect()
    await feedState(app, 'lan', isOpen)
    expect(fake.session.certificateVerifyProc).toBeNull()
    expect(used).toEqual([])
  })

  it('trusted for one feed: that feed opens; another feed on the same host without it does not', async () => {
    const server = await httpsFeed()
    app = await startApp({
      settings: feedSettings([
        { id: 'trusted', name: 'Trusted', url: server.url, trustedCertSha256: FINGERPRINT },
        { id: 'plain', name: 'Plain', url: server.url },
        { id: 'wrong', name: 'Wrong', url: server.url, trustedCertSha256: OTHER_FINGERPRINT },
      ]),
    })
    await app.connect()
    await feedState(app, 'trusted', isOpen)
    await feedState(app, 'plain', refusesCertificate)
    const wrong = await feedState(app, 'wrong', (f) => f.state.kind === 'reconnecting')
    expect(wrong.state.kind === 'reconnecting' && wrong.state.reason).toContain(
      `${FINGERPRINT} is not the one trusted for this feed`,
    )
  })

  it('trust removed (untrust): the feed reconnects and is refused', async () => {
    const server = await httpsFeed()
    const feed = { id: 'lan', name: 'LAN', url: server.url }
    app = await startApp({ settings: feedSettings([{ ...feed, trustedCertSha256: FINGERPRINT }]) })
    await app.connect()
    await feedState(app, 'lan', isOpen)
    await save(app, [feed])
    await feedState(app, 'lan', refusesCertificate)
  })

  it('Test connection with the fingerprint, then saved without it: the feed is refused', async () => {
    const server = await httpsFeed()
    const form = { id: 'lan', name: 'LAN', url: server.url }
    app = await startApp({ settings: feedSettings([]) })
    await app.connect()
    const tested = (await app.invoke('feed:test', {
      ...form,
      trustedCertSha256: FINGERPRINT,
    })) as TestConnectionResult
    expect(tested).toMatchObject({ ok: true, event: { data: 'over tls 1' } })
    await save(app, [form])
    await feedState(app, 'lan', refusesCertificate)
    // And a test without it is refused too: nothing was cached from the first one.
    const again = (await app.invoke('feed:test', form)) as TestConnectionResult
    expect(again).toMatchObject({ ok: false, certificate: { sha256: FINGERPRINT } })
  })

  it('Test connection refused without it, then saved with the fingerprint: the feed opens', async () => {
    const server = await httpsFeed()
    const form = { id: 'lan', name: 'LAN', url: server.url }
    app = await startApp({ settings: feedSettings([]) })
    await app.connect()
    const refused = (await app.invoke('feed:test', form)) as TestConnectionResult
    expect(refused).toMatchObject({ ok: false, certificate: { sha256: FINGERPRINT } })
    await save(app, [{ ...form, trustedCertSha256: FINGERPRINT }])
    await feedState(app, 'lan', isOpen)
    const tested = (await app.invoke('feed:test', {
      ...form,
      trustedCertSha256: FINGERPRINT,
    })) as TestConnectionResult
    expect(tested).toMatchObject({ ok: true })
  })
})
