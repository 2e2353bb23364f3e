import { describe, expect, it } from 'vitest'
import { splitAt } from '../../../tests/support/chunked-fetch.ts'
import { StreamStart } from './byte-order-mark.ts'
import { RetryFieldScanner } from './retry-field-scanner.ts'

function scan(text: string, cuts: number[] = []): number[] {
  const found: number[] = []
  const scanner = new RetryFieldScanner((ms) => found.push(ms))
  for (const chunk of splitAt(new TextEncoder().encode(text), ...cuts)) scanner.feed(chunk)
  return found
}

describe('RetryFieldScanner', () => {
  const body =
    'retry: 1500\ndata: retry: 9\n\nretry:250\r\nretry:12x\nxretry: 7\nretry\nretry:\n:retry: 8\rretry: 0042\r\nRetry: 5\n'

  it('reads only well-formed retry fields at line starts', () => {
    expect(scan(body)).toEqual([1500, 250, 42])
  })

  it('reads the same values whatever the chunking', () => {
    for (let a = 1; a < body.length; a++) {
      expect(scan(body, [a]), `cut ${a}`).toEqual([1500, 250, 42])
      expect(scan(body, [a, Math.min(body.length, a + 3)]), `cuts ${a}`).toEqual([1500, 250, 42])
    }
  })

  it('reads the same values for every pair of cuts', () => {
    const short = 'data: x\nretry: 90\r\nretry:7x\nretry:8\n'
    for (let a = 1; a < short.length; a++)
      for (let b = a; b < short.length; b++)
        expect(scan(short, [a, b]), `cuts ${a},${b}`).toEqual([90, 8])
  })

  it('ignores a value that has no line end yet', () => {
    expect(scan('retry: 100')).toEqual([])
  })

  it('handles many lines in one chunk without rescanning (long LF-only stream)', () => {
    const many = 'data: x\n'.repeat(50_000) + 'retry: 777\n'
    expect(scan(many)).toEqual([777])
  })
})

describe('StreamStart', () => {
  const bytes = (...values: number[]) => new Uint8Array(values)
  const prefix = bytes(0x69, 0x64) // what the engine puts first

  it('puts the prefix before a stream without a BOM', () => {
    const start = new StreamStart(prefix)
    expect(Array.from(start.push(bytes(0x64, 0x61))!)).toEqual([0x69, 0x64, 0x64, 0x61])
    const later = bytes(0x0a)
    expect(start.push(later)).toBe(later)
  })

  it('drops one BOM, even split across chunks', () => {
    const start = new StreamStart(prefix)
    expect(start.push(bytes(0xef, 0xbb))).toBeNull()
    expect(Array.from(start.push(bytes(0xbf, 0x64))!)).toEqual([0x69, 0x64, 0x64])
  })

  it('keeps a second BOM as part of the first line', () => {
    const start = new StreamStart(prefix)
    const out = start.push(bytes(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x64))!
    expect(Array.from(out)).toEqual([0x69, 0x64, 0xef, 0xbb, 0xbf, 0x64])
  })

  it('keeps the start of a BOM that turns out to be data', () => {
    const start = new StreamStart(prefix)
    expect(start.push(bytes(0xef))).toBeNull()
    expect(Array.from(start.push(bytes(0x41))!)).toEqual([0x69, 0x64, 0xef, 0x41])
  })
})
