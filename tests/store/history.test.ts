import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EventHistory, parseHistory } from '../../src/main/store/history.ts'
import { loggedEvent, tempDir } from '../app/support/fixtures.ts'

async function lines(file: string): Promise<number> {
  return (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '').length
}

describe('EventHistory', () => {
  it('persists events and reads them back in order after a restart', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const first = await EventHistory.open({ file, limit: 100 })
    for (let seq = 1; seq <= 20; seq++)
      first.append(loggedEvent(seq, { notification: { kind: 'message', title: 't', body: 'b' } }))
    await first.close()

    const second = await EventHistory.open({ file, limit: 100 })
    expect(second.events().map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(second.events()[0]?.notification).toEqual({ kind: 'message', title: 't', body: 'b' })
    expect(second.lastSeq()).toBe(20)
    expect(second.recovery).toEqual({ droppedLines: 0, trimmed: 0 })
    await second.close()
  })

  it('keeps only the last N events in memory and bounds the file by compaction', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const history = await EventHistory.open({ file, limit: 200 })
    for (let seq = 1; seq <= 2000; seq++) history.append(loggedEvent(seq))
    await history.flush()
    expect(history.size).toBe(200)
    expect(history.events()[0]?.seq).toBe(1801)
    // Never more than the limit plus the compaction slack (the limit again, at least 100).
    expect(await lines(file)).toBeLessThanOrEqual(400)
    await history.close()

    const reopened = await EventHistory.open({ file, limit: 200 })
    expect(reopened.events().map((e) => e.seq)).toEqual(history.events().map((e) => e.seq))
    expect(await lines(file)).toBe(200)
    await reopened.close()
  })

  it('bounds memory and disk by characters too, so huge events cannot grow it without end', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const big = 'x'.repeat(10_000)
    const history = await EventHistory.open({ file, limit: 10_000, maxChars: 50_000 })
    for (let seq = 1; seq <= 100; seq++) history.append(loggedEvent(seq, { data: big }))
    await history.close()
    expect(history.size).toBeLessThanOrEqual(5)
    expect(history.events().at(-1)?.seq).toBe(100)
    const reopened = await EventHistory.open({ file, limit: 10_000, maxChars: 50_000 })
    expect(reopened.size).toBe(history.size)
    expect((await stat(file)).size).toBeLessThan(60_000)
    await reopened.close()
  })

  it('recovers from a write torn by a crash: the partial line is dropped, the rest kept', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const history = await EventHistory.open({ file, limit: 100 })
    for (let seq = 1; seq <= 10; seq++) history.append(loggedEvent(seq))
    await history.close()
    // The process died in the middle of appending event 11.
    const torn = JSON.stringify(loggedEvent(11))
    await appendFile(file, torn.slice(0, torn.length / 2))

    const logs: string[] = []
    const reopened = await EventHistory.open({ file, limit: 100, log: (m) => logs.push(m) })
    expect(reopened.events().map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(reopened.recovery.droppedLines).toBe(1)
    expect(logs.join('\n')).toMatch(/skipped 1 unreadable line/)
    // The file was repaired, so the next append starts on a line of its own.
    reopened.append(loggedEvent(11))
    await reopened.close()
    const again = await EventHistory.open({ file, limit: 100 })
    expect(
      again
        .events()
        .map((e) => e.seq)
        .at(-1),
    ).toBe(11)
    expect(again.recovery.droppedLines).toBe(0)
    await again.close()
  })

  it('skips damaged and foreign lines but keeps every good event around them', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const good = (seq: number) => JSON.stringify(loggedEvent(seq))
    await writeFile(
      file,
      [
        good(1),
        '{"seq":"two"}',
        'not json at all',
        good(3),
        '\u0000\u0000\u0000',
        JSON.stringify({ ...loggedEvent(4), notification: { kind: 1 } }),
        '',
      ].join('\n'),
    )
    const history = await EventHistory.open({ file, limit: 100 })
    expect(history.events().map((e) => e.seq)).toEqual([1, 3, 4])
    expect(history.events()[2]?.notification).toBeNull()
    expect(history.recovery.droppedLines).toBe(3)
    await history.close()
  })

  it('survives a crash during compaction: the leftover temp file is ignored and removed', async () => {
    const dir = await tempDir()
    const file = join(dir, 'history.jsonl')
    await writeFile(file, `${JSON.stringify(loggedEvent(1))}\n`)
    await writeFile(`${file}.tmp`, '{"half a compaction')
    const history = await EventHistory.open({ file, limit: 100 })
    expect(history.events().map((e) => e.seq)).toEqual([1])
    expect(await readdir(dir)).toEqual(['history.jsonl'])
    await history.close()
  })

  it('trims to a smaller limit at once, on disk as well', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const history = await EventHistory.open({ file, limit: 1000 })
    for (let seq = 1; seq <= 500; seq++) history.append(loggedEvent(seq))
    await history.flush()
    history.setLimit(100)
    await history.flush()
    expect(history.size).toBe(100)
    expect(await lines(file)).toBe(100)
    await history.close()
  })

  it('starts empty without a file, and parses an empty file as no events', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const history = await EventHistory.open({ file, limit: 10 })
    expect(history.events()).toEqual([])
    expect(history.lastSeq()).toBe(0)
    await history.close()
    expect(parseHistory('')).toEqual({ events: [], droppedLines: 0 })
  })

  it('a compaction writes the same lines the appends wrote', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const history = await EventHistory.open({ file, limit: 100 })
    // In the order the core makes them, so JSON.stringify of each is the expected line.
    const events = Array.from({ length: 300 }, (_, i) => {
      const { seq, notification, ...rest } = loggedEvent(i + 1, {
        data: `{"n":${i},"text":"a \\"quoted\\" é ✓"}`,
        receivedAt: 1.5 + i,
      })
      return { ...rest, seq, notification }
    })
    for (const event of events) history.append(event)
    await history.flush()
    const expected = events
      .slice(-100)
      .map((event) => `${JSON.stringify(event)}\n`)
      .join('')
    expect(await readFile(file, 'utf8')).toBe(expected)
    await history.close()
  })
})
