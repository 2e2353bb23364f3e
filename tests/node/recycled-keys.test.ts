// The log's row keys (src/renderer/src/log/use-fixed-rows.ts): a row keeps its key while shown,
// rows that come take the keys of rows that left, and no two rows shown share one.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { recycleKeys } from '../../src/renderer/src/log/use-fixed-rows.ts'

describe('recycled row keys', () => {
  it('keeps the keys of rows still shown and gives new rows those of rows gone', () => {
    const first = recycleKeys(new Map(), [10, 11, 12, 13])
    expect(first.keys).toEqual([0, 1, 2, 3])
    // Two rows scrolled away at the top, two came at the bottom.
    const second = recycleKeys(first.next, [12, 13, 14, 15])
    expect(second.keys).toEqual([2, 3, 0, 1])
    // A batch larger than the window: every row is new, the keys are the same four.
    const third = recycleKeys(second.next, [40, 41, 42, 43])
    expect([...third.keys].sort()).toEqual([0, 1, 2, 3])
  })

  it('never gives two rows one key, and a row shown twice in a row keeps its key', () => {
    const window = fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 25 })
    fc.assert(
      fc.property(fc.array(window, { minLength: 1, maxLength: 20 }), (windows) => {
        let previous = new Map<number, number>()
        for (const ids of windows) {
          const { keys, next } = recycleKeys(previous, ids)
          expect(new Set(keys).size).toBe(keys.length)
          ids.forEach((id, i) => {
            if (previous.has(id)) expect(keys[i]).toBe(previous.get(id))
          })
          // Keys stay within the window's size: elements are reused, not piled up.
          for (const key of keys)
            expect(key).toBeLessThan(Math.max(ids.length, ...previous.values()) + 1)
          previous = next
        }
      }),
    )
  })
})
