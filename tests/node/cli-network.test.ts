// The CLI's network: HTTP_PROXY / NO_PROXY through a tiny loopback forward proxy.
import { createServer, request as httpRequest } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
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

interface Proxy {
  url: string
  /** Absolute-form request targets the proxy forwarded. */
  forwarded: string[]
  close(): Promise<void>
}

/** A forward proxy for plain http: takes absolute-form requests and relays them. */
async function startProxy(): Promise<Proxy> {
  const forwarded: string[] = []
  const proxy: Server = createServer((req, res) => {
    forwarded.push(req.url ?? '')
    const target = new URL(req.url ?? '')
    const upstream = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
        upstreamRes.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const { port } = proxy.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve())
        proxy.closeAllConnections()
      }),
  }
}

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
