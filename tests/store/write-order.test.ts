// The resume ids on disk never run ahead of the events on disk: the state file (written about
// once a second) waits for the history's pending appends (written in batches), so a crash
// between the two writes never resumes after events the log did not keep.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseHistory } from '../../src/main/store/history.ts'
import { plainCipher } from '../hostile/support.ts'
import { FaultyFs } from '../support/faulty-fs.ts'
import { feedFor, startLiveServer, startStoreApp } from '../support/store-pipeline.ts'

const event = (n: number) => `id: ev-${n}\ndata: {"title":"Step ${n}"}\n\n`

async function stateOnDisk(dataDir: string): Promise<Record<string, string> | null> {
  try {
    const text = await readFile(join(dataDir, 'state.json'), 'utf8')
    return (JSON.parse(text) as { lastEventIds: Record<string, string> }).lastEventIds
  } catch {
    return null
  }
}

describe('the order of the writes', () => {
  it('writes a resume id only once the events up to it are in the history file', async () => {
    const server = await startLiveServer()
    const faulty = new FaultyFs()
    const app = await startStoreApp({
      cipher: plainCipher,
      io: faulty.io,
      feeds: [feedFor(server.url)],
    })
    const { tidings, dataDir } = app
    // The history's next append is held on its way to the disk.
    const append = faulty.hold('write', 'history.jsonl')
    try {
      await tidings.start()
      await server.streams(1)
      for (let n = 1; n <= 3; n++) server.send(event(n))
      await app.events(3)
      await append.reached
      // The resume ids are due now, but the events they resume after are not on disk yet: the
      // state's write asks the history to flush first, and waits for it.
      const { history } = tidings
      const flush = history.flush.bind(history)
      const asked = new Promise<void>((resolve) => {
        history.flush = () => {
          resolve()
          return flush()
        }
      })
      const stateWritten = tidings.state.flush()
      await Promise.race([asked, stateWritten])
      expect(await stateOnDisk(dataDir)).toBeNull()
      append.release()
      await stateWritten
      expect(await stateOnDisk(dataDir)).toEqual({ jobs: 'ev-3' })
      const onDisk = parseHistory(await readFile(join(dataDir, 'history.jsonl'), 'utf8'))
      expect(onDisk.events.map((e) => e.id)).toEqual(['ev-1', 'ev-2', 'ev-3'])
    } finally {
      append.release()
      await tidings.dispose()
      await server.close()
    }
  })
})
