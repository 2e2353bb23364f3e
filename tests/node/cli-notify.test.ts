// `tidings tail --notify` with a fake notify-send on PATH that records its arguments.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  SSE_HEADERS,
  cleanEnv,
  jsonLines,
  runCli,
  startServer,
  killLeftoverClis,
} from './cli-harness.ts'
import type { Handler, TestServer } from './cli-harness.ts'

afterEach(killLeftoverClis)

let dir: string
let server: TestServer | undefined
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidings-notify-'))
})
afterEach(async () => {
  await server?.close()
  server = undefined
  rmSync(dir, { recursive: true, force: true })
})

async function serve(handler: Handler): Promise<TestServer> {
  server = await startServer(handler)
  return server
}

/** Installs a notify-send that appends its argv (unit-separated, record-separated) to a log. */
function installFakeNotifySend(exitCode = 0): {
  env: Record<string, string>
  calls: () => string[][]
} {
  const bin = join(dir, 'bin')
  const log = join(dir, 'calls.log')
  mkdirSync(bin)
  const script = join(bin, 'notify-send')
  writeFileSync(
    script,
    `#!/bin/sh\n{ for a in "$@"; do printf '%s\\037' "$a"; done; printf '\\036'; } >> '${log}'\n` +
      (exitCode ? `echo 'cannot reach the notification daemon' >&2\nexit ${exitCode}\n` : ''),
  )
  chmodSync(script, 0o755)
  return {
    env: cleanEnv({ PATH: `${bin}:/usr/bin:/bin` }),
    calls: () => {
      let text: string
      try {
        text = readFileSync(log, 'utf8')
      } catch {
        return []
      }
      return text
        .split('\u001e')
        .filter(Boolean)
        .map((record) => record.split('\u001f').slice(0, -1))
    },
  }
}

describe('tidings tail --notify', () => {
  it('raises one desktop notification per notifying event, as plain arguments', async () => {
    const fake = installFakeNotifySend()
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end(
        'id: 1\nevent: task.progress\ndata: {"task":"Export","progress":0.5}\n\n' +
          'id: 2\nevent: news\ndata: {"title":"-rf <b>bold</b>","url":"https://example.com/n","body":"a & b"}\n\n' +
          'id: 3\nevent: task.done\ndata: {"task":"Export","status":"done"}\n\n',
      )
    })
    const result = await runCli(['tail', url, '--until-end', '--notify', '--json'], {
      env: fake.env,
    }).exit
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout)).toHaveLength(3)
    // A completed task already told the outcome, so the finish adds nothing.
    expect(fake.calls()).toEqual([
      ['--app-name=Tidings', '--', '-rf <b>bold</b>', 'a &amp; b\nhttps://example.com/n'],
      ['--app-name=Tidings', '--', 'Export completed', ''],
    ])
  })

  it('notifies the finish of a one-shot stream with its last title, or how long it ran', async () => {
    const fake = installFakeNotifySend()
    const { url, port } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end('data: {"title":"Step 3 of 3"}\n\n')
    })
    const result = await runCli(['tail', url, '--until-end', '--notify'], { env: fake.env }).exit
    expect(result.code).toBe(0)
    expect(fake.calls()).toEqual([
      ['--app-name=Tidings', '--', `127.0.0.1:${port}/events finished`, 'Step 3 of 3'],
    ])
  })

  it('notifies the finish with how long it ran and how many events, when none had a title', async () => {
    const fake = installFakeNotifySend()
    const { url, port } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end('data: token\n\ndata: token\n\n')
    })
    const result = await runCli(['tail', url, '--until-end', '--notify'], { env: fake.env }).exit
    expect(result.code).toBe(0)
    expect(fake.calls()).toEqual([
      [
        '--app-name=Tidings',
        '--',
        `127.0.0.1:${port}/events finished`,
        expect.stringMatching(/^Ran for .+, 2 events\.$/),
      ],
    ])
  })

  it('notifies a failed feed in plain words, then exits 1', async () => {
    const fake = installFakeNotifySend()
    const { url, port } = await serve((_req, res) => res.writeHead(401).end())
    const result = await runCli(['tail', url, '--notify'], { env: fake.env }).exit
    expect(result.code).toBe(1)
    expect(fake.calls()).toEqual([
      [
        '--app-name=Tidings',
        '--',
        `127.0.0.1:${port}/events failed`,
        'HTTP 401: the server wants you to sign in.',
      ],
    ])
  })

  it('says clearly when no notifier is available, and still prints every event', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end('event: task.done\ndata: {"task":"A"}\n\n')
    })
    const env = cleanEnv({ PATH: join(dir, 'empty') })
    const result = await runCli(['tail', url, '--until-end', '--notify', '--json'], { env }).exit
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/--notify needs notify-send, which was not found on PATH/)
    expect(jsonLines(result.stdout)).toHaveLength(1)
  })

  it('reports a failing notifier once and carries on', async () => {
    const fake = installFakeNotifySend(1)
    const { url } = await serve((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.end('event: task.done\ndata: {"task":"A"}\n\nevent: task.failed\ndata: {"task":"B"}\n\n')
    })
    const result = await runCli(['tail', url, '--until-end', '--notify'], { env: fake.env }).exit
    expect(result.code).toBe(0)
    expect(fake.calls()).toHaveLength(2)
    expect(result.stderr.match(/desktop notifier failed/g)).toHaveLength(1)
    expect(result.stderr).toMatch(/cannot reach the notification daemon/)
  })
})
