import { describe, expect, it } from 'vitest'
import { BoundedSet, eventKey } from './dedupe.ts'

const base = { feedId: 'ci', id: '', seq: 1, type: 'build.done', data: '{"task":"a"}' }

describe('eventKey', () => {
  it('keys id-less events by feed and seq', () => {
    expect(eventKey(base)).toBe(eventKey({ ...base, data: 'other' }))
    expect(eventKey(base)).not.toBe(eventKey({ ...base, seq: 2 }))
    expect(eventKey(base)).not.toBe(eventKey({ ...base, feedId: 'other' }))
  })

  it('keys events with an id by feed, id and content, whatever their seq', () => {
    const event = { ...base, id: '42' }
    expect(eventKey(event)).toBe(eventKey({ ...event, seq: 99 }))
    expect(eventKey(event)).not.toBe(eventKey({ ...event, id: '43' }))
    expect(eventKey(event)).not.toBe(eventKey({ ...event, feedId: 'other' }))
    // An id-less event after id 42 inherits it, but is a different event.
    expect(eventKey(event)).not.toBe(eventKey({ ...event, data: '{"task":"b"}' }))
    expect(eventKey(event)).not.toBe(eventKey({ ...event, type: 'build.failed' }))
  })
})

describe('BoundedSet', () => {
  it('says whether a key is new', () => {
    const set = new BoundedSet(10)
    expect(set.add('a')).toBe(true)
    expect(set.add('a')).toBe(false)
    expect(set.add('b')).toBe(true)
  })

  it('forgets the oldest keys beyond its limit', () => {
    const set = new BoundedSet(3)
    for (const key of ['a', 'b', 'c', 'd']) set.add(key)
    expect(set.size).toBe(3)
    expect(set.add('a')).toBe(true)
    expect(set.add('d')).toBe(false)
    for (let i = 0; i < 10_000; i++) set.add(`k${i}`)
    expect(set.size).toBe(3)
  })
})
