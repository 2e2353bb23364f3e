import { describe, expect, it } from 'vitest'
import { SeenIds } from './seen-ids.ts'

describe('SeenIds', () => {
  it('knows ids delivered on earlier connections, not yet those of the current one', () => {
    const seen = new SeenIds(10)
    seen.add('a')
    expect(seen.has('a')).toBe(false)
    seen.newConnection()
    expect(seen.has('a')).toBe(true)
    expect(seen.has('b')).toBe(false)
  })

  it('forgets the oldest ids beyond its limit', () => {
    const seen = new SeenIds(3)
    for (const id of ['1', '2', '3', '4']) seen.add(id)
    seen.newConnection()
    expect(['1', '2', '3', '4'].map((id) => seen.has(id))).toEqual([false, true, true, true])
  })

  it('keeps exactly the last ids however often it went round', () => {
    const seen = new SeenIds(3)
    for (let id = 1; id <= 10; id++) seen.add(String(id))
    seen.newConnection()
    const known = Array.from({ length: 10 }, (_, i) => String(i + 1)).filter((id) => seen.has(id))
    expect(known).toEqual(['8', '9', '10'])
  })
})

describe('SeenIds keeps ids cheaply, and tells them apart exactly', () => {
  it('numbers and the strings that only look like them are different ids', () => {
    const seen = new SeenIds(10)
    for (const id of ['7', '0', '123456789', '1234567890', '-1', '1.0']) seen.add(id)
    seen.newConnection()
    for (const id of ['7', '0', '123456789', '1234567890', '-1', '1.0'])
      expect(seen.has(id), id).toBe(true)
    for (const id of ['07', '00', '7 ', '+7', '1', '-0', '1.00', '0123456789'])
      expect(seen.has(id), id).toBe(false)
  })

  it('holds a long id without the chunk text it was sliced from', async () => {
    // V8 keeps a slice of 13 characters or more as a view of the whole string it came from: a
    // ring of such views would hold every chunk the ids arrived in.
    const { setFlagsFromString } = await import('node:v8')
    const { runInNewContext } = await import('node:vm')
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const seen = new SeenIds(4096)
    const heap = () => {
      gc()
      return process.memoryUsage().heapUsed
    }
    const before = heap()
    for (let i = 0; i < 4096; i++) {
      // Each id a slice of its own 64 KiB chunk, as a burst of events arrives.
      const chunk = `id: ${String(i).padStart(36, '0')}\n${'x'.repeat(64 * 1024)}`
      seen.add(chunk.slice(4, 40))
    }
    const grown = heap() - before
    // 4,096 ids of 36 characters are well under 1 MiB; their chunks would be 256 MiB.
    expect(grown).toBeLessThan(16 * 1024 * 1024)
    seen.newConnection()
    expect(seen.has(String(4095).padStart(36, '0'))).toBe(true)
  })
})
