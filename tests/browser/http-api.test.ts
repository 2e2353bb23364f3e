/// <reference lib="dom" />
// The window's TidingsApi over HTTP, on its own (plain TypeScript, no browser): how it holds
// pushes until the window is ready and drops the state pushes its snapshot already supersedes.
// The browser's EventSource and fetch are stand-ins here; tests/browser/real-core.test.ts runs
// the same code in Chromium against the real server.
import { describe, expect, it } from 'vitest'
import { createHttpApi } from '../../src/renderer/src/web/http-api.ts'
import type { FeedStatus } from '../../src/shared/ipc.ts'

class FakeSource {
  static CONNECTING = 0
  static OPEN = 1
  static CLOSED = 2
  static last: FakeSource | null = null
  readonly url: string
  readyState = FakeSource.CONNECTING
  readonly listeners = new Map<string, Array<(event: unknown) => void>>()
  constructor(url: string) {
    this.url = url
    FakeSource.last = this
  }
  addEventListener(type: string, listener: (event: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }
  emit(type: string, id: string, data: unknown = {}) {
    for (const listener of this.listeners.get(type) ?? [])
      listener({ lastEventId: id, data: JSON.stringify(data) })
  }
  close() {
    this.readyState = FakeSource.CLOSED
  }
}

const feeds = (name: string): FeedStatus[] => [{ id: 'a', name } as FeedStatus]

function setup(answers: Record<string, { result: unknown; stamp: number }>) {
  const requests: string[] = []
  const { api } = createHttpApi({
    EventSource: FakeSource as unknown as typeof EventSource,
    fetch: (async (url: string) => {
      const channel = decodeURIComponent(url.split('/api/')[1]!)
      requests.push(channel)
      const answer = answers[channel] ?? { result: null, stamp: 0 }
      return new Response(JSON.stringify({ result: answer.result }), {
        headers: { 'X-Tidings-Push': String(answer.stamp) },
      })
    }) as typeof fetch,
    storage: { getItem: () => null, setItem: () => {} },
  })
  return { api, source: FakeSource.last!, requests }
}

describe('the HTTP TidingsApi', () => {
  it('holds pushes until ready; drops state pushes older than the snapshot, keeps newer ones', async () => {
    const snapshot = { feeds: feeds('from snapshot'), events: [], tasks: [], pause: null }
    const { api, source, requests } = setup({ 'snapshot:get': { result: snapshot, stamp: 5 } })
    const seen: string[] = []
    api.onFeeds((list) => seen.push(list[0]!.name))
    const loading = api.getSnapshot()
    // No snapshot request before the stream is there: a push in between would be lost.
    await Promise.resolve()
    expect(requests).toEqual([])
    source.emit('hello', 'run1-3')
    expect((await loading).feeds[0]!.name).toBe('from snapshot')
    source.emit('push', 'run1-4', { channel: 'feeds', payload: feeds('older') })
    source.emit('push', 'run1-6', { channel: 'feeds', payload: feeds('newer') })
    expect(seen).toEqual([])
    await api.ready()
    expect(requests).toEqual(['snapshot:get', 'window:ready'])
    expect(seen).toEqual(['newer'])
    source.emit('push', 'run1-7', { channel: 'feeds', payload: feeds('live') })
    expect(seen).toEqual(['newer', 'live'])
  })

  it('a reset reloads the state and hands it to the listeners', async () => {
    const event = {
      seq: 9,
      feedId: 'a',
      type: 'm',
      data: '',
      id: '',
      receivedAt: 0,
      notification: null,
    }
    const snapshot = { feeds: feeds('reloaded'), events: [event], tasks: [], pause: null }
    const { api, source } = setup({
      'snapshot:get': { result: snapshot, stamp: 20 },
      'settings:get': { result: { feeds: [] }, stamp: 20 },
    })
    const names: string[] = []
    const seqs: number[] = []
    const reloaded = new Promise<void>((resolve) =>
      api.onFeeds((list) => {
        names.push(list[0]!.name)
        resolve()
      }),
    )
    api.onEvents((batch) => seqs.push(...batch.map((e) => e.seq)))
    source.emit('hello', 'run1-0')
    await api.getSnapshot()
    await api.ready()
    source.emit('reset', 'run1-20')
    await reloaded
    expect(names).toEqual(['reloaded'])
    expect(seqs).toEqual([9])
    expect(api.lastSeq).toBe(9)
  })

  it('counts a snapshot’s events in lastSeq only once the window has taken them', async () => {
    const event = { feedId: 'f', type: 'message', data: 'x', id: '1', receivedAt: 1, seq: 9 }
    const snapshot = {
      feeds: feeds('one'),
      events: [{ ...event, notification: null }],
      tasks: [],
      pause: null,
    }
    const { api, source } = setup({ 'snapshot:get': { result: snapshot, stamp: 1 } })
    source.emit('hello', 'run1-0')
    await api.getSnapshot()
    // Loaded, not yet in the window: it takes the events, then says it is ready.
    expect(api.lastSeq).toBe(0)
    await api.ready()
    expect(api.lastSeq).toBe(9)
  })

  it('an error answer rejects with the server’s message', async () => {
    const { api, source } = setup({})
    source.emit('hello', 'run1-0')
    const failing = createHttpApi({
      EventSource: FakeSource as unknown as typeof EventSource,
      fetch: (async () =>
        new Response(JSON.stringify({ error: 'Invalid arguments for feed:snooze' }), {
          status: 400,
        })) as typeof fetch,
      storage: { getItem: () => null, setItem: () => {} },
    })
    await expect(failing.api.snoozeFeed('a', -1)).rejects.toThrow(
      'Invalid arguments for feed:snooze',
    )
    expect(await api.openLink('javascript:alert(1)')).toBe(false)
  })
})
