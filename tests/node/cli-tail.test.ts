// `tidings tail` run for real (`node src/main/cli.ts`) against loopback servers writing exact bytes.
import { afterEach, describe, expect, it } from 'vitest'
import { decide } from '../../src/main/notify/index.ts'
import { SSE_HEADERS, jsonLines, runCli, startServer, killLeftoverClis } from './cli-harness.ts'
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

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

const NEWS = JSON.stringify({
  title: 'Release 2.0',
  url: 'https://example.com/r2',
  body: 'Out now',
})

describe('tidings tail --json', () => {
  it('prints exactly one JSON object per event, one a line, with the notification decision', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end(
        'id: 1\nevent: build.completed\ndata: {"job":"Build #7"}\n\n' +
          ': a comment\n\n' +
          'data: line one\ndata: line two\n\n' +
          `id: é-3\nevent: news\ndata: ${NEWS}\n\n`,
      )
    })
    const result = await runCli(['tail', url, '--json', '--until-end']).exit
    expect(result.code).toBe(0)
    expect(result.stdout.endsWith('\n')).toBe(true)
    const lines = jsonLines(result.stdout)
    expect(lines.map((line) => Object.keys(line))).toEqual(
      Array(3).fill(['type', 'data', 'id', 'receivedAt', 'notification']),
    )
    expect(lines.map(({ receivedAt: _, ...rest }) => rest)).toEqual([
      {
        type: 'build.completed',
        data: '{"job":"Build #7"}',
        id: '1',
        notification: decide({ type: 'build.completed', data: '{"job":"Build #7"}' }),
      },
      { type: 'message', data: 'line one\nline two', id: '1', notification: null },
      { type: 'news', data: NEWS, id: 'é-3', notification: decide({ type: 'news', data: NEWS }) },
    ])
    expect(lines[0]?.['notification']).toMatchObject({ kind: 'task-completed' })
    // Times as the window's JSONL export writes them (ISO 8601, UTC, milliseconds).
    for (const line of [...lines, ...jsonLines(result.stderr)])
      expect(line['receivedAt'] ?? line['at']).toMatch(ISO_TIME)
    expect(jsonLines(result.stderr).map((line) => line['state'])).toEqual([
      'connecting',
      'open',
      'stopped',
    ])
    expect(jsonLines(result.stderr).at(-1)).toMatchObject({ reason: 'finished' })
  })

  it('exits 0 after exactly --max-events lines, though the server sends more and stays open', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write(Array.from({ length: 5 }, (_, i) => `id: ${i + 1}\ndata: ${i + 1}\n\n`).join(''))
    })
    const result = await runCli(['tail', url, '--json', '--max-events', '2']).exit
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout).map((line) => line['data'])).toEqual(['1', '2'])
  })

  it('sends -H headers and --last-event-id with the request', async () => {
    const { url, request } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end('data: x\n\n')
    })
    const result = await runCli([
      'tail',
      url,
      '--until-end',
      '-H',
      'Authorization: Bearer abc',
      '--header',
      'X-Team:  blue ',
      '--last-event-id',
      '41',
    ]).exit
    expect(result.code).toBe(0)
    const { headers } = await request(1)
    expect(headers['authorization']).toBe('Bearer abc')
    expect(headers['x-team']).toBe('blue')
    expect(headers['last-event-id']).toBe('41')
    expect(headers['accept']).toBe('text/event-stream')
  })
})

describe('tidings tail exit codes', () => {
  it('exits 0 when the server answers 204', async () => {
    const { url } = await serve((_req, res) => res.writeHead(204).end())
    const result = await runCli(['tail', url]).exit
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/stopped: HTTP 204/)
  })

  it('exits 1 with the reason on 404', async () => {
    const { url } = await serve((_req, res) => res.writeHead(404).end('nope'))
    const result = await runCli(['tail', url]).exit
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/failed: HTTP 404: no event stream at this address\./)
    expect(result.stdout).toBe('')
  })

  it('exits 1 with the reason when the response is not an event stream', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hi</h1>')
    })
    const result = await runCli(['tail', url, '--json']).exit
    expect(result.code).toBe(1)
    expect(jsonLines(result.stderr).at(-1)).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('Content-Type "text/html"'),
    })
  })

  it.each([
    [['tail', 'not a url'], /not contain spaces/],
    [['tail', 'ftp://127.0.0.1/x'], /Only http and https URLs are supported, not ftp:/],
    [['tail', 'javascript:alert(1)'], /Only http and https URLs are supported, not javascript:/],
    [['tail', 'http://127.0.0.1:1/x', '-H', 'X-A: b\r\nX-Injected: 1'], /line breaks/],
    [['tail', 'http://127.0.0.1:1/x', '-H', 'no colon'], /must look like "Name: value"/],
    [['tail', 'http://127.0.0.1:1/x', '--last-event-id', 'a\nb'], /--last-event-id/],
    [['tail', 'http://127.0.0.1:1/x', '--max-events', '0'], /--max-events must be between 1/],
    [['tail', 'http://127.0.0.1:1/x', '--idle-timeout', 'soon'], /--idle-timeout must be/],
    [['tail', 'http://127.0.0.1:1/x', '--bogus'], /unknown option --bogus/],
    [['tail'], /needs the URL/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['tial', 'http://127.0.0.1:1/x'], /unknown command "tial"; did you mean `tail`\?/],
    [['tail', 'http://127.0.0.1:1/x', '--untill-end'], /did you mean `--until-end`\?/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const result = await runCli(args).exit
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).toMatch(/--help' for usage/)
    expect(result.stdout).toBe('')
  })

  it('sends no request at all for bad arguments', async () => {
    const { url, requests } = await serve((_req, res) => res.writeHead(204).end())
    const result = await runCli(['tail', url, '-H', 'Host: evil']).exit
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/about the connection, not the request/)
    expect(requests).toHaveLength(0)
  })
})

describe('tidings tail --until-end', () => {
  it('flushes every event of a big stream to a slow pipe, in order, before exiting 0', async () => {
    const count = 20_000
    const payload = 'x'.repeat(100)
    let sent!: () => void
    const allSent = new Promise<void>((resolve) => (sent = resolve))
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      let body = ''
      for (let i = 1; i <= count; i++) body += `id: ${i}\ndata: ${i} ${payload}\n\n`
      res.end(body, () => sent())
    })
    const run = runCli(['tail', url, '--json', '--until-end'])
    run.child.stdout.pause() // nobody reads: the pipe fills up and the CLI must wait, not drop
    await allSent
    run.child.stdout.resume()
    const result = await run.exit
    expect(result.code).toBe(0)
    const lines = jsonLines(result.stdout)
    expect(lines).toHaveLength(count)
    expect(lines.every((line, i) => line['id'] === String(i + 1))).toBe(true)
    expect(lines.at(-1)?.['data']).toBe(`${count} ${payload}`)
  })

  it('drops an event cut off by the end of the stream and exits 0 with the complete ones', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end('id: 1\ndata: whole\n\nid: 2\ndata: cut off mid-ev')
    })
    const result = await runCli(['tail', url, '--json', '--until-end']).exit
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout).map((line) => line['data'])).toEqual(['whole'])
  })

  it('reconnects with Last-Event-ID after a break and exits 0 at the clean end', async () => {
    const { url, request } = await serve((_req, res, index) => {
      res.writeHead(200, SSE_HEADERS)
      if (index === 1) {
        res.write('retry: 10\nid: 1\ndata: first\n\n', () => res.destroy())
      } else {
        res.end('id: 2\ndata: second\n\n')
      }
    })
    const result = await runCli(['tail', url, '--json', '--until-end']).exit
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout).map((line) => line['data'])).toEqual(['first', 'second'])
    expect((await request(2)).headers['last-event-id']).toBe('1')
    expect(jsonLines(result.stderr).map((line) => line['state'])).toEqual([
      'connecting',
      'open',
      'reconnecting',
      'connecting',
      'open',
      'stopped',
    ])
  })

  it('without --until-end, a clean end means reconnect, not exit', async () => {
    const { url, request } = await serve((_req, res, index) => {
      res.writeHead(200, SSE_HEADERS)
      res.end(`retry: 10\nid: ${index}\ndata: round ${index}\n\n`)
    })
    const run = runCli(['tail', url, '--json', '--max-events', '2'])
    const result = await run.exit
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout).map((line) => line['data'])).toEqual(['round 1', 'round 2'])
    expect((await request(2)).headers['last-event-id']).toBe('1')
  })
})

describe('tidings tail --idle-timeout', () => {
  it('reconnects with Last-Event-ID when the server goes quiet for longer', async () => {
    const { url, request } = await serve((_req, res, index) => {
      res.writeHead(200, SSE_HEADERS)
      res.write(`retry: 10\nid: ${index}\ndata: then silence\n\n`)
    })
    const run = runCli(['tail', url, '--json', '--idle-timeout', '0.2', '--max-events', '2'])
    const result = await run.exit
    expect(result.code).toBe(0)
    expect(jsonLines(result.stderr).find((line) => line['state'] === 'reconnecting')).toMatchObject(
      {
        reason: expect.stringMatching(/^no data for (200 ms|0\.2 s)$/),
      },
    )
    expect((await request(2)).headers['last-event-id']).toBe('1')
  })
})

describe('tidings --help and --version', () => {
  it('prints usage and the version on stdout with exit 0', async () => {
    const help = await runCli(['--help']).exit
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('tidings tail <url> [options]')
    const tailHelp = await runCli(['tail', '--help']).exit
    expect(tailHelp.code).toBe(0)
    expect(tailHelp.stdout).toContain('--until-end')
    const version = await runCli(['--version']).exit
    expect(version.stdout).toMatch(/^tidings \d+\.\d+\.\d+\n$/)
  })
})

describe('tidings tail, interrupted', () => {
  it('closes the connection cleanly on Ctrl-C (SIGINT) and exits 130', async () => {
    const { url, request } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write('id: 1\ndata: hello\n\n')
    })
    const run = runCli(['tail', url])
    await run.until(({ stdout }) => stdout.includes('hello'))
    run.child.kill('SIGINT')
    const result = await run.exit
    expect(result.code).toBe(130)
    expect(result.stderr).toMatch(/stopped: interrupted\n$/)
    expect(result.stderr).not.toMatch(/Error|at /)
    await (
      await request(1)
    ).closed
  })

  it('stops the same way on SIGTERM, with exit code 143 and everything printed', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write('id: 1\ndata: one\n\nid: 2\ndata: two\n\n')
    })
    const run = runCli(['tail', url, '--json'])
    await run.until(({ stdout }) => stdout.split('\n').length > 2)
    run.child.kill('SIGTERM')
    const result = await run.exit
    expect(result.code).toBe(143)
    expect(jsonLines(result.stdout).map((line) => line['id'])).toEqual(['1', '2'])
    expect(jsonLines(result.stderr).at(-1)).toMatchObject({
      state: 'stopped',
      reason: 'interrupted',
    })
  })

  it('exits quietly with 0 when the reader of its stdout goes away (| head -1)', async () => {
    let more!: () => void
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write('id: 1\ndata: first\n\n')
      more = () => res.write('id: 2\ndata: second\n\nid: 3\ndata: third\n\n')
    })
    const run = runCli(['tail', url])
    await run.until(({ stdout }) => stdout.includes('first'))
    run.child.stdout.destroy()
    more()
    const result = await run.exit
    expect(result.code).toBe(0)
    expect(result.stderr).not.toMatch(/EPIPE|Error/)
  })
})

describe('tidings tail, readable output', () => {
  it('prints one line per event: time, type, id, what it notifies as, the summary the Log shows', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end(
        'id: 8\nevent: task.progress\ndata: {"task":"Build #41","status":"running","progress":0.6}\n\n' +
          'id: 9\nevent: deploy.failed\ndata: {"task":"Deploy api","error":"boom"}\n\n' +
          'data: two\ndata: lines\n\n',
      )
    })
    const result = await runCli(['tail', url, '--until-end']).exit
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d {2}task\.progress {2}#8 {2}Build #41 · running · 60%$/,
    )
    expect(lines[1]).toMatch(
      /^\d\d:\d\d:\d\d {2}deploy\.failed {2}#9 {2}failed {2}Deploy api failed — boom$/,
    )
    expect(lines[2]).toMatch(/^\d\d:\d\d:\d\d {2}message {2}#9 {2}two lines$/)
    expect(result.stderr).toMatch(/^tidings: connecting to http:\/\/127\.0\.0\.1:\d+\/events\n/)
    expect(result.stderr).toMatch(/tidings: stopped: finished\n$/)
  })

  it('--raw prints each event’s data as sent, byte for byte to a pipe', async () => {
    const data = ['{"task":"Build #41",', '"progress":0.6}\u001b[2J\tend']
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end(`id: 1\ndata: ${data[0]}\ndata: ${data[1]}\n\nid: 2\ndata: plain\n\n`)
    })
    const result = await runCli(['tail', url, '--until-end', '--raw']).exit
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${data.join('\n')}\nplain\n`)
  })

  it('shows control characters in feed data as escapes, so the terminal is not hijacked', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end('event: x\u001b]0;pwned\u0007\ndata: \u001b[2J\u009bclear\u202eevil\n\n')
    })
    const result = await runCli(['tail', url, '--until-end']).exit
    expect(result.code).toBe(0)
    // eslint-disable-next-line no-control-regex -- asserting their absence is the point
    expect(result.stdout).not.toMatch(/[\u001b\u0007\u009b\u202e]/)
    expect(result.stdout).toContain('x\\u001b]0;pwned\\u0007  -  \\u001b[2J\\u009bclear\\u202eevil')
  })
})
