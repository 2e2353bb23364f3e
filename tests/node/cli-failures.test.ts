// `tidings tail` when the feed fails, run for real against loopback servers: one line per try in
// the window's plain words, giving up at once on what waiting will not mend (unless --retry),
// retrying for as long as it takes on what it may.
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { jsonLines, killLeftoverClis, runCli, startServer } from './cli-harness.ts'
import type { Handler, TestServer } from './cli-harness.ts'

afterEach(killLeftoverClis)

let server: TestServer | undefined
async function serve(handler: Handler): Promise<TestServer> {
  server = await startServer(handler)
  return server
}
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** A loopback port nothing listens on (it was free a moment ago). */
async function refusedUrl(): Promise<{ url: string; port: number }> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return { url: `http://127.0.0.1:${port}/events`, port }
}

const lines = (text: string) => text.split('\n').filter(Boolean)
const problemLines = (stderr: string) =>
  lines(stderr).filter((line) => !/^tidings: (connecting to|stopped:)/.test(line))

describe('failures that may mend: tried again, one line per try', () => {
  it('a refused port: "Nothing is listening", with when the next try is', async () => {
    const { url, port } = await refusedUrl()
    const run = runCli(['tail', url])
    await run.until(({ stderr }) => problemLines(stderr).length >= 2)
    run.child.kill('SIGINT')
    const result = await run.exit
    expect(result.code).toBe(130)
    const said = lines(result.stderr)
    expect(said[0]).toBe(`tidings: connecting to ${url}`)
    const again = (n: number) =>
      new RegExp(
        `^tidings: Nothing is listening at 127\\.0\\.0\\.1:${port}\\. Is the server running\\? ` +
          `Tidings tries again in \\d+(\\.\\d)? s \\(retry ${n}\\)\\.$`,
      )
    // One line per try: no "connecting" again, no raw error, nothing else between the tries.
    const tries = said.slice(1, -1)
    expect(tries.length).toBeGreaterThanOrEqual(2)
    tries.forEach((line, i) => expect(line).toMatch(again(i + 1)))
    expect(said.at(-1)).toBe('tidings: stopped: interrupted')
    expect(result.stderr).not.toMatch(/ECONNREFUSED/)
  })

  it('an HTTP 500: "the server has a problem", tried again', async () => {
    const { url, requests } = await serve((_req, res) => res.writeHead(500).end('boom'))
    const run = runCli(['tail', url])
    await run.until(({ stderr }) => problemLines(stderr).length >= 2)
    run.child.kill('SIGINT')
    const result = await run.exit
    expect(result.code).toBe(130)
    expect(problemLines(result.stderr).slice(0, 2)).toEqual([
      expect.stringMatching(
        /^tidings: HTTP 500: the server has a problem\. Tidings tries again in .+ s \(retry 1\)\.$/,
      ),
      expect.stringMatching(
        /^tidings: HTTP 500: the server has a problem\. Tidings tries again in .+ s \(retry 2\)\.$/,
      ),
    ])
    expect(requests.length).toBeGreaterThanOrEqual(2)
  })

  it('--verbose adds the technical detail to the same line', async () => {
    const { url, port } = await refusedUrl()
    const run = runCli(['tail', url, '--verbose'])
    await run.until(({ stderr }) => problemLines(stderr).length >= 1)
    run.child.kill('SIGINT')
    const result = await run.exit
    expect(problemLines(result.stderr)[0]).toMatch(
      new RegExp(`\\(retry 1\\)\\. \\[connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\]$`),
    )
  })

  it('--retry N gives up after N retries in a row, with exit 1', async () => {
    const { url } = await refusedUrl()
    const result = await runCli(['tail', url, '--retry', '1']).exit
    expect(result.code).toBe(1)
    expect(problemLines(result.stderr)).toEqual([
      expect.stringMatching(
        /Is the server running\? Tidings tries again in .+ \(retry 1 of 1\)\.$/,
      ),
      expect.stringMatching(
        /^tidings: failed after 2 tries: Nothing is listening at .+ Is the server running\?$/,
      ),
    ])
  })

  it('--retry 0 gives up at the first failure of any kind', async () => {
    const { url } = await refusedUrl()
    const result = await runCli(['tail', url, '--retry=0']).exit
    expect(result.code).toBe(1)
    expect(problemLines(result.stderr)).toEqual([
      expect.stringMatching(
        /^tidings: failed: Nothing is listening at 127\.0\.0\.1:\d+\. Is the server running\?$/,
      ),
    ])
  })
})

describe('failures that will not mend: exit 1 after the first try', () => {
  it('an unknown host, saying how to keep trying', async () => {
    const result = await runCli(['tail', 'http://no-such-host.invalid/events']).exit
    expect(result.code).toBe(1)
    expect(lines(result.stderr)).toEqual([
      'tidings: connecting to http://no-such-host.invalid/events',
      'tidings: failed: Cannot find host no-such-host.invalid. Check the address for typos, and that this computer is online. Run with --retry to keep trying.',
    ])
  })

  it('an HTTP 404, in plain words, after one request', async () => {
    const { url, requests } = await serve((_req, res) => res.writeHead(404).end('nope'))
    const result = await runCli(['tail', url]).exit
    expect(result.code).toBe(1)
    expect(problemLines(result.stderr)).toEqual([
      'tidings: failed: HTTP 404: no event stream at this address. Check the URL. Run with --retry to keep trying.',
    ])
    expect(requests).toHaveLength(1)
    expect(result.stdout).toBe('')
  })

  it('an HTTP 401 with the server’s own words', async () => {
    const { url } = await serve((_req, res) =>
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"token expired"}'),
    )
    const result = await runCli(['tail', url]).exit
    expect(result.code).toBe(1)
    expect(problemLines(result.stderr)).toEqual([
      'tidings: failed: HTTP 401: the server wants you to sign in: “token expired” Check the feed’s token or password in Settings.',
    ])
  })

  it('--retry keeps trying a 404 (a stream still to be made) until it is there', async () => {
    const { url, requests } = await serve((_req, res, index) => {
      if (index < 3) return res.writeHead(404).end()
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end('id: 1\ndata: here now\n\n')
    })
    const result = await runCli(['tail', url, '--retry', '--until-end']).exit
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/ {2}message {2}#1 {2}here now\n$/)
    expect(problemLines(result.stderr)).toEqual([
      expect.stringMatching(
        /^tidings: HTTP 404: no event stream at this address\. Check the URL\. Tidings tries again in .+ \(retry 1\)\.$/,
      ),
      expect.stringMatching(/\(retry 2\)\.$/),
      'tidings: connected',
    ])
    expect(requests).toHaveLength(3)
  })

  it('--retry N on a 404: N more requests, then exit 1', async () => {
    const { url, requests } = await serve((_req, res) => res.writeHead(404).end())
    const result = await runCli(['tail', url, '--retry', '1', '--json']).exit
    expect(result.code).toBe(1)
    expect(requests).toHaveLength(2)
    expect(jsonLines(result.stderr).map((line) => line['state'])).toEqual([
      'connecting',
      'reconnecting',
      'connecting',
      'failed',
    ])
  })

  it('--json: the failed state with its facts, plain words and the time as the export writes it', async () => {
    const result = await runCli(['tail', 'http://no-such-host.invalid/events', '--json']).exit
    expect(result.code).toBe(1)
    const states = jsonLines(result.stderr)
    expect(states.map((line) => line['state'])).toEqual(['connecting', 'failed'])
    expect(states[1]).toMatchObject({
      reason: expect.stringContaining('ENOTFOUND'),
      facts: { kind: 'network', code: 'ENOTFOUND' },
      message:
        'Cannot find host no-such-host.invalid. Check the address for typos, and that this computer is online.',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    })
  })
})
