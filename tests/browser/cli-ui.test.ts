// `tidings ui` as a person runs it: the real process (node src/main/cli.ts ui), its first stdout
// line opened in Chromium, loopback feeds given with --feed, a fake notify-send on PATH that
// records what the OS notifier is asked to show, Ctrl-C (SIGINT), and a second run that resumes.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { cleanEnv, killLeftoverClis, runCli, type CliRun } from '../node/cli-harness.ts'
import { serialize } from '../../src/main/store/settings-file.ts'
import { storedSettingsSchema } from '../../src/main/store/settings-schema.ts'
import { hasChromium, launchChromium, skipReason } from './support/chromium.ts'
import { frame, startSseServer, type SseServer } from './support/sse-server.ts'

const URL_LINE = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=[\w-]{20,}\n/

let dir: string
let browser: Browser
let sse: SseServer
let env: Record<string, string>
let calls: () => string[][]

afterEach(killLeftoverClis)

if (!hasChromium) console.warn(`browser tests skipped: ${skipReason}`)

/** A notify-send that appends its argv (unit-separated, record-separated) to a log. */
function fakeNotifySend(): void {
  const bin = join(dir, 'bin')
  const log = join(dir, 'notify.log')
  mkdirSync(bin)
  const script = join(bin, 'notify-send')
  writeFileSync(
    script,
    `#!/bin/sh\n{ for a in "$@"; do printf '%s\\037' "$a"; done; printf '\\036'; } >> '${log}'\n`,
  )
  chmodSync(script, 0o755)
  env = cleanEnv({
    PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    TIDINGS_RENDERER_DIR: inject('rendererDir'),
  })
  delete env['DBUS_SESSION_BUS_ADDRESS']
  calls = () => {
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
  }
}

async function started(run: CliRun): Promise<string> {
  await run.until(({ stdout, stderr }) => URL_LINE.test(stdout) && stderr.includes('Ctrl-C'))
  return URL_LINE.exec(run.stdout)![0].trim()
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe.skipIf(!hasChromium)('tidings ui, the command', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidings-cli-ui-'))
    fakeNotifySend()
    ;[browser, sse] = await Promise.all([launchChromium(), startSseServer()])
  })
  afterAll(async () => {
    await browser?.close()
    await sse?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('--feed: events reach the page and the OS notifier; saved feeds untouched; Ctrl-C keeps resume ids; the next run resumes', async () => {
    const data = join(dir, 'data')
    mkdirSync(data)
    // What the user saved: a feed that must not be connected while --feed runs.
    const saved = serialize(
      storedSettingsSchema.parse({
        feeds: [{ id: 'saved', name: 'Saved', url: sse.url('/saved') }],
      }),
    )
    writeFileSync(join(data, 'settings.json'), saved)
    const args = ['ui', '--no-open', '--port', '0', '--data-dir', data]
    const run = runCli([...args, '--feed', sse.url('/jobs')], { env })
    const url = await started(run)
    // The address is the first line, alone; the rest went to stderr.
    expect(run.stdout).toBe(`${url}\n`)
    expect(run.stderr).toContain('running 1 feed(s) from --feed')
    await sse.waitForClients('/jobs')

    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(url)
    // Signed in and moved to an address without the token.
    expect(page.url()).toBe(url.replace(/\?token=.*$/, ''))
    await page.getByRole('tab', { name: 'Log' }).waitFor()
    sse.send(
      '/jobs',
      frame({ id: 'j-1', event: 'task.started', data: '{"taskId":"b7","title":"Build 7"}' }),
    )
    sse.send(
      '/jobs',
      frame({
        id: 'j-2',
        event: 'task.failed',
        data: '{"taskId":"b7","title":"Build 7","error":"3 tests failed"}',
      }),
    )
    const rows = page.getByRole('list', { name: 'Events' }).getByRole('listitem')
    await page.getByText('3 tests failed').first().waitFor()
    expect(await rows.count()).toBe(2)
    await until(() => calls().length > 0, 'the desktop notification')
    expect(calls()[0]).toEqual([
      '--app-name=Tidings',
      '--',
      expect.stringMatching(/^Build 7 failed/),
      '3 tests failed',
    ])
    // Settings change this run only, and the page says so (not "Settings saved.").
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByLabel('Name', { exact: true }).fill('Jobs today')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Applied until Tidings quits, not saved').waitFor()
    expect(await page.getByText('Settings saved.').count()).toBe(0)
    await context.close()

    run.child.kill('SIGINT')
    const result = await run.exit
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('stopped; history and resume ids are saved.')
    const state = JSON.parse(readFileSync(join(data, 'state.json'), 'utf8')) as {
      lastEventIds: Record<string, string>
    }
    expect(Object.values(state.lastEventIds)).toEqual(['j-2'])
    expect(readFileSync(join(data, 'settings.json'), 'utf8')).toBe(saved)
    expect(sse.requests.some((request) => request.path === '/saved')).toBe(false)

    // Run again: the feed resumes from the id the first run kept.
    const before = sse.requests.length
    const second = runCli([...args, '--feed', sse.url('/jobs')], { env })
    await started(second)
    await sse.waitForRequests('/jobs', sse.requests.filter((r) => r.path === '/jobs').length + 1)
    expect(sse.requests.slice(before).find((r) => r.path === '/jobs')?.lastEventId).toBe('j-2')
    second.child.kill('SIGINT')
    expect((await second.exit).code).toBe(0)
  })

  it('exits 1 with a clear message when the port is taken or the data folder is in use, 2 for bad arguments', async () => {
    const data = join(dir, 'busy')
    const first = runCli(['ui', '--no-open', '--port', '0', '--data-dir', data], { env })
    const url = await started(first)
    const port = URL_LINE.exec(`${url}\n`)![1]!

    const taken = await runCli(
      ['ui', '--no-open', '--port', port, '--data-dir', join(dir, 'other')],
      { env },
    ).exit
    expect(taken.code).toBe(1)
    expect(taken.stdout).toBe('')
    expect(taken.stderr).toContain(
      `tidings: port ${port} on 127.0.0.1 is in use (another tidings ui?); choose another with --port (0 picks a free one).`,
    )

    const locked = await runCli(['ui', '--no-open', '--port', '0', '--data-dir', data], { env })
      .exit
    expect(locked.code).toBe(1)
    expect(locked.stderr).toContain(
      `tidings: Another Tidings (tidings ui, process ${first.child.pid}) is using the data folder ${data}.`,
    )

    const bad = await runCli(['ui', '--port', 'high'], { env }).exit
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe(
      'tidings: --port must be a whole number, not "high".\nRun \'tidings ui --help\' for usage.\n',
    )

    first.child.kill('SIGINT')
    expect((await first.exit).code).toBe(0)
  })
})
