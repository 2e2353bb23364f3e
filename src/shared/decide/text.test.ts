import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDuration, humanizeType, plainText, truncate } from './text.ts'

// What plainText promises, written the slow and obvious way.
function reference(value: string, max: number): string {
  const text = value
    // eslint-disable-next-line no-control-regex -- the reference strips controls too
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  return truncate(text, max)
}

describe('plainText', () => {
  it('matches the whole-string reference for any text, however much whitespace it starts with', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom(' ', '\n\t ', '\u200b', '\u202e', '😀', 'x'),
      // Whitespace that is not a plain space, and clean words (the quick path).
      fc.constantFrom('\u00a0', '\u2028', '\u3000', '\ufeff', '\u0085', 'a b', 'word'),
      fc.nat(3000).map((n) => ' '.repeat(n)),
    )
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }),
        fc.integer({ min: 1, max: 130 }),
        (parts, max) => {
          const value = parts.join('')
          expect(plainText(value, max)).toBe(reference(value, max))
        },
      ),
      { numRuns: 800 },
    )
  })

  it('finds text after a long run of whitespace', () => {
    expect(plainText(`${' '.repeat(100_000)}hello  world`, 120)).toBe('hello world')
  })
})

describe('formatDuration', () => {
  it.each([
    [0, 'under a second'],
    [999, 'under a second'],
    [1000, '1 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [192_000, '3 min 12 s'],
    [3_600_000, '1 h'],
    [7_500_000, '2 h 5 min'],
    [86_400_000 + 3 * 3_600_000 + 59_000, '1 d 3 h'],
    [Number.NaN, 'under a second'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('humanizeType', () => {
  it.each([
    ['build.completed', 'Build completed'],
    ['job:failed', 'Job failed'],
    ['ci/deploy_done', 'Ci deploy done'],
    ['...', ''],
  ])('%s -> %s', (type, text) => {
    expect(humanizeType(type)).toBe(text)
  })
})
