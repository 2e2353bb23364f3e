// The CLI's network: HTTP(S)_PROXY / NO_PROXY through a tiny loopback proxy, and https with a
// self-signed certificate trusted through NODE_EXTRA_CA_CERTS.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startProxy, type Proxy } from '../support/proxy-server.ts'
import { makeSelfSigned } from '../support/self-signed.ts'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import {
  SSE_HEADERS,
  cleanEnv,
  jsonLines,
  runCli,
  startServer,
  killLeftoverClis,
} from './cli-harness.ts'
import type { TestServer } from './cli-harness.ts'

afterEach(killLeftoverClis)

let server: TestServer | undefined
let proxy: Proxy | undefined
afterEach(async () => {
  await Promise.all([server?.close(), proxy?.close()])
  server = undefined
  proxy = undefined
})

async function feedAndProxy(): Promise<[TestServer, Proxy]> {
  server = await startServer((_req, res) => {
    res.writeHead(200, SSE_HEADERS)
    res.end('id: 1\ndata: via wherever\n\n')
  })
  proxy = await startProxy()
  return [server, proxy]
}

describe('tidings tail behind a proxy', () => {
  it('goes through HTTP_PROXY and says so', async () => {
    const [feed, forward] = await feedAndProxy()
    const env = cleanEnv({ HTTP_PROXY: forward.url })
    const result = await runCli(['tail', feed.url, '--until-end'], { env }).exit
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('via wherever')
    expect(forward.forwarded).toEqual([feed.url])
    expect(result.stderr).toContain(`(via proxy ${forward.url}/)`)
  })

  it('honours lower-case http_proxy too', async () => {
    const [feed, forward] = await feedAndProxy()
    const env = cleanEnv({ http_proxy: forward.url })
    const result = await runCli(['tail', feed.url, '--until-end', '--json'], { env }).exit
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout)).toHaveLength(1)
    expect(forward.forwarded).toEqual([feed.url])
  })

  it('goes direct for hosts in NO_PROXY', async () => {
    const [feed, forward] = await feedAndProxy()
    const env = cleanEnv({ HTTP_PROXY: forward.url, NO_PROXY: 'localhost,127.0.0.1' })
    const result = await runCli(['tail', feed.url, '--until-end'], { env }).exit
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('via wherever')
    expect(forward.forwarded).toEqual([])
    expect(feed.requests).toHaveLength(1)
  })

  it('fails with a readable reason when the proxy is down', async () => {
    const [feed, forward] = await feedAndProxy()
    await forward.close()
    const env = cleanEnv({ HTTP_PROXY: forward.url })
    const run = runCli(['tail', feed.url, '--json'], { env })
    await run.until(({ stderr }) => /"state":"reconnecting"/.test(stderr))
    run.child.kill('SIGINT')
    const result = await run.exit
    expect(result.code).toBe(130)
    expect(jsonLines(result.stderr).find((line) => line['state'] === 'reconnecting')).toMatchObject(
      {
        reason: expect.stringMatching(/ECONNREFUSED/),
      },
    )
    expect(feed.requests).toHaveLength(0)
  })
})

describe('tidings tail over https', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-tls-'))
  const tls = makeSelfSigned(dir)
  let close: (() => Promise<void>) | undefined
  afterEach(async () => {
    await close?.()
    close = undefined
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function httpsFeed(): Promise<string> {
    const server = createHttpsServer({ key: tls!.key, cert: tls!.cert }, (_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end('id: 1\ndata: over tls\n\n')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    close = () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}/events`
  }

  it.skipIf(!tls)('trusts a certificate given in NODE_EXTRA_CA_CERTS', async () => {
    const url = await httpsFeed()
    const env = cleanEnv({ NODE_EXTRA_CA_CERTS: tls!.certFile })
    const result = await runCli(['tail', url, '--until-end', '--json'], { env }).exit
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout)[0]).toMatchObject({ data: 'over tls' })
  })

  it.skipIf(!tls)(
    'exits 1 after the first try when the certificate is not trusted, saying how to trust it',
    async () => {
      const url = await httpsFeed()
      const result = await runCli(['tail', url]).exit
      expect(result.code).toBe(1)
      const said = result.stderr.split('\n').filter(Boolean)
      expect(said.slice(0, 2)).toEqual([
        `tidings: connecting to ${url}`,
        'tidings: failed: The server’s certificate is not trusted.',
      ])
      expect(said[2]).toMatch(
        /presents a certificate for "127\.0\.0\.1" \(self-signed, valid until /,
      )
      expect(said.at(-1)).toMatch(/run again with --trust-cert ([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
      expect(result.stderr).not.toMatch(/DEPTH_ZERO|NODE_TLS|--use-openssl-ca/)
      expect(result.stdout).toBe('')
    },
  )

  it.skipIf(!tls)(
    'with --retry, keeps trying with one line per try, the certificate told once',
    async () => {
      const url = await httpsFeed()
      const run = runCli(['tail', url, '--retry', '--json'])
      await run.until(({ stderr }) => (stderr.match(/"state":"reconnecting"/g) ?? []).length >= 2)
      run.child.kill('SIGINT')
      const result = await run.exit
      expect(result.code).toBe(130)
      const said = jsonLines(result.stderr)
      expect(said.filter((line) => 'certificate' in line)).toHaveLength(1)
      expect(said.find((line) => line['state'] === 'reconnecting')).toMatchObject({
        reason: expect.stringMatching(/self[- ]signed certificate/i),
        facts: { kind: 'network', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
        message: 'The server’s certificate is not trusted.',
      })
      expect(result.stdout).toBe('')
    },
  )

  it.skipIf(!tls)('tunnels https through HTTPS_PROXY with CONNECT', async () => {
    const url = await httpsFeed()
    proxy = await startProxy()
    const env = cleanEnv({ HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: tls!.certFile })
    const result = await runCli(['tail', url, '--until-end', '--json'], { env }).exit
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout)[0]).toMatchObject({ data: 'over tls' })
    expect(proxy.tunnels).toEqual([new URL(url).host])
  })
})
