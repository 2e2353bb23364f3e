// Random event streams, random chunkings and random UTF-8: the engine delivers the same events
// however the bytes are split, and the same events the HTML standard's algorithm yields.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cutAt, engineParse } from './engine-parse.ts'
import { referenceParse, type ParsedEvent } from './reference-sse.ts'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

// Field values: any valid Unicode (multi-byte, combining, emoji, NUL, BOM, separators), no line breaks.
const tricky = fc.constantFrom(
  '\0',
  '\uFEFF',
  ':',
  ' ',
  '  ',
  'é',
  '𝄞',
  '\u2028',
  '\u0085',
  'data:',
)
const text = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), tricky), { maxLength: 4 })
  .map((parts) => parts.join('').replace(/[\r\n]/g, ''))

interface ModelEvent {
  kind: 'event'
  type: string | null
  id: string | null
  data: string[]
}
type Item =
  | ModelEvent
  | { kind: 'comment'; text: string }
  | { kind: 'retry'; value: string }
  | { kind: 'unknown'; field: string; value: string }

const item: fc.Arbitrary<Item> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      type: fc.option(text),
      id: fc.option(text),
      data: fc.array(text, { minLength: 1, maxLength: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('comment' as const), text }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('retry' as const),
      value: fc.oneof(fc.nat({ max: 100_000 }).map(String), text),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unknown' as const),
      field: fc.constantFrom('foo', 'Data', 'EVENT', 'id ', 'dat', 'retry ', ' data'),
      value: text,
    }),
  },
)

const ending = fc.constantFrom('\n', '\r\n', '\r')

const stream = fc.record({
  bom: fc.boolean(),
  items: fc.array(item, { maxLength: 30, size: 'medium' }),
  endings: fc.array(ending, { minLength: 1, maxLength: 40 }),
  unfinished: fc.option(text),
})
type Stream = typeof stream extends fc.Arbitrary<infer T> ? T : never

/** The stream's bytes and the events the standard says it carries (from the model, not a parser). */
function serialize(s: Stream): { bytes: Uint8Array; expected: ParsedEvent[] } {
  const lines: string[] = []
  const expected: ParsedEvent[] = []
  let lastId = ''
  for (const entry of s.items) {
    if (entry.kind === 'comment') lines.push(`:${entry.text}`)
    else if (entry.kind === 'retry') lines.push(`retry: ${entry.value}`)
    else if (entry.kind === 'unknown') lines.push(`${entry.field}: ${entry.value}`)
    else {
      if (entry.type !== null) lines.push(`event: ${entry.type}`)
      if (entry.id !== null) lines.push(`id: ${entry.id}`)
      for (const line of entry.data) lines.push(`data: ${line}`)
      lines.push('')
      if (entry.id !== null && !entry.id.includes('\0')) lastId = entry.id
      expected.push({
        type: entry.type ? entry.type : 'message',
        data: entry.data.join('\n'),
        id: lastId,
      })
    }
  }
  // A last event without its closing empty line is never dispatched.
  if (s.unfinished !== null) lines.push(`data: ${s.unfinished}`)
  let body = s.bom ? '\uFEFF' : ''
  let previous = ''
  lines.forEach((line, i) => {
    let end = s.endings[i % s.endings.length]!
    // CR then LF is one line break: an empty line after a CR needs a break of its own.
    if (previous === '\r' && line === '' && end === '\n') end = '\r\n'
    body += line + end
    previous = end
  })
  return { bytes: utf8(body), expected }
}

const cuts = fc.array(fc.nat({ max: 4000 }), { maxLength: 30 })

// Fragments that steer random bytes towards fields, line breaks, BOMs and broken UTF-8.
const fragment = fc.oneof(
  fc
    .constantFrom('data:', 'data: ', 'id:', 'id: ', 'event:', 'retry:', ':', ' ', 'x', '\n')
    .map(utf8),
  fc.constantFrom('\r', '\r\n', '\n\n', '\uFEFF', '\0', 'é', '😀', '\u2028').map(utf8),
  fc.uint8Array({ minLength: 1, maxLength: 4 }),
  fc
    .constantFrom(
      [0xff],
      [0xc3],
      [0xe2, 0x82],
      [0xed, 0xa0, 0x80],
      [0xf0, 0x9f, 0x98],
      [0xc0, 0xaf],
    )
    .map((b) => Uint8Array.from(b)),
)
const soup = fc
  .array(fragment, { maxLength: 120, size: 'large' })
  .map((parts): Uint8Array => Buffer.concat(parts))

describe('stream parsing (property)', () => {
  it('the reference parser agrees with the stream model (checks the oracle)', () => {
    fc.assert(
      fc.property(stream, (s) => {
        const { bytes, expected } = serialize(s)
        expect(referenceParse(bytes)).toEqual(expected)
      }),
      { numRuns: 500 },
    )
  })

  it('random event streams, whole or in random chunks, give exactly the modelled events', async () => {
    await fc.assert(
      fc.asyncProperty(stream, cuts, async (s, offsets) => {
        const { bytes, expected } = serialize(s)
        expect(await engineParse([bytes])).toEqual(expected)
        expect(await engineParse(cutAt(bytes, offsets))).toEqual(expected)
      }),
      { numRuns: 250 },
    )
  })

  it('random bytes and broken UTF-8 in random chunks give what the unsplit stream gives', async () => {
    await fc.assert(
      fc.asyncProperty(soup, cuts, async (bytes, offsets) => {
        const whole = await engineParse([bytes])
        expect(whole).toEqual(referenceParse(bytes))
        expect(await engineParse(cutAt(bytes, offsets))).toEqual(whole)
      }),
      { numRuns: 300 },
    )
  })

  it('a stream split at every byte gives the events of the unsplit stream', async () => {
    await fc.assert(
      fc.asyncProperty(stream, async (s) => {
        const { bytes, expected } = serialize(s)
        const oneByOne = Array.from(bytes, (_b, i) => bytes.subarray(i, i + 1))
        expect(await engineParse(oneByOne)).toEqual(expected)
      }),
      { numRuns: 40 },
    )
  })
})
