import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { editDistance, nearest } from './suggest.ts'

const COMMANDS = ['tail', 'demo', 'ui', 'help', 'version']
const OPTIONS = [
  '--json',
  '--raw',
  '--retry',
  '--header',
  '--max-events',
  '--until-end',
  '--notify',
]

describe('nearest', () => {
  it.each([
    ['tial', COMMANDS, 'tail'],
    ['tali', COMMANDS, 'tail'],
    ['tails', COMMANDS, 'tail'],
    ['Tail', COMMANDS, 'tail'],
    ['deom', COMMANDS, 'demo'],
    ['--jsno', OPTIONS, '--json'],
    ['--max-event', OPTIONS, '--max-events'],
    ['--untill-end', OPTIONS, '--until-end'],
    ['--retyr', OPTIONS, '--retry'],
    ['--notfy', OPTIONS, '--notify'],
  ])('suggests %s -> %s', (typed, candidates, expected) => {
    expect(nearest(typed, candidates)).toBe(expected)
  })

  it.each([
    ['frobnicate', COMMANDS],
    ['x', COMMANDS],
    ['--bogus', OPTIONS],
    ['', COMMANDS],
  ])('suggests nothing for %j, which is not near any', (typed, candidates) => {
    expect(nearest(typed, candidates)).toBeUndefined()
  })
})

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one each', () => {
    expect(editDistance('tail', 'tail')).toBe(0)
    expect(editDistance('tial', 'tail')).toBe(1)
    expect(editDistance('tai', 'tail')).toBe(1)
    expect(editDistance('tall', 'tail')).toBe(1)
    expect(editDistance('', 'tail')).toBe(4)
    expect(editDistance('kitten', 'sitting')).toBe(3)
  })

  it('is a symmetric measure that is zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const distance = editDistance(a, b)
        expect(distance).toBe(editDistance(b, a))
        expect(distance === 0).toBe(a === b)
        expect(distance).toBeLessThanOrEqual(Math.max(a.length, b.length))
        expect(distance).toBeGreaterThanOrEqual(Math.abs(a.length - b.length))
      }),
    )
  })
})
