// Hostile event content, one row each, through the app's pipeline (engine, core, notification
// policy, Notifier with Electron faked, the push to the window, the history on disk): deeply
// nested JSON, a fan-out "billion laughs" document, HTML and script in every text field,
// terminal escapes and bidi tricks, prototype-pollution keys. Each is delivered intact as text,
// any notification is plain bounded text with no link but http(s), and the feed stays open.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseHistory } from '../../src/main/store/history.ts'
import { eventHumanLine, eventJsonLine } from '../../src/main/cli/format.ts'
import { fake } from '../setup/electron.ts'
import { startChaosApp, type ChaosApp } from '../support/chaos-pipeline.ts'
import { openStream, startSseServer, type SseServer } from '../support/sse-server.ts'

// eslint-disable-next-line no-control-regex -- a notification must carry no control characters
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/
const SCRIPT = '<script>alert(document.cookie)</script>'
const IMG = '<img src=x onerror=alert(1)>'

interface Row {
  label: string
  type: string
  id: string
  data: string
  feedName?: string
  /** The notification's title, when the event deserves one. */
  title: string | null
}

const laughs = JSON.stringify({
  title: 'lol',
  status: 'done',
  lol: Array.from({ length: 10 }, () =>
    Array.from({ length: 10 }, () => Array.from({ length: 10 }, () => 'lol'.repeat(80))),
  ),
  ...Object.fromEntries(
    Array.from({ length: 5_000 }, (_, i) => [`lol${i}`, { title: 'lol', url: 'javascript:lol' }]),
  ),
})

const rows: Row[] = [
  {
    label: 'arrays nested 200,000 deep',
    type: 'build.completed',
    id: 'deep-1',
    data: `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
    title: 'Build completed',
  },
  {
    label: 'objects nested 100,000 deep',
    type: 'message',
    id: 'deep-2',
    data: `${'{"title":"x","a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
    title: null,
  },
  {
    label: 'a "billion laughs" fan-out document',
    type: 'deploy.completed',
    id: 'laughs',
    data: laughs,
    title: 'lol completed',
  },
  {
    label: 'HTML and script in every text field',
    type: SCRIPT,
    id: IMG,
    data: JSON.stringify({
      title: `${SCRIPT} done`,
      body: `${IMG}<a href="javascript:alert(1)">click</a>`,
      url: 'javascript:alert(1)',
      status: 'failed',
      task: IMG,
    }),
    feedName: `<b onmouseover="alert(1)">Feed</b>`,
    title: `${SCRIPT} done`,
  },
  {
    label: 'terminal escapes and bidi overrides in the text',
    type: 'news',
    id: 'esc',
    data: JSON.stringify({
      title: '\u001b]0;pwned\u0007Safe\u202e title\u200b',
      body: '\u001b[2J\u001b[31mred\r\nnext',
      url: 'https://news.example.com/a',
    }),
    // The escape characters go; what is left is inert text.
    title: ']0;pwned Safe title',
  },
  {
    label: 'prototype-pollution keys',
    type: 'job.failed',
    id: 'proto',
    data: '{"__proto__":{"title":"polluted","isAdmin":true},"constructor":{"prototype":{"x":1}},"title":"Job 7"}',
    title: 'Job 7 failed',
  },
]

let server: SseServer | null = null
let app: ChaosApp | null = null
beforeEach(() => fake.reset())
afterEach(async () => {
  await app?.stop()
  await app?.removeFiles()
  await server?.close()
  app = null
  server = null
})

describe('hostile event content through the app', () => {
  it.each(rows.map((row) => [row.label, row] as const))('%s', async (_label, row) => {
    server = await startSseServer((_req, res) => {
      openStream(res)
      res.write(`event: ${row.type}\nid: ${row.id}\n`)
      res.write(`data: ${row.data}\n\n`)
      res.write('id: after\ndata: {"title":"still here"}\n\n')
    })
    app = await startChaosApp({
      random: () => 0.5,
      settings: {
        feeds: [
          { id: 'h', name: row.feedName ?? 'Hostile', url: server.url, maxEventSizeKiB: 4096 },
        ],
      },
      centerTiming: { catchUpWindowMs: 0 },
    })
    const running = app
    await running.until(
      () => running.renderedEvents().length >= 2,
      'both events in the window',
      10_000,
    )
    if (row.title !== null)
      await running.until(() => running.notifications.length >= 1, 'its notification', 10_000)

    // Delivered to the window intact, as data (the renderer shows it as text).
    const [event, after] = running.renderedEvents()
    expect([event!.type, event!.id, event!.data]).toEqual([row.type, row.id, row.data])
    expect(after!.data).toBe('{"title":"still here"}')
    expect(running.engine.getState('h')).toEqual({ kind: 'open' })

    // The notification: plain bounded text, never a non-http link, shown once natively.
    const shown = running.notifications.filter((n) => n.eventSeq === event!.seq)
    if (row.title === null) expect(shown).toEqual([])
    else {
      expect(shown).toHaveLength(1)
      const n = shown[0]!
      expect(n.title).toBe(row.title)
      expect(n.title.length).toBeLessThanOrEqual(120)
      expect(n.body.length).toBeLessThanOrEqual(400)
      expect(n.title + n.body).not.toMatch(CONTROLS)
      if (n.url !== undefined) expect(new URL(n.url).protocol).toBe('https:')
      expect(fake.notifications().map((x) => x.title)).toContain(n.title)
    }
    expect(running.notifications.every((n) => n.url === undefined || /^https?:/.test(n.url))).toBe(
      true,
    )

    // The CLI prints it as one inert line, and its JSON line round-trips.
    const line = eventHumanLine(event!, event!.notification)
    expect(line.split('\n')).toHaveLength(2)
    expect(line).not.toContain('\u001b')
    expect(JSON.parse(eventJsonLine(event!, event!.notification)).data).toBe(row.data)

    // Written down and read back whole.
    await running.stop()
    const disk = parseHistory(await readFile(join(running.dir, 'history.jsonl'), 'utf8'))
    expect(disk.droppedLines).toBe(0)
    expect(disk.events.map((e) => e.data)).toEqual([row.data, '{"title":"still here"}'])
    app = null
    await running.removeFiles()

    // No prototype was polluted along the way.
    const probe = {} as Record<string, unknown>
    expect([probe['title'], probe['isAdmin'], probe['x']]).toEqual([
      undefined,
      undefined,
      undefined,
    ])
  })
})
