// The app's feeds on the Node network stack (the shell on the fake 'electron', the real engine on
// the undici network module, loopback servers): no connection limit per host, the system's
// proxies as session.resolveProxy gives them (PROXY, HTTPS, SOCKS5, ';' fallbacks; a clear error
// for what cannot be used), and no cookie jar.
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FeedStatus } from '../../src/shared/ipc.ts'
import { fake } from '../setup/electron.ts'
import {
  startProxy,
  startSocks5Proxy,
  type Proxy,
  type Socks5Proxy,
} from '../support/proxy-server.ts'
import { makeSelfSigned } from '../support/self-signed.ts'
import { openStream, startSseServer, streamChunks, type SseHandler } from '../support/sse-server.ts'
import { feedSettings, startApp, waitForPush, type Harness } from './support/app-harness.ts'

const dir = mkdtempSync(join(tmpdir(), 'tidings-app-net-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const tls = makeSelfSigned(dir, 'feed')
const FINGERPRINT = tls ? new X509Certificate(tls.cert).fingerprint256 : ''

let app: Harness | null = null
const closers: Array<() => Promise<void>> = []
beforeEach(() => fake.reset())
afterEach(async () => {
  await app?.stop()
  app = null
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function serve(handler: SseHandler, cert?: { key: Buffer; cert: Buffer }) {
  const server = await startSseServer(handler, 0, cert)
  closers.push(() => server.close())
  return server
}
async function proxy(): Promise<Proxy> {
  const started = await startProxy()
  closers.push(() => started.close())
  return started
}
async function socks(): Promise<Socks5Proxy> {
  const started = await startSocks5Proxy()
  closers.push(() => started.close())
  return started
}

/** The app with these feeds, the window connected. */
async function appWith(feeds: Array<Record<string, unknown>>): Promise<Harness> {
  app = await startApp({ settings: feedSettings(feeds) })
  await app.connect()
  return app
}

/** An open stream that sends one event per connection, numbered by request. */
const oneEvent: SseHandler = (req, res, request) => {
  openStream(res)
  res.write(`id: ${request.index}\ndata: ${req.url} ${request.index}\n\n`)
}

function feedsWhere(harness: Harness, match: (feeds: FeedStatus[]) => boolean) {
  return waitForPush(harness.contents(), 'feeds', match)
}
const feedIs = (id: string, match: (feed: FeedStatus) => boolean) => (feeds: FeedStatus[]) =>
  feeds.some((feed) => feed.id === id && match(feed))
const delivering = (feed: FeedStatus) => feed.state.kind === 'open' && feed.eventCount > 0

describe('feeds on one host', () => {
  it('12 feeds (more than Chromium’s 6 per host) all open and deliver', async () => {
    const server = await serve((req, res) => {
      openStream(res)
      res.write(`data: ${req.url}\n\n`)
    })
    const ids = Array.from({ length: 12 }, (_, i) => `topic${i + 1}`)
    app = await startApp({
      settings: feedSettings(
        ids.map((id) => ({ id, name: id, url: `${new URL(server.url).origin}/${id}` })),
      ),
    })
    await app.connect()
    await feedsWhere(app, (feeds) => ids.every((id) => feedIs(id, delivering)(feeds)))
    expect(new Set(server.requests.map((r) => r.url))).toEqual(new Set(ids.map((id) => `/${id}`)))
    // All twelve streams are open at once, each on a connection of its own.
    expect(
      app
        .pushedEvents()
        .map((e) => e.data)
        .sort(),
    ).toEqual(ids.map((id) => `/${id}`).sort())
  })
})

describe('system proxies from session.resolveProxy', () => {
  it.skipIf(!tls)(
    'PROXY: https through a CONNECT tunnel, with the feed’s trusted certificate',
    async () => {
      const server = await serve(oneEvent, tls!)
      const forward = await proxy()
      const proxyAddress = new URL(forward.url).host
      fake.session.proxyFor = () => `PROXY ${proxyAddress}`
      app = await appWith([
        { id: 'lan', name: 'LAN', url: server.url, trustedCertSha256: FINGERPRINT },
      ])
      await feedsWhere(app, feedIs('lan', delivering))
      expect(forward.tunnels).toEqual([new URL(server.url).host])
      expect(fake.session.proxyLookups).toEqual([server.url])
    },
  )

  it('PROXY: http forwarded in absolute form', async () => {
    const server = await serve(oneEvent)
    const forward = await proxy()
    fake.session.proxyFor = () => `PROXY ${new URL(forward.url).host}`
    app = await appWith([{ id: 'plain', name: 'Plain', url: server.url }])
    await feedsWhere(app, feedIs('plain', delivering))
    expect(forward.forwarded).toEqual([server.url])
  })

  it('a list falls back to the next entry when a proxy cannot be reached', async () => {
    const server = await serve(oneEvent)
    const down = await proxy()
    await down.close()
    fake.session.proxyFor = () => `PROXY ${new URL(down.url).host}; DIRECT`
    app = await appWith([{ id: 'plain', name: 'Plain', url: server.url }])
    await feedsWhere(app, feedIs('plain', delivering))
    expect(server.requests).toHaveLength(1)
  })

  it('a proxy that is down, with no fallback: the feed says which proxy', async () => {
    const server = await serve(oneEvent)
    const down = await proxy()
    await down.close()
    fake.session.proxyFor = () => `PROXY ${new URL(down.url).host}`
    app = await appWith([{ id: 'plain', name: 'Plain', url: server.url }])
    const feeds = await feedsWhere(
      app,
      feedIs('plain', (f) => f.state.kind === 'reconnecting'),
    )
    const state = feeds.find((f) => f.id === 'plain')!.state
    expect(state.kind === 'reconnecting' && state.reason).toMatch(
      new RegExp(`^through the proxy ${down.url}/: .*ECONNREFUSED`),
    )
    expect(server.requests).toEqual([])
  })

  it('SOCKS5: through the proxy', async () => {
    const server = await serve(oneEvent)
    const proxy = await socks()
    fake.session.proxyFor = () => `SOCKS5 ${proxy.address}`
    app = await appWith([{ id: 'plain', name: 'Plain', url: server.url }])
    await feedsWhere(app, feedIs('plain', delivering))
    expect(proxy.connects).toEqual([new URL(server.url).host])
  })

  it('SOCKS (version 4): a clear error in the feed’s state, nothing sent', async () => {
    const server = await serve(oneEvent)
    fake.session.proxyFor = () => 'SOCKS 127.0.0.1:1080'
    app = await appWith([{ id: 'plain', name: 'Plain', url: server.url }])
    const feeds = await feedsWhere(
      app,
      feedIs('plain', (f) => f.state.kind === 'reconnecting'),
    )
    expect(feeds.find((f) => f.id === 'plain')!.state).toMatchObject({
      reason:
        'the system proxy "SOCKS 127.0.0.1:1080" is a SOCKS4 proxy; Tidings can use HTTP, HTTPS and SOCKS5 proxies',
    })
    expect(server.requests).toEqual([])
  })
})

describe('no cookie jar', () => {
  it('a cookie one feed was given is never sent, by it or by another feed on the host', async () => {
    const server = await serve((_req, res, request) => {
      if (request.index === 0) {
        res.setHeader('Set-Cookie', 'session=leak; Path=/')
        streamChunks(res, ['retry: 250\nid: 1\ndata: first\n\n'])
      } else oneEvent(_req, res, request)
    })
    app = await appWith([{ id: 'a', name: 'A', url: server.url }])
    await server.request(1)
    const { encryptionAvailable: _unused, ...settings } = (await app.invoke(
      'settings:get',
    )) as Record<string, unknown>
    await app.invoke('settings:save', {
      ...settings,
      feeds: [
        { id: 'a', name: 'A', url: server.url },
        { id: 'b', name: 'B', url: `${server.url}?b`, headers: [{ name: 'X-Team', value: 'ops' }] },
      ],
    })
    await server.request(2)
    for (const request of server.requests) expect(request.headers['cookie']).toBeUndefined()
    expect(server.requests[2]?.headers['x-team']).toBe('ops')
  })
})
