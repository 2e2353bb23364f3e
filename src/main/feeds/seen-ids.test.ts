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
