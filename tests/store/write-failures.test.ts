// Writes that fail (issue 12, "Writes that fail"): a full disk, a file too large, an I/O error at
// a chosen call. Nothing that can still be written is lost once the disk takes writes again,
// no torn fragment stays behind, and the failure is reported while it lasts.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventHistory, parseHistory } from '../../src/main/store/history.ts'
import { SettingsService } from '../../src/main/store/settings-service.ts'
import { storedSettingsSchema } from '../../src/main/store/settings-schema.ts'
import { StateFile } from '../../src/main/store/state-file.ts'
import { WriteHealth } from '../../src/main/store/write-health.ts'
import { loggedEvent, tempDir } from '../app/support/fixtures.ts'
import { plainCipher } from '../hostile/support.ts'
import { FaultyFs, fsError } from '../support/faulty-fs.ts'

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

async function onDisk(file: string): Promise<{ seqs: number[]; droppedLines: number }> {
  const { events, droppedLines } = parseHistory(await readFile(file, 'utf8'))
  return { seqs: events.map((e) => e.seq), droppedLines }
}

/** A reporter that counts failures, so a test can wait for the nth before moving the clock. */
class CountingReporter extends WriteHealth {
  failures = 0
  #waiters: Array<{ n: number; wake: () => void }> = []
  override failed(file: string, error: unknown): void {
    super.failed(file, error)
    this.failures++
    for (const waiter of this.#waiters.filter((w) => w.n <= this.failures)) waiter.wake()
  }
  failedTimes(n: number): Promise<void> {
    if (this.failures >= n) return Promise.resolve()
    return new Promise((wake) => this.#waiters.push({ n, wake }))
  }
}

/** Resolves when the health reporter next changes to match. */
function healthBecomes(health: WriteHealth, predicate: () => boolean): Promise<void> {
  if (predicate()) return Promise.resolve()
  return new Promise((resolve) => {
    const stop = health.onChange(() => {
      if (!predicate()) return
      stop()
      resolve()
    })
  })
}

afterEach(() => {
  vi.useRealTimers()
})

describe('history on a disk that fills up', () => {
  // The run: 40 events, the disk full part-way through a batch. Before: a torn
  // fragment stayed in the file and the failed batch (22-36) was lost.
  it('cuts the torn write back, keeps the batch, and writes it once space returns', async () => {
    const dir = await tempDir()
    const file = join(dir, 'history.jsonl')
    const faulty = new FaultyFs()
    const health = new WriteHealth()
    const history = await EventHistory.open({ file, limit: 100, io: faulty.io, reporter: health })
    for (let seq = 1; seq <= 21; seq++) history.append(loggedEvent(seq))
    await history.flush()
    // Room for half a line: the write of 22 is cut short, then nothing more fits.
    const line = JSON.stringify(loggedEvent(22)).length + 1
    faulty.fillAfter(Math.floor(line / 2))
    for (let seq = 22; seq <= 36; seq++) history.append(loggedEvent(seq))
    await history.flush()
    expect(health.current()?.message).toBe(`cannot write to ${dir}: disk full`)
    expect(health.current()?.detail).toMatch(/ENOSPC/)
    // No fragment is left: the file holds whole lines only, the good ones from before.
    expect(await onDisk(file)).toEqual({ seqs: range(1, 21), droppedLines: 0 })
    for (let seq = 37; seq <= 40; seq++) history.append(loggedEvent(seq))
    await history.flush()
    expect(await onDisk(file)).toEqual({ seqs: range(1, 21), droppedLines: 0 })

    faulty.heal()
    await history.flush()
    expect(health.current()).toBeNull()
    expect(await onDisk(file)).toEqual({ seqs: range(1, 40), droppedLines: 0 })
    await history.close()
    const reopened = await EventHistory.open({ file, limit: 100 })
    expect(reopened.events().map((e) => e.seq)).toEqual(range(1, 40))
    expect(reopened.recovery.droppedLines).toBe(0)
    await reopened.close()
  })

  it('retries by itself with backoff, without another append', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const file = join(await tempDir(), 'history.jsonl')
    const faulty = new FaultyFs().fail({ op: 'write', file: 'history.jsonl', code: 'EFBIG' })
    const health = new WriteHealth()
    const history = await EventHistory.open({ file, limit: 100, io: faulty.io, reporter: health })
    history.append(loggedEvent(1))
    // Appends are written in batches: this one goes out at the batch's moment.
    const failed = healthBecomes(
      health,
      () => health.current()?.reason === 'file too large for the disk',
    )
    await vi.advanceTimersByTimeAsync(100)
    await failed
    faulty.heal()
    const cleared = healthBecomes(health, () => health.current() === null)
    await vi.advanceTimersByTimeAsync(1000)
    await cleared
    expect((await onDisk(file)).seqs).toEqual([1])
    await history.close()
  })

  it('a compaction that fails (EIO at its fsync) loses nothing and is done again later', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const faulty = new FaultyFs()
    const history = await EventHistory.open({ file, limit: 50, io: faulty.io })
    for (let seq = 1; seq <= 140; seq++) history.append(loggedEvent(seq))
    await history.flush()
    faulty.fail({ op: 'fsync', file: 'history.jsonl.tmp', code: 'EIO', times: 1 })
    for (let seq = 141; seq <= 160; seq++) history.append(loggedEvent(seq))
    await history.flush()
    expect(faulty.count('fsync', 'history.jsonl.tmp')).toBeGreaterThanOrEqual(1)
    await history.flush()
    await history.close()
    const reopened = await EventHistory.open({ file, limit: 50 })
    expect(reopened.events().map((e) => e.seq)).toEqual(range(111, 160))
    expect(reopened.recovery.droppedLines).toBe(0)
    await reopened.close()
    expect(await readdir(join(file, '..'))).toEqual(['history.jsonl'])
  })

  it('stuck longer than the history holds: writes the last N events whole when space returns', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const faulty = new FaultyFs()
    const history = await EventHistory.open({ file, limit: 20, io: faulty.io })
    for (let seq = 1; seq <= 5; seq++) history.append(loggedEvent(seq))
    await history.flush()
    faulty.fillAfter(0)
    for (let seq = 6; seq <= 200; seq++) history.append(loggedEvent(seq))
    await history.flush()
    faulty.heal()
    await history.flush()
    expect(await onDisk(file)).toEqual({ seqs: range(181, 200), droppedLines: 0 })
    await history.close()
  })

  it('a repair the disk refuses at start does not stop the app, and is done once it can', async () => {
    const file = join(await tempDir(), 'history.jsonl')
    const torn = JSON.stringify(loggedEvent(3))
    await writeFile(
      file,
      `${JSON.stringify(loggedEvent(1))}\n${JSON.stringify(loggedEvent(2))}\n${torn.slice(0, 20)}`,
    )
    const faulty = new FaultyFs().fillAfter(0)
    const health = new WriteHealth()
    const history = await EventHistory.open({ file, limit: 100, io: faulty.io, reporter: health })
    expect(history.events().map((e) => e.seq)).toEqual([1, 2])
    expect(health.current()?.reason).toBe('disk full')
    history.append(loggedEvent(3))
    await history.flush()
    faulty.heal()
    await history.flush()
    await history.close()
    expect(await onDisk(file)).toEqual({ seqs: [1, 2, 3], droppedLines: 0 })
    expect(health.current()).toBeNull()
  })

  it('flushes the folder after each rename, so the rename survives a power cut', async () => {
    if (process.platform === 'win32') return
    const dir = await tempDir()
    const file = join(dir, 'history.jsonl')
    const faulty = new FaultyFs()
    const history = await EventHistory.open({ file, limit: 10, io: faulty.io })
    for (let seq = 1; seq <= 200; seq++) history.append(loggedEvent(seq))
    await history.close()
    const renames = faulty.calls.flatMap((call, index) =>
      call.startsWith('rename ') ? [index] : [],
    )
    expect(renames.length).toBeGreaterThan(0)
    const folder = dir.split('/').at(-1)
    for (const at of renames)
      expect(faulty.calls.slice(at + 1, at + 3)).toEqual([`open ${folder}`, `fsync ${folder}`])
  })
})

describe('state file that cannot be written', () => {
  it('stays dirty and retries with backoff until the resume ids are on disk', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const dir = await tempDir()
    const file = join(dir, 'state.json')
    const faulty = new FaultyFs().fail({ op: 'rename', file: 'state.json', code: 'ENOSPC' })
    const health = new CountingReporter()
    const logs: string[] = []
    const state = await StateFile.open({
      file,
      io: faulty.io,
      reporter: health,
      log: (m) => logs.push(m),
    })
    state.record('build', 'ev-7', 7)
    await state.flush()
    expect(state.dirty).toBe(true)
    expect(health.current()?.message).toBe(`cannot write to ${dir}: disk full`)
    // Retried after 1 s, then 2 s, still failing: said once in the log, not on every retry.
    await vi.advanceTimersByTimeAsync(999)
    expect(faulty.count('rename', 'state.json')).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    await health.failedTimes(2)
    await vi.advanceTimersByTimeAsync(2000)
    await health.failedTimes(3)
    expect(faulty.count('rename', 'state.json')).toBe(3)
    expect(logs.filter((m) => m.includes('could not write'))).toHaveLength(1)
    faulty.heal()
    const cleared = healthBecomes(health, () => health.current() === null)
    await vi.advanceTimersByTimeAsync(4000)
    await cleared
    expect(state.dirty).toBe(false)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      lastEventIds: { build: 'ev-7' },
      lastSeq: 7,
    })
    expect(logs.at(-1)).toMatch(/works again/)
    await state.close()
  })
})

describe('a damaged state.json', () => {
  const cases = [
    {
      label: 'torn mid-write',
      text: '{"lastEventIds":{"build":"ev-41","deploy":"d-9","news":"n-',
      ids: { build: 'ev-41', deploy: 'd-9' },
    },
    {
      label: 'garbage after good JSON',
      text: '{"lastEventIds":{"build":"ev-\\"41\\""},"lastSeq":41}\u0000\u0000garbage',
      ids: { build: 'ev-"41"' },
    },
    {
      label: 'wrong types inside',
      text: '{"lastEventIds":{"build":"ev-41","bad":42},"lastSeq":"x"}',
      ids: { build: 'ev-41' },
    },
  ]
  it.each(cases)('$label: backed up as it was, and what it still says is used', async (row) => {
    const dir = await tempDir()
    const file = join(dir, 'state.json')
    await writeFile(file, row.text)
    const logs: string[] = []
    const state = await StateFile.open({ file, log: (m) => logs.push(m) })
    for (const [feed, id] of Object.entries(row.ids)) expect(state.lastEventId(feed)).toBe(id)
    expect(logs.join('\n')).toMatch(/was damaged.*kept as .*state\.corrupt-/)
    const backups = (await readdir(dir)).filter((name) => name.startsWith('state.corrupt-'))
    expect(backups).toHaveLength(1)
    expect(await readFile(join(dir, backups[0]!), 'utf8')).toBe(row.text)
    // What was salvaged replaces the damaged file, so the next start reads it cleanly.
    await state.close()
    expect(JSON.parse(await readFile(file, 'utf8')).lastEventIds).toEqual(row.ids)
    const again: string[] = []
    await StateFile.open({ file, log: (m) => again.push(m) })
    expect(again).toEqual([])
  })

  it('is left untouched when it cannot be backed up', async () => {
    const dir = await tempDir()
    const file = join(dir, 'state.json')
    await writeFile(file, '{"lastEventIds":{"build":"ev-1"')
    const faulty = new FaultyFs().fail({ op: 'write', code: 'ENOSPC' })
    const state = await StateFile.open({ file, io: faulty.io })
    expect(state.lastEventId('build')).toBe('ev-1')
    state.record('build', 'ev-2', 2)
    await state.close()
    expect(await readFile(file, 'utf8')).toBe('{"lastEventIds":{"build":"ev-1"')
  })
})

describe('settings that cannot be written', () => {
  it('take effect, are reported, and are written once the disk takes them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const written: unknown[] = []
    let full = true
    const health = new WriteHealth()
    const service = await SettingsService.create({
      initial: storedSettingsSchema.parse({ feeds: [] }),
      cipher: plainCipher,
      file: '/data/settings.json',
      reporter: health,
      persist: (next) => {
        if (full) throw fsError('ENOSPC', 'write', '/data/settings.json')
        written.push(next)
      },
    })
    service.update((s) => ({ ...s, rateLimitPerMinute: 3 }))
    expect(service.current.rateLimitPerMinute).toBe(3)
    expect(service.unsaved).toBe(true)
    expect(health.current()?.message).toBe('cannot write to /data: disk full')
    full = false
    await vi.advanceTimersByTimeAsync(1000)
    expect(written).toHaveLength(1)
    expect(service.unsaved).toBe(false)
    expect(health.current()).toBeNull()
    service.dispose()
  })

  it('a schema violation still refuses the change', async () => {
    const service = await SettingsService.create({
      initial: storedSettingsSchema.parse({ feeds: [] }),
      cipher: plainCipher,
      persist: () => {
        throw new Error('Config schema violation: `rateLimitPerMinute` must be <= 600')
      },
    })
    expect(() => service.update((s) => ({ ...s, rateLimitPerMinute: 3 }))).toThrow(/schema/)
    expect(service.current.rateLimitPerMinute).not.toBe(3)
  })
})
