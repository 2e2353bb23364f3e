// Hostile redirects, with loopback servers on two ports: at most 5 redirects, a loop or too many
// fails the feed with that reason (no endless retry); a redirect to another origin drops every
// header the user configured and Last-Event-ID; https to http is refused. Through the engine on
// the app's network module, and the CLI.
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { makeSelfSigned } from '../support/self-signed.ts'
import { openStream, type SseHandler } from '../support/sse-server.ts'
import { hostileKit } from './kit.ts'
import { runCli } from './support.ts'

const { cleanup, serve, engine } = hostileKit(afterEach)

const redirect =
  (to: (path: string) => string, status = 307): SseHandler =>
  (req, res) => {
    res.writeHead(status, { Location: to(req.url ?? '/') }).end()
  }

describe('redirect chains', () => {
  it('5 redirects are followed', async () => {
    const server = await serve((req, res) => {
      const hop = Number(/\/hop(\d)/.exec(req.url ?? '')?.[1] ?? 0)
      if (hop < 5) res.writeHead(302, { Location: `/hop${hop + 1}` }).end()
      else {
        openStream(res)
        res.write('data: arrived\n\n')
      }
    })
    const { rec } = engine({ url: server.url })
    await rec.untilEvents(1)
    expect(rec.data).toEqual(['arrived'])
    expect(server.requests.map((r) => r.url)).toEqual([
      '/events',
      '/hop1',
      '/hop2',
      '/hop3',
      '/hop4',
      '/hop5',
    ])
  })

  it('a sixth fails the feed with that reason, and it is not retried', async () => {
    const server = await serve((req, res) => {
      const hop = Number(/\/hop(\d)/.exec(req.url ?? '')?.[1] ?? 0)
      res.writeHead(301, { Location: `/hop${hop + 1}` }).end()
    })
    const { rec } = engine({ url: server.url })
    const failed = await rec.nextState('failed')
    expect(failed).toMatchObject({
      kind: 'failed',
      reason: `too many redirects (more than 5), the last to ${new URL(server.url).origin}/hop6`,
    })
    expect(server.requests).toHaveLength(6)
    expect(rec.stateKinds()).toEqual(['connecting', 'failed'])
  })

  it('a loop fails the feed with that reason', async () => {
    const server = await serve((req, res) => {
      res.writeHead(308, { Location: req.url === '/events' ? '/other' : '/events' }).end()
    })
    const { rec } = engine({ url: server.url })
    const failed = await rec.nextState('failed')
    expect(failed).toMatchObject({
      kind: 'failed',
      reason: `redirect loop: ${server.url} again`,
    })
    expect(server.requests).toHaveLength(2)
  })

  it('a redirect without a usable Location fails with the status', async () => {
    const server = await serve((_req, res) => void res.writeHead(302).end())
    const { rec } = engine({ url: server.url })
    expect(await rec.nextState('failed')).toMatchObject({
      kind: 'failed',
      reason: 'HTTP 302 Found without a Location to go to',
      status: 302,
    })
  })

  it('`tidings tail` exits 1 with the reason', async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { Location: req.url === '/events' ? '/b' : '/events' }).end()
    })
    const { code, stderr } = await runCli(['tail', server.url, '--verbose'])
    expect(code).toBe(1)
    expect(stderr).toContain('The server redirects to an address Tidings does not follow.')
    expect(stderr).toContain(`redirect loop: ${server.url} again`)
  })
})

describe('a redirect to another origin', () => {
  const secrets = {
    Authorization: 'Bearer s3cret',
    'X-Api-Key': 'k3y',
    Cookie: 'session=abc',
    'X-Team': 'ops',
  }

  it('drops every configured header and Last-Event-ID; same-origin hops keep them', async () => {
    const other = await serve((_req, res) => {
      openStream(res)
      res.write('id: 11\ndata: elsewhere\n\n')
    })
    const first = await serve((req, res) => {
      if (req.url === '/events') res.writeHead(307, { Location: '/same-origin' }).end()
      else res.writeHead(307, { Location: `${new URL(other.url).origin}/moved` }).end()
    })
    const { rec } = engine({ url: first.url, headers: secrets, lastEventId: '10' })
    await rec.untilEvents(1)
    for (const request of first.requests) {
      expect(request.headers).toMatchObject({ authorization: 'Bearer s3cret', 'x-api-key': 'k3y' })
      expect(request.lastEventId).toBe('10')
    }
    const [moved] = other.requests
    expect(moved?.url).toBe('/moved')
    for (const name of ['authorization', 'x-api-key', 'cookie', 'x-team', 'last-event-id'])
      expect(moved?.headers[name], name).toBeUndefined()
    expect(moved?.headers['accept']).toBe('text/event-stream')
  })

  it('a failure there says the headers stayed behind', async () => {
    const other = await serve((_req, res) => void res.writeHead(401, 'Unauthorized').end())
    const first = await serve(redirect(() => `${new URL(other.url).origin}/moved`))
    const { rec } = engine({ url: first.url, headers: secrets })
    expect(await rec.nextState('failed')).toMatchObject({
      kind: 'failed',
      reason: `HTTP 401 Unauthorized from ${new URL(other.url).origin}, after a redirect (the feed’s headers are only sent to ${new URL(first.url).origin})`,
      status: 401,
    })
  })

  it('`tidings tail -H` does not send the header there either', async () => {
    const other = await serve((_req, res) => {
      openStream(res)
      res.end('data: elsewhere\n\n')
    })
    const first = await serve(redirect(() => `${new URL(other.url).origin}/moved`))
    const { code } = await runCli([
      'tail',
      first.url,
      '--until-end',
      '-H',
      'X-Api-Key: k3y',
      '--last-event-id',
      '10',
    ])
    expect(code).toBe(0)
    expect(first.requests[0]?.headers['x-api-key']).toBe('k3y')
    expect(other.requests[0]?.headers['x-api-key']).toBeUndefined()
    expect(other.requests[0]?.lastEventId).toBeNull()
  })
})

describe('https to http', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-redirect-tls-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const tls = makeSelfSigned(dir)

  it.skipIf(!tls)('is refused: the feed fails and nothing is sent over http', async () => {
    const plain = await serve((_req, res) => openStream(res))
    const server = createHttpsServer({ key: tls!.key, cert: tls!.cert }, (_req, res) => {
      res.writeHead(302, { Location: `${plain.url}?downgraded` }).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanup(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        }),
    )
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/events`
    const sha256 = new X509Certificate(tls!.cert).fingerprint256
    const { rec } = engine({ url, trustedCertSha256: sha256, headers: { 'X-Api-Key': 'k' } })
    expect(await rec.nextState('failed')).toMatchObject({
      kind: 'failed',
      reason: `redirected from https to http (refused): ${new URL(plain.url).origin}`,
    })
    expect(plain.requests).toEqual([])

    const cli = await runCli(['tail', url, '--trust-cert', sha256, '--verbose'])
    expect(cli.code).toBe(1)
    expect(cli.stderr).toContain('redirected from https to http (refused)')
    expect(plain.requests).toEqual([])
  })
})
