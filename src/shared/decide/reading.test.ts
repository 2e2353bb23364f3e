import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { NotifyMode } from '../feed.ts'
import type { FieldMapping } from '../settings.ts'
import { decide } from './decide.ts'
import { FIELD_ALIASES, parseData } from './fields.ts'
import { WEBHOOK_EVENT_HEADERS } from './presets/smee.ts'
import { EventReading } from './reading.ts'

afterEach(() => vi.restoreAllMocks())

const json = (value: unknown) => JSON.stringify(value)

/** The reading that never answers from the raw text: every question goes to the parse. */
class AlwaysParsed extends EventReading {
  override mayMatter(): boolean {
    return true
  }
}

describe('EventReading', () => {
  it('parses the data once, whatever is asked and with whichever mapping', () => {
    const parse = vi.spyOn(JSON, 'parse')
    const reading = new EventReading(json({ title: 'Build', status: 'done', a: { b: 'x' } }))
    expect(reading.read().fields.title).toBe('Build')
    expect(reading.read().fields.status).toBe('done')
    expect(reading.read({ title: 'a.b' }).fields.title).toBe('x')
    expect(reading.json()).toMatchObject({ title: 'Build' })
    expect(parse).toHaveBeenCalledTimes(1)
  })

  it('reads text and other JSON as decide always did', () => {
    expect(new EventReading('just text').read()).toEqual(parseData('just text'))
    expect(new EventReading('"quoted"').read()).toEqual(parseData('"quoted"'))
    expect(new EventReading('[1,2]').read()).toEqual(parseData('[1,2]'))
    expect(new EventReading(null as never).data).toBe('')
  })

  it.each([
    ['a status', { title: 'x', status: 'done' }],
    ['a state in capitals', { TITLE: 'x', State: 'failed' }],
    ['a progress', { percent: 40 }],
    ['a link', { title: 'x', link: 'https://news.example/1' }],
    ["ntfy's topic", { event: 'message', topic: 'alerts' }],
    ["a relayed webhook's event header", { 'x-github-event': 'push', body: {} }],
    ['a key written with an escape', JSON.parse('{"st\\u0061tus":"done"}') as object],
  ])('may matter with %s', (_what, value) => {
    const data = _what.includes('escape') ? '{"st\\u0061tus":"done"}' : json(value)
    expect(new EventReading(data).mayMatter()).toBe(true)
  })

  it('may matter with a key in the Kelvin sign, which lower-cases to "k"', () => {
    const data = '{"title":"Release","lin\u212a":"https://news.example/r"}'
    expect(parseData(data).fields.url).toBe('https://news.example/r')
    expect(new EventReading(data).mayMatter()).toBe(true)
    expect(decide({ type: 'message', data })?.kind).toBe('news')
  })

  it('does not matter for a plain update, and says so without parsing it', () => {
    const parse = vi.spyOn(JSON, 'parse')
    const data = json({ title: 'Update 3', body: 'Something happened', t: 123, id: 'x' })
    const reading = new EventReading(data)
    expect(reading.mayMatter()).toBe(false)
    expect(decide({ type: 'message', data }, { notify: 'smart' }, reading)).toBeNull()
    expect(parse).not.toHaveBeenCalled()
  })

  it("may matter with a mapped path's first key, and only for the fields that can notify", () => {
    const data = json({ job: { phase: 'done' }, label: 'Nightly' })
    expect(new EventReading(data).mayMatter()).toBe(false)
    expect(new EventReading(data).mayMatter({ status: 'job.phase' })).toBe(true)
    // A mapped title alone makes no notification and no task.
    expect(new EventReading(data).mayMatter({ title: 'label' })).toBe(false)
    expect(
      decide({ type: 'message', data }, { notify: 'smart', mapping: { status: 'job.phase' } }),
    ).toMatchObject({ kind: 'task-completed', title: 'Task completed' })
  })

  it('copes with mapping paths that are no plain words', () => {
    const mapping: FieldMapping = { status: '(a|b)*.[x]', url: '\\', progress: '' }
    expect(new EventReading(json({ '(a|b)*': { '[x]': 'done' } })).mayMatter(mapping)).toBe(true)
    expect(new EventReading(json({ other: 1 })).mayMatter(mapping)).toBe(false)
    expect(new EventReading(json({ a: 1 })).mayMatter('nonsense' as never)).toBe(false)
  })
})

// Keys the rules read (all aliases, ntfy's, webhooks', mapped ones) in random case, among others.
const aliases = Object.values(FIELD_ALIASES).flat()
const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''))
const key = fc.oneof(
  fc
    .constantFrom(...aliases, 'event', 'topic', 'x-github-event', 'body', 'meta', 'job')
    .chain(anyCase),
  fc.constantFrom('lin\u212a', 'tas\u212a', '__proto__', 'ſtatus', 'İd'),
  fc.string({ maxLength: 8 }),
)
const leaf = fc.oneof(
  fc.constantFrom('done', 'failed', 'running', 'message', 'https://example.com/a', 'alerts'),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 120 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
)
const object = fc.oneof(
  fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, leaf, { maxKeys: 3 })), { maxKeys: 6 }),
  // The shapes services send: ntfy's messages, relayed webhooks.
  fc.record({ event: fc.constantFrom('message', 'open'), topic: fc.string(), message: leaf }),
  fc.record({
    'x-github-event': fc.constantFrom('push', 'workflow_run'),
    body: fc.record({ action: fc.constantFrom('completed', 'opened') }),
  }),
)
const type = fc.oneof(
  fc.constantFrom('message', 'build.completed', 'job:failed', 'task.progress', 'news', 'update'),
  fc.string({ maxLength: 12 }),
)
const mode: fc.Arbitrary<NotifyMode> = fc.oneof(
  fc.constantFrom<NotifyMode>('smart', 'all'),
  fc.record({ types: fc.array(fc.constantFrom('message', 'news', 'build.*'), { maxLength: 2 }) }),
)
const path = fc.constantFrom('status', 'job.state', 'meta.link', 'Title', 'x.y', '')
const mapping = fc.option(
  fc.record({ title: path, status: path, url: path, progress: path }, { requiredKeys: [] }),
  { nil: undefined },
)
const preset = fc.constantFrom(undefined, 'ntfy', 'smee', 'wikimedia', 'mastodon', 'firebase')

describe('EventReading (property)', () => {
  it('never says "does not matter" for data whose fields could notify or make a task', () => {
    fc.assert(
      fc.property(object, mapping, (value, map) => {
        const data = json(value)
        const { fields, object: parsed } = parseData(data, map)
        const telling =
          fields.status !== undefined ||
          fields.progress !== undefined ||
          fields.url !== undefined ||
          typeof parsed?.['topic'] === 'string' ||
          WEBHOOK_EVENT_HEADERS.some((header) => parsed !== null && Object.hasOwn(parsed, header))
        if (telling) expect(new EventReading(data).mayMatter(map)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('decides exactly as when the data is always parsed', () => {
    fc.assert(
      fc.property(object, type, mode, mapping, preset, (value, eventType, notify, map, id) => {
        const options = { notify, ...(map ? { mapping: map } : {}), ...(id ? { preset: id } : {}) }
        const event = { type: eventType, data: json(value) }
        const parsed = decide(event, options, new AlwaysParsed(event.data))
        expect(decide(event, options)).toEqual(parsed)
        expect(decide(event, options, new EventReading(event.data))).toEqual(parsed)
      }),
      { numRuns: 2000 },
    )
  })
})
