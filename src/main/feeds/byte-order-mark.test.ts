import { describe, expect, it } from 'vitest'
import { StreamStart } from './byte-order-mark.ts'

describe('StreamStart', () => {
  const bytes = (...values: number[]) => new Uint8Array(values)

  it('passes a stream without a BOM on as it is', () => {
    const start = new StreamStart()
    expect(Array.from(start.push(bytes(0x64, 0x61))!)).toEqual([0x64, 0x61])
    const later = bytes(0x0a)
    expect(start.push(later)).toBe(later)
  })

  it('drops one BOM, even split across chunks', () => {
    const start = new StreamStart()
    expect(start.push(bytes(0xef))).toBeNull()
    expect(start.push(bytes(0xbb))).toBeNull()
    expect(Array.from(start.push(bytes(0xbf, 0x64))!)).toEqual([0x64])
  })

  it('keeps a second BOM as part of the first line', () => {
    const start = new StreamStart()
    const out = start.push(bytes(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x64))!
    expect(Array.from(out)).toEqual([0xef, 0xbb, 0xbf, 0x64])
  })

  it('keeps the start of a BOM that turns out to be data', () => {
    const start = new StreamStart()
    expect(start.push(bytes(0xef))).toBeNull()
    expect(Array.from(start.push(bytes(0x41))!)).toEqual([0xef, 0x41])
  })
})
