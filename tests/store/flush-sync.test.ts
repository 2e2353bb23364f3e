// Windows `session-end` cannot be delayed: what is flushed must be on disk when the synchronous
// call returns, and a background write still under way must not undo or repeat it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { composeTidings } from '../../src/main/core/compose.ts'
import { EventHistory, parseHistory } from '../../src/main/store/history.ts'
import { StateFile } from '../../src/main/store/state-file.ts'
import { loggedEvent, tempDir } from '../app/support/fixtures.ts'
import { plainCipher } from '../hostile/support.ts'
import { startSseServer } from '../support/sse-server.ts'
import { FaultyFs } from '../support/faulty-fs.ts'

/** The seqs in the file right now, read synchronously (as the next boot would find them). */
function seqsOnDisk(file: string): number[] {
  const { events, droppedLines } = parseHistory(readFileSync(file, 'utf8'))
  expect(droppedLines).toBe(0)
  return events.map((e) => e.seq)
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('EventHistory.flushSync', () => {
  it('writes every appended event before it returns', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const history = await EventHistory.open({ file, limit: 100 })
    for (let seq = 1; seq <= 5; seq++) history.append(loggedEvent(seq))
    await history.flush()
    for (let seq = 6; seq <= 12; seq++) history.append(loggedEvent(seq))
    history.flushSync()
    expect(seqsOnDisk(file)).toEqual(range(1, 12))
    await history.close()
    expect(seqsOnDisk(file)).toEqual(range(1, 12))
  })

  it('writes the batch a background append is busy with once: the same bytes at the same place', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const faulty = new FaultyFs()
    const history = await EventHistory.open({ file, limit: 100, io: faulty.io })
    for (let seq = 1; seq <= 3; seq++) history.append(loggedEvent(seq))
    await history.flush()
    const write = faulty.hold('write', 'history.jsonl')
    for (let seq = 4; seq <= 8; seq++) history.append(loggedEvent(seq))
    await write.reached
    // The background write of 4-8 is under way; 9-10 are still waiting for it.
    history.append(loggedEvent(9))
    history.append(loggedEvent(10))
    history.flushSync()
    expect(seqsOnDisk(file)).toEqual(range(1, 10))
    write.release()
    await history.flush()
    history.append(loggedEvent(11))
    await history.close()
    expect(seqsOnDisk(file)).toEqual(range(1, 11))
  })

  it('wins over a compaction under way, whether its rename is still to come or already issued', async () => {
    for (const stage of ['fsync', 'rename'] as const) {
      const file = join(await tempDir(), 'history.jsonl')
      const faulty = new FaultyFs()
      const history = await EventHistory.open({ file, limit: 100, io: faulty.io })
      for (let seq = 1; seq <= 120; seq++) history.append(loggedEvent(seq))
      await history.flush()
      const compaction = faulty.hold(stage, stage === 'rename' ? 'history.jsonl' : /\.tmp$/)
      history.setLimit(50)
      await compaction.reached
      history.append(loggedEvent(121))
      history.flushSync()
      expect(seqsOnDisk(file), stage).toEqual(range(72, 121))
      compaction.release()
      await history.flush()
      await history.close()
      expect(seqsOnDisk(file), stage).toEqual(range(72, 121))
      const reopened = await EventHistory.open({ file, limit: 50 })
      expect(reopened.events().map((e) => e.seq)).toEqual(range(72, 121))
      await reopened.close()
    }
  })
})

describe('StateFile.flushSync', () => {
  it('writes the resume ids before it returns, and an older write under way does not replace them', async () => {
    const file = join(await tempDir(), 'state.json')
    const faulty = new FaultyFs()
    const state = await StateFile.open({ file, io: faulty.io, delayMs: 60_000 })
    state.record('build', 'a', 1)
    const rename = faulty.hold('rename', 'state.json')
    const older = state.flush()
    await rename.reached
    state.record('build', 'b', 2)
    state.flushSync()
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      lastEventIds: { build: 'b' },
      lastSeq: 2,
    })
    rename.release()
    await older
    await state.close()
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      lastEventIds: { build: 'b' },
      lastSeq: 2,
    })
  })
})

describe('Tidings.flushSync', () => {
  it('puts the events and resume id of a running app on disk at once', async () => {
    const server = await startSseServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      for (let i = 1; i <= 3; i++) res.write(`id: ev-${i}\ndata: {"title":"Job ${i}"}\n\n`)
    })
    const dataDir = await tempDir()
    const tidings = await composeTidings({
      dataDir,
      cipher: plainCipher,
      fetch: (url, init) => globalThis.fetch(url, init),
      show: () => {},
      send: () => {},
      openLink: async () => false,
      override: (saved) => ({
        ...saved,
        feeds: [
          { ...saved.feeds[0]!, id: 'jobs', name: 'Jobs', url: server.url, preset: undefined },
        ],
      }),
    })
    try {
      const arrived = new Promise<void>((resolve) =>
        tidings.engine.on('event', (event) => event.id === 'ev-3' && resolve()),
      )
      await tidings.start()
      await arrived
      tidings.flushSync()
      const events = parseHistory(readFileSync(join(dataDir, 'history.jsonl'), 'utf8')).events
      expect(events.map((e) => e.id)).toEqual(['ev-1', 'ev-2', 'ev-3'])
      const state = JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8'))
      expect(state.lastEventIds).toEqual({ jobs: 'ev-3' })
      expect(state.lastSeq).toBe(events.at(-1)?.seq)
    } finally {
      await tidings.dispose()
      await server.close()
    }
  })
})
