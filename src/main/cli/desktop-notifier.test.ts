import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDesktopNotifier, findExecutable } from './desktop-notifier.ts'
import type { NotifierCommand } from './desktop-notifier.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidings-notifier-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function executable(name: string, mode = 0o755): string {
  const bin = join(dir, 'bin')
  mkdirSync(bin, { recursive: true })
  const file = join(bin, name)
  writeFileSync(file, '#!/bin/sh\n')
  chmodSync(file, mode)
  return file
}

function recorder() {
  const commands: NotifierCommand[] = []
  const releases: (() => void)[] = []
  const run = (command: NotifierCommand) =>
    new Promise<void>((resolve) => {
      commands.push(command)
      releases.push(resolve)
    })
  const releaseAll = async () => {
    while (releases.length) {
      releases.shift()!()
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  return { commands, run, releaseAll }
}

const hostile = { title: '"; do shell script "rm -rf ~" --', body: '<a href="x">&</a>' }

describe('desktop notifier', () => {
  it('uses notify-send from PATH on Linux, text as separate arguments, body escaped for markup', async () => {
    const file = executable('notify-send')
    const rec = recorder()
    const notifier = createDesktopNotifier({
      platform: 'linux',
      env: { PATH: `/nonexistent:${join(dir, 'bin')}` },
      warn: () => {},
      run: rec.run,
    })
    expect(notifier.unavailable).toBeNull()
    notifier.notify(hostile)
    const flushed = notifier.flush()
    await rec.releaseAll()
    await flushed
    expect(rec.commands).toEqual([
      {
        file,
        args: ['--app-name=Tidings', '--', hostile.title, '&lt;a href="x"&gt;&amp;&lt;/a&gt;'],
      },
    ])
  })

  it('explains what to install when notify-send is missing or not executable', () => {
    executable('notify-send', 0o644)
    const notifier = createDesktopNotifier({
      platform: 'linux',
      env: { PATH: join(dir, 'bin') },
      warn: () => {},
    })
    expect(notifier.unavailable).toMatch(
      /notify-send, which was not found on PATH \(install libnotify-bin/,
    )
    expect(findExecutable('notify-send', { PATH: join(dir, 'bin') })).toBeUndefined()
  })

  it('passes the text to osascript as argv, never as AppleScript source', async () => {
    const rec = recorder()
    const notifier = createDesktopNotifier({
      platform: 'darwin',
      env: { PATH: '' },
      warn: () => {},
      run: rec.run,
    })
    notifier.notify(hostile)
    await rec.releaseAll()
    const [command] = rec.commands
    expect(command?.file).toBe('/usr/bin/osascript')
    expect(command?.args.slice(-2)).toEqual([hostile.title, hostile.body])
    const script = command?.args.slice(0, -2).join(' ')
    expect(script).toContain('display notification (item 2 of argv) with title (item 1 of argv)')
    expect(script).not.toContain('rm -rf')
  })

  it('shows a PowerShell toast on Windows with the text in environment variables', async () => {
    const file = executable('powershell.exe')
    const rec = recorder()
    const notifier = createDesktopNotifier({
      platform: 'win32',
      env: { PATH: join(dir, 'bin') },
      warn: () => {},
      run: rec.run,
    })
    notifier.notify(hostile)
    await rec.releaseAll()
    const [command] = rec.commands
    expect(command?.file).toBe(file)
    expect(command?.env).toEqual({ TIDINGS_TITLE: hostile.title, TIDINGS_BODY: hostile.body })
    expect(command?.args.join(' ')).toContain('CreateTextNode($env:TIDINGS_TITLE)')
    expect(command?.args.join(' ')).not.toContain('rm -rf')
  })

  it('runs one notifier at a time, in order, and summarises what overflows the queue', async () => {
    executable('notify-send')
    const rec = recorder()
    const notifier = createDesktopNotifier({
      platform: 'linux',
      env: { PATH: join(dir, 'bin') },
      warn: () => {},
      run: rec.run,
      maxQueued: 3,
    })
    for (let i = 1; i <= 7; i++) notifier.notify({ title: `n${i}`, body: '' })
    expect(rec.commands).toHaveLength(1) // the rest wait their turn
    const flushed = notifier.flush()
    await rec.releaseAll()
    await flushed
    expect(rec.commands.map((c) => c.args.slice(2))).toEqual([
      ['n1', ''],
      ['n2', ''],
      ['n3', ''],
      ['n4', ''],
      ['Tidings', '3 more notifications'],
    ])
  })

  it('warns once when the notifier fails, and keeps going', async () => {
    executable('notify-send')
    const warnings: string[] = []
    let runs = 0
    const notifier = createDesktopNotifier({
      platform: 'linux',
      env: { PATH: join(dir, 'bin') },
      warn: (message) => warnings.push(message),
      run: async () => {
        runs += 1
        throw new Error('no daemon')
      },
    })
    notifier.notify({ title: 'a', body: '' })
    notifier.notify({ title: 'b', body: '' })
    await notifier.flush()
    expect(runs).toBe(2)
    expect(warnings).toEqual(['tidings: the desktop notifier failed: no daemon'])
  })

  it('tells what became of each notification: shown, failed, summarised, or unsupported', async () => {
    executable('notify-send')
    const env = { PATH: join(dir, 'bin') }
    let fail = false
    const notifier = createDesktopNotifier({
      platform: 'linux',
      env,
      warn: () => {},
      maxQueued: 1,
      run: async () => {
        if (fail) throw new Error('notify-send: cannot reach the notification daemon')
      },
    })
    expect(await notifier.notify({ title: 'a', body: '' })).toEqual({ kind: 'shown' })
    fail = true
    expect(await notifier.notify({ title: 'b', body: '' })).toEqual({
      kind: 'failed',
      error: 'notify-send: cannot reach the notification daemon',
    })
    fail = false
    // Three at once with room for one: the others go out as one summary, never confirmed singly.
    const outcomes = await Promise.all([
      notifier.notify({ title: 'c', body: '' }),
      notifier.notify({ title: 'd', body: '' }),
      notifier.notify({ title: 'e', body: '' }),
    ])
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(
      ['shown', 'shown', 'unconfirmed'].sort(),
    )
    const none = createDesktopNotifier({ platform: 'linux', env: { PATH: '' }, warn: () => {} })
    expect(await none.notify({ title: 'f', body: '' })).toEqual({ kind: 'unsupported' })
  })
})
