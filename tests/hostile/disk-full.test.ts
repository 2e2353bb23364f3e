// A full disk under the running app (composeTidings, a real feed, real files behind a file layer
// that refuses writes): the failure shows in the tray and the window until it clears, and every
// event and resume id is on disk once space returns.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { trayMenu, trayState, trayTooltip } from '../../src/main/core/tray-model.ts'
import { parseHistory } from '../../src/main/store/history.ts'
import { FaultyFs } from '../support/faulty-fs.ts'
import { feedFor, startLiveServer, startStoreApp } from '../support/store-pipeline.ts'
import { plainCipher } from './support.ts'

const event = (n: number) => `id: ev-${n}\ndata: {"title":"Step ${n}"}\n\n`
const noActions = {
  openLog() {},
  openSettings() {},
  pause() {},
  reconnect() {},
  setStartAtLogin() {},
  quit() {},
}

describe('a full disk under the running app', () => {
  it('shows "cannot write to <folder>: disk full" until it clears, and loses nothing', async () => {
    const server = await startLiveServer()
    const faulty = new FaultyFs()
    const app = await startStoreApp({
      cipher: plainCipher,
      io: faulty.io,
      feeds: [feedFor(server.url)],
    })
    const { tidings, dataDir } = app
    try {
      await tidings.start()
      await server.streams(1)
      for (let n = 1; n <= 10; n++) server.send(event(n))
      await app.events(10)
      await tidings.flush()

      faulty.fillAfter(100)
      for (let n = 11; n <= 40; n++) server.send(event(n))
      await app.events(40)
      await tidings.flush()

      const expected = `cannot write to ${dataDir}: disk full`
      const told = app.pushed('storage', (problem) => problem?.message === expected)
      const model = tidings.core.trayModel()
      expect(model.storage?.message).toBe(expected)
      expect(trayState(model.feeds, model.pause !== null, Boolean(model.storage))).toBe('failed')
      expect(trayTooltip(model)).toContain('Cannot write to')
      expect(trayTooltip(model)).toContain('disk full')
      expect(trayMenu(model, noActions)[0]).toMatchObject({ enabled: false })
      expect(trayMenu(model, noActions)[0]?.label).toMatch(/^Cannot write to .*: disk full$/)
      expect(tidings.core.snapshot().storage?.message).toBe(expected)
      // The window is told, through its own push channel.
      await told
      // Nothing torn on disk meanwhile: whole lines of what was written before.
      const during = parseHistory(await readFile(join(dataDir, 'history.jsonl'), 'utf8'))
      expect(during.droppedLines).toBe(0)

      const cleared = app.pushed('storage', (problem) => problem === null)
      faulty.heal()
      await tidings.flush()
      expect(tidings.core.trayModel().storage).toBeNull()
      await cleared
    } finally {
      await tidings.dispose()
      await server.close()
    }
    const history = parseHistory(await readFile(join(dataDir, 'history.jsonl'), 'utf8'))
    expect(history.droppedLines).toBe(0)
    expect(history.events.map((e) => e.id)).toEqual(
      Array.from({ length: 40 }, (_, i) => `ev-${i + 1}`),
    )
    const state = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8'))
    expect(state.lastEventIds).toEqual({ jobs: 'ev-40' })
  })
})
