// What the engine tells about a failure beside its reason (FailureFacts), against real loopback
// servers: the root cause's code, the HTTP status, and what a server said in a 401/403 body.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FeedRecorder } from '../../../tests/support/feed-recorder.ts'
import { makeSelfSigned } from '../../../tests/support/self-signed.ts'
import { startSseServer, type SseHandler } from '../../../tests/support/sse-server.ts'
import type { FeedState } from '../../shared/feed.ts'
import { FeedManager } from './index.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function stateOf(url: string, until: (state: FeedState) => boolean): Promise<FeedState> {
  const feeds = new FeedManager({ random: () => 0.5 })
  const rec = new FeedRecorder(feeds)
  cleanups.push(() => feeds.dispose())
  feeds.apply([{ id: 'a', name: 'A', url }])
  await rec.until(() => rec.states.some(({ state }) => until(state)), 'the failure')
  return rec.states.find(({ state }) => until(state))!.state
}

async function replying(handler: SseHandler): Promise<string> {
  const server = await startSseServer(handler)
  cleanups.push(() => server.close())
  return server.url
}

const failed = (state: FeedState) => state.kind === 'failed'
const retrying = (state: FeedState) => state.kind === 'reconnecting'

describe('failure facts', () => {
  it('a 401 carries the JSON error the server sent', async () => {
    const url = await replying((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' })
      res.end('{"code":40101,"error":"token expired"}')
    })
    expect(await stateOf(url, failed)).toMatchObject({
      kind: 'failed',
      status: 401,
      reason: 'HTTP 401 Unauthorized',
      facts: { kind: 'http', status: 401, serverMessage: 'token expired' },
    })
  })

  it('a 403 carries the first 200 characters of a text body, on one line', async () => {
    const url = await replying((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'text/plain' })
      res.end(`Not for you.\r\n${'y'.repeat(1000)}`)
    })
    const state = await stateOf(url, failed)
    const message = state.kind === 'failed' ? state.facts?.serverMessage : undefined
    expect(message).toMatch(/^Not for you\. y+…$/)
    expect(message).toHaveLength(200)
  })

  it('a JSON {"message"} and an {"error":{"message"}} are read too; HTML is not', async () => {
    const bodies = [
      ['application/json', '{"message":"sign in first"}', 'sign in first'],
      ['application/problem+json', '{"error":{"message":"bad token"}}', 'bad token'],
      ['text/html', '<html><body>Denied</body></html>', undefined],
    ] as const
    for (const [type, body, said] of bodies) {
      const url = await replying((_req, res) => {
        res.writeHead(401, { 'Content-Type': type })
        res.end(body)
      })
      const state = await stateOf(url, failed)
      expect(state.kind === 'failed' ? state.facts?.serverMessage : null).toBe(said)
    }
  })

  it('a 404 is only its status (its body is not read), a 5xx is retried with its status', async () => {
    const gone = await replying((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' })
      res.end('nope')
    })
    expect(await stateOf(gone, failed)).toMatchObject({
      facts: { kind: 'http', status: 404 },
    })
    const busy = await replying((_req, res) => {
      res.writeHead(503)
      res.end()
    })
    expect(await stateOf(busy, retrying)).toMatchObject({
      kind: 'reconnecting',
      facts: { kind: 'http', status: 503 },
    })
  })

  it('a refused port carries ECONNREFUSED, an unknown host ENOTFOUND', async () => {
    const probe = createServer()
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done))
    const port = (probe.address() as AddressInfo).port
    await new Promise<void>((done) => probe.close(() => done()))
    expect(await stateOf(`http://127.0.0.1:${port}/`, retrying)).toMatchObject({
      facts: { kind: 'network', code: 'ECONNREFUSED' },
    })
    expect(await stateOf('http://no-such-host.invalid/', retrying)).toMatchObject({
      facts: { kind: 'network', code: 'ENOTFOUND' },
    })
  })

  it('a self-signed certificate carries its code, and the reason has no advice about Node flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-facts-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const tls = makeSelfSigned(dir)
    if (!tls) return
    const server = await startSseServer((_req, res) => void res.end(), 0, tls)
    cleanups.push(() => server.close())
    const state = await stateOf(server.url, retrying)
    expect(state).toMatchObject({ facts: { kind: 'network', code: expect.stringMatching(/CERT/) } })
    expect(state.kind === 'reconnecting' ? state.reason : '').not.toMatch(/Node\.js|--use-/)
  })
})
