// An event's way through the main process as composeTidings builds it (real engine, loopback
// server, history on disk): its data is parsed at most once, by the decision, the task tracker
// and the notification center together, and not at all when no rule can apply to it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { composeTidings, type Tidings } from '../../src/main/core/compose.ts'
import type { SecretCipher } from '../../src/main/store/secrets.ts'
import { serialize } from '../../src/main/store/settings-file.ts'
import { storedSettingsSchema } from '../../src/main/store/settings-schema.ts'
import type { LoggedEvent } from '../../src/shared/ipc.ts'
import { openStream, startSseServer } from '../support/sse-server.ts'

const noCipher: SecretCipher = {
  isAvailable: async () => false,
  encrypt: async () => '',
  decrypt: async () => ({ value: '', reseal: false }),
}

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  vi.restoreAllMocks()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function startPipeline(body: string) {
  const server = await startSseServer((_req, res) => {
    openStream(res)
    res.write(body)
  })
  cleanups.push(() => server.close())
  const dir = await mkdtemp(join(tmpdir(), 'tidings-event-path-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  const settings = storedSettingsSchema.parse({
    feeds: [{ id: 'ci', name: 'CI', url: server.url }],
  })
  await writeFile(join(dir, 'settings.json'), serialize(settings))
  const batches: LoggedEvent[][] = []
  let changed = () => {}
  const tidings: Tidings = await composeTidings({
    dataDir: dir,
    cipher: noCipher,
    fetch: (url, init) => globalThis.fetch(url, init),
    show: () => {},
    send: (channel, payload) => {
      if (channel === 'events') batches.push(payload as LoggedEvent[])
      changed()
    },
    openLink: async () => false,
  })
  cleanups.push(() => tidings.dispose())
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      changed = () => done() && resolve()
      changed()
    })
  await tidings.start()
  tidings.push.markReady()
  return { tidings, events: () => batches.flat(), until }
}

const sse = (id: number, type: string, data: object) =>
  `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`

describe("an event's way through main", () => {
  it('parses each event at most once, and plain updates not at all', async () => {
    const plain = (n: number) => ({ title: `Update ${n}`, body: 'nothing to tell', n })
    const stream = [
      sse(1, 'message', plain(1)),
      sse(2, 'build.started', { taskId: 'b7', task: 'Build #7', status: 'running' }),
      sse(3, 'message', plain(3)),
      sse(4, 'build.progress', { taskId: 'b7', progress: 40 }),
      sse(5, 'build.completed', { taskId: 'b7', task: 'Build #7', status: 'done' }),
      sse(6, 'news', { title: 'Release 2', url: 'https://news.example/2' }),
      sse(7, 'message', plain(7)),
    ]
    const parse = vi.spyOn(JSON, 'parse')
    const { tidings, events, until } = await startPipeline(stream.join(''))
    await until(() => events().length === stream.length)
    const datas = new Set(events().map((event) => event.data))
    const parsed = parse.mock.calls.map(([text]) => text).filter((text) => datas.has(text))
    const count = (data: object) => parsed.filter((text) => text === JSON.stringify(data)).length
    expect([plain(1), plain(3), plain(7)].map(count)).toEqual([0, 0, 0])
    // Task and news events are read once between decide, the tracker and the center.
    expect(parsed).toHaveLength(4)
    expect(new Set(parsed).size).toBe(4)
    // ...and what they said arrived: the task with its duration, the decisions.
    expect(tidings.core.tasks.list()).toMatchObject([{ taskId: 'b7', status: 'completed' }])
    expect(events().map((event) => event.notification?.kind ?? null)).toEqual([
      null,
      null,
      null,
      null,
      'task-completed',
      'news',
      null,
    ])
  })

  it("forgets a removed feed's tasks", async () => {
    const { tidings, events, until } = await startPipeline(
      sse(1, 'build.started', { taskId: 'b1', task: 'Build #1', status: 'running' }),
    )
    await until(() => events().length === 1)
    expect(tidings.core.tasks.list()).toHaveLength(1)
    tidings.settings.update((settings) => ({ ...settings, feeds: [] }))
    expect(tidings.core.tasks.list()).toEqual([])
    expect(tidings.core.snapshot().tasks).toEqual([])
  })
})
