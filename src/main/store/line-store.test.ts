import { describe, expect, it } from 'vitest'
import { LineStore } from './line-store.ts'

const joined = (store: LineStore) => Buffer.concat([...store.bytes()]).toString('utf8')

describe('LineStore', () => {
  it('gives back the lines pushed, oldest first, as strings and as bytes', () => {
    const store = new LineStore()
    const lines = ['{"a":1}\n', '{"b":"é ✓ 𝄞"}\n', '{"c":"\\ud800"}\n']
    lines.forEach((line, i) => store.push(line, i + 1))
    expect([...store.lines()]).toEqual(lines)
    expect(joined(store)).toBe(lines.join(''))
    expect(store.size).toBe(3)
    expect(store.weight).toBe(6)
  })

  it('forgets the oldest first and keeps the weights in step', () => {
    const store = new LineStore()
    for (let i = 0; i < 5; i++) store.push(`${i}\n`, 10)
    store.shift()
    store.shift()
    expect([...store.lines()]).toEqual(['2\n', '3\n', '4\n'])
    expect(store.weight).toBe(30)
    for (let i = 0; i < 5; i++) store.shift()
    expect(store.size).toBe(0)
    expect(store.weight).toBe(0)
    expect([...store.bytes()]).toEqual([])
  })

  it('spans slabs: lines longer than a slab, and many lines, stay whole and in order', () => {
    const store = new LineStore()
    const long = `${'x'.repeat(300 * 1024)}\n`
    const expected: string[] = []
    for (let i = 0; i < 3000; i++) {
      const line = i % 1000 === 500 ? long : `{"n":${i},"pad":"${'p'.repeat(i % 200)}"}\n`
      store.push(line, 1)
      expected.push(line)
    }
    // Evict past the point where the arrays are compacted, with slabs let go on the way.
    for (let i = 0; i < 2100; i++) store.shift()
    expect([...store.lines()]).toEqual(expected.slice(2100))
    expect(joined(store)).toBe(expected.slice(2100).join(''))
    for (let i = 0; i < 50; i++) {
      store.push(`${i}\n`, 1)
      expected.push(`${i}\n`)
    }
    expect([...store.lines()]).toEqual(expected.slice(2100))
    expect(store.size).toBe(expected.length - 2100)
  })

  it('writes bytes as views of its slabs, far fewer than the lines', () => {
    const store = new LineStore()
    for (let i = 0; i < 10_000; i++) store.push(`{"seq":${i}}\n`, 1)
    expect([...store.bytes()].length).toBeLessThan(10)
  })

  it('keeps its lines whole when the slab being filled empties and newer slabs follow', () => {
    const store = new LineStore()
    store.push('a\n', 1)
    store.shift()
    // The first slab is empty but current; lines too long for its room start newer ones.
    const long = `${'y'.repeat(300 * 1024)}\n`
    store.push(long, 1)
    store.push('b\n', 1)
    store.push(long, 1)
    expect([...store.lines()]).toEqual([long, 'b\n', long])
    store.shift()
    expect([...store.lines()]).toEqual(['b\n', long])
    expect(joined(store)).toBe(`b\n${long}`)
  })

  it('grows its index as a ring: thousands of lines pushed and shifted stay in order', () => {
    const store = new LineStore()
    const kept: string[] = []
    for (let i = 0; i < 20_000; i++) {
      const line = `{"i":${i}}\n`
      store.push(line, 2)
      kept.push(line)
      // Keep between 1 500 and 3 000 lines, wrapping the ring many times and growing it twice.
      if (kept.length > 3000 || (i % 7 === 0 && kept.length > 1500)) {
        store.shift()
        kept.shift()
      }
    }
    expect([...store.lines()]).toEqual(kept)
    expect(joined(store)).toBe(kept.join(''))
    expect(store.weight).toBe(kept.length * 2)
  })
})
