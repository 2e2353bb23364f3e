// The network module on its own: PAC answers and proxy variables become routes; a trusted
// certificate is checked in its own handshakes only and never carried over by TLS session reuse.
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer as createHttpsServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { makeSelfSigned } from '../../../../tests/support/self-signed.ts'
import { createFeedNetwork, envResolver, type FeedNetwork } from './index.ts'
import { parsePacResult } from './proxy-routes.ts'

const plain = (routes: ReturnType<typeof parsePacResult>) =>
  routes.map((route) =>
    route.kind === 'direct'
      ? 'direct'
      : route.kind === 'unsupported'
        ? `unsupported: ${route.entry}`
        : `${route.kind} ${route.proxy.host}`,
  )

describe('PAC results (session.resolveProxy)', () => {
  it.each<[string, string[]]>([
    ['DIRECT', ['direct']],
    ['', ['direct']],
    ['PROXY proxy.corp:3128', ['http proxy.corp:3128']],
    ['HTTPS secure.corp:443', ['https secure.corp']],
    ['SOCKS5 127.0.0.1:1080', ['socks5 127.0.0.1:1080']],
    ['PROXY a:3128;PROXY b:3128; DIRECT', ['http a:3128', 'http b:3128', 'direct']],
    ['SOCKS 10.0.0.1:1080; DIRECT', ['unsupported: SOCKS 10.0.0.1:1080', 'direct']],
    ['SOCKS4 10.0.0.1:1080', ['unsupported: SOCKS4 10.0.0.1:1080']],
    ['QUIC q.example:443', ['unsupported: QUIC q.example:443']],
    ['PROXY', ['unsupported: PROXY']],
    ['PROXY [::1]:8080', ['http [::1]:8080']],
  ])('%j', (pac, routes) => {
    expect(plain(parsePacResult(pac))).toEqual(routes)
  })
})

describe('HTTP(S)_PROXY and NO_PROXY (the CLI)', () => {
  const resolve = envResolver({
    HTTP_PROXY: 'http://proxy:3128',
    https_proxy: 'https://secure:8443',
    NO_PROXY: 'localhost,.internal.example, *.wild.example,db.example:5432,[::1]',
  })!

  it.each<[string, string[]]>([
    ['http://feeds.example/e', ['http proxy:3128']],
    ['https://feeds.example/e', ['https secure:8443']],
    ['http://localhost:8080/e', ['direct']],
    ['https://a.internal.example/e', ['direct']],
    ['https://internal.example/e', ['direct']],
    ['https://x.wild.example/e', ['direct']],
    ['https://wild.example/e', ['https secure:8443']],
    ['http://db.example:5432/e', ['direct']],
    ['http://db.example:80/e', ['http proxy:3128']],
    ['http://[::1]:9/e', ['direct']],
  ])('%s', async (url, routes) => {
    expect(plain(await resolve(url))).toEqual(routes)
  })

  it('no proxy variable: no resolver (every request direct); https falls back to HTTP_PROXY', async () => {
    expect(envResolver({ NO_PROXY: 'x' })).toBeNull()
    const onlyHttp = envResolver({ http_proxy: 'proxy:3128' })!
    expect(plain(await onlyHttp('https://a.example/'))).toEqual(['http proxy:3128'])
    const socks = envResolver({ HTTPS_PROXY: 'socks5://127.0.0.1:1080' })!
    expect(plain(await socks('https://a.example/'))).toEqual(['socks5 127.0.0.1:1080'])
    expect(plain(await socks('http://a.example/'))).toEqual(['direct'])
  })
})

describe('a trusted self-signed certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-network-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const tls = makeSelfSigned(dir)
  const sha256 = tls ? new X509Certificate(tls.cert).fingerprint256 : ''
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  /** An https server that answers 200 and records whether each TLS session was resumed. */
  async function server(): Promise<{ url: string; resumed: boolean[] }> {
    const resumed: boolean[] = []
    const https: Server = createHttpsServer({ key: tls!.key, cert: tls!.cert }, (_req, res) =>
      res.writeHead(200, { Connection: 'close' }).end('ok'),
    )
    https.on('secureConnection', (socket: TLSSocket) => resumed.push(socket.isSessionReused()))
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve))
    cleanups.push(
      () =>
        new Promise((resolve) => {
          https.closeAllConnections()
          https.close(() => resolve())
        }),
    )
    return { url: `https://127.0.0.1:${(https.address() as AddressInfo).port}/`, resumed }
  }
  function network(): FeedNetwork {
    const created = createFeedNetwork()
    cleanups.push(() => created.dispose())
    return created
  }
  const get = async (net: FeedNetwork, url: string, trust?: { host: string; sha256: string }) => {
    try {
      const response = await net.fetch(url, {}, trust ? { trust } : undefined)
      const reader = response.body!.getReader()
      while (!(await reader.read()).done);
      return response.status
    } catch (error) {
      return String((error as Error).cause ?? error)
    }
  }

  it.skipIf(!tls)(
    'is checked in every handshake: no session is resumed, none leaks to another request',
    async () => {
      const { url, resumed } = await server()
      const net = network()
      const trust = { host: '127.0.0.1', sha256 }
      expect(await get(net, url, trust)).toBe(200)
      expect(await get(net, url, trust)).toBe(200)
      // Right after two trusted connections, the same host without the trust is refused.
      expect(await get(net, url)).toMatch(/self[- ]signed certificate/)
      expect(await get(net, url, trust)).toBe(200)
      expect(resumed.filter(Boolean)).toEqual([])
    },
  )

  it.skipIf(!tls)('for its own host only', async () => {
    const { url } = await server()
    const net = network()
    const other = url.replace('127.0.0.1', 'localhost')
    expect(await get(net, other, { host: '127.0.0.1', sha256 })).toMatch(/certificate/)
    expect(await get(net, url, { host: 'localhost', sha256 })).toMatch(/self[- ]signed/)
    expect(await get(net, url, { host: '127.0.0.1', sha256: sha256.replace(/^../, '00') })).toMatch(
      /is not the one trusted for this feed/,
    )
  })
})
