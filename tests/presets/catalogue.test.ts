// The preset catalogue's pure functions and the preset-aware notification decision.
import { describe, expect, it } from 'vitest'
import { decide } from '../../src/shared/decide/decide.ts'
import { htmlToText } from '../../src/shared/decide/presets/html-text.ts'
import {
  authHeader,
  buildPresetUrl,
  detectPreset,
  feedFromPreset,
  jsonPaths,
  PRESETS,
  presetById,
  presetEngineOptions,
  valueAtPath,
} from '../../src/shared/presets.ts'
import { feedSettingSchema } from '../../src/shared/settings.ts'

describe('catalogue', () => {
  it('every preset makes a valid feed, with its notification mode and mapping', () => {
    for (const preset of PRESETS) {
      const feed = feedFromPreset(preset.id, {
        id: preset.id,
        name: preset.label,
        url: 'https://example.com/x',
      })
      const parsed = feedSettingSchema.parse(feed)
      expect(parsed.preset).toBe(preset.id)
      expect(parsed.notify).toEqual(preset.notify)
      expect(parsed.mapping ?? {}).toEqual(preset.mapping)
    }
  })

  it('an unknown or missing preset is Generic', () => {
    expect(presetById('demo').id).toBe('generic')
    expect(presetById(undefined).id).toBe('generic')
  })

  it('gives the engine each preset’s resume rule', () => {
    expect(presetEngineOptions('ntfy')).toEqual({
      resumeQuery: { param: 'since', field: 'id', eventTypes: ['message'] },
    })
    expect(presetEngineOptions('smee')).toEqual({ ignoreEventIds: true })
    expect(presetEngineOptions('mastodon')).toEqual({ ignoreEventIds: true })
    for (const id of ['generic', 'mercure', 'wikimedia', 'firebase', undefined])
      expect(presetEngineOptions(id)).toEqual({})
  })
})

describe('buildPresetUrl', () => {
  it.each([
    [
      'ntfy',
      { server: 'https://ntfy.sh/', topics: 'alerts, backups' },
      'https://ntfy.sh/alerts,backups/sse',
    ],
    [
      'ntfy',
      { server: 'https://push.example/ntfy', topics: 'a' },
      'https://push.example/ntfy/a/sse',
    ],
    [
      'mercure',
      { hub: 'https://example.com', topics: 'https://example.com/books/{id}, news' },
      'https://example.com/.well-known/mercure?topic=https%3A%2F%2Fexample.com%2Fbooks%2F%7Bid%7D&topic=news',
    ],
    ['smee', { url: 'https://smee.io/AbC' }, 'https://smee.io/AbC'],
    [
      'wikimedia',
      { streams: 'recentchange,page-create' },
      'https://stream.wikimedia.org/v2/stream/recentchange,page-create',
    ],
    [
      'mastodon',
      { instance: 'https://mastodon.social', stream: 'hashtag?tag=rust' },
      'https://mastodon.social/api/v1/streaming/hashtag?tag=rust',
    ],
    [
      'mastodon',
      { instance: 'https://mastodon.social' },
      'https://mastodon.social/api/v1/streaming/user',
    ],
    [
      'firebase',
      { database: 'https://app.firebaseio.com', path: '/chat/rooms/' },
      'https://app.firebaseio.com/chat/rooms.json',
    ],
  ] as const)('%s %j -> %s', (preset, values, url) => {
    expect(buildPresetUrl(preset, values)).toEqual({ ok: true, value: url })
  })

  it.each([
    ['ntfy', { server: 'https://ntfy.sh', topics: '' }, 'Enter at least one topic.'],
    ['ntfy', { server: 'https://ntfy.sh', topics: 'a b' }, '"a b" is not an ntfy topic'],
    ['ntfy', { server: 'ftp://x', topics: 'a' }, 'Server: Only http and https'],
    ['mercure', { hub: '', topics: 'x' }, 'Hub: Enter a URL.'],
    ['mastodon', { instance: 'https://m.example', stream: '../admin' }, 'is not a Mastodon stream'],
    ['wikimedia', { streams: 'a/b' }, '"a/b" is not a stream name.'],
  ] as const)('%s %j is refused with a clear message', (preset, values, message) => {
    const result = buildPresetUrl(preset, values)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toContain(message)
  })
})

describe('detectPreset', () => {
  it.each([
    ['https://ntfy.sh/alerts/sse', 'ntfy'],
    ['https://push.example/a,b/sse', 'ntfy'],
    ['https://example.com/.well-known/mercure?topic=x', 'mercure'],
    ['https://smee.io/AbC', 'smee'],
    ['https://stream.wikimedia.org/v2/stream/recentchange', 'wikimedia'],
    ['https://mastodon.social/api/v1/streaming/user', 'mastodon'],
    ['https://app.firebaseio.com/chat.json', 'firebase'],
    ['https://app-default-rtdb.europe-west1.firebasedatabase.app/x.json', 'firebase'],
    ['https://ci.example/events', 'generic'],
    ['not a url', 'generic'],
  ])('%s -> %s', (url, preset) => {
    expect(detectPreset(url)).toBe(preset)
  })
})

describe('authHeader', () => {
  it('encodes Basic auth from UTF-8, marked secret', () => {
    expect(authHeader({ kind: 'basic', user: 'jürgen', password: 'pässword' })).toEqual({
      ok: true,
      value: {
        name: 'Authorization',
        value: `Basic ${Buffer.from('jürgen:pässword', 'utf8').toString('base64')}`,
        secret: true,
      },
    })
  })

  it('makes a Bearer header and nothing for none', () => {
    expect(authHeader({ kind: 'bearer', token: ' tk_abc ' })).toEqual({
      ok: true,
      value: { name: 'Authorization', value: 'Bearer tk_abc', secret: true },
    })
    expect(authHeader({ kind: 'none' })).toEqual({ ok: true, value: null })
  })

  it.each([
    [{ kind: 'bearer', token: '' }, 'Enter the token.'],
    [{ kind: 'bearer', token: 'a\nb' }, 'no spaces or line breaks'],
    [{ kind: 'basic', user: '', password: 'x' }, 'Enter the user name.'],
    [{ kind: 'basic', user: 'a:b', password: 'x' }, 'cannot contain ":"'],
    [{ kind: 'basic', user: 'a', password: 'x\r\n' }, 'line breaks'],
  ] as const)('%j is refused', (auth, message) => {
    const result = authHeader(auth)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toContain(message)
  })
})

describe('valueAtPath and jsonPaths (the mapping editor)', () => {
  const data = { a: { b: [{ c: 'deep' }] }, n: 0, proto: 1 }
  it('reads dotted paths, array items by index, own properties only', () => {
    expect(valueAtPath(data, 'a.b.0.c')).toBe('deep')
    expect(valueAtPath(data, 'n')).toBe(0)
    expect(valueAtPath(data, 'a.x')).toBeUndefined()
    expect(valueAtPath(data, '__proto__')).toBeUndefined()
    expect(valueAtPath(data, 'a..b')).toBeUndefined()
    expect(valueAtPath('text', 'length')).toBeUndefined()
  })

  it('lists the paths there are, bounded', () => {
    expect(jsonPaths(data)).toEqual(['a', 'a.b', 'a.b.0', 'a.b.0.c', 'n', 'proto'])
    expect(jsonPaths({ x: Array.from({ length: 500 }, (_, i) => i) }, 10)).toHaveLength(10)
  })
})

describe('decide with a preset', () => {
  const ntfyKeepalive = {
    type: 'keepalive',
    data: '{"id":"k","time":1,"event":"keepalive","topic":"a"}',
  }

  it('health events raise nothing, even in All, unless their type is listed', () => {
    expect(decide({ type: 'ping', data: '{}' }, { notify: 'all', preset: 'smee' })).toBeNull()
    expect(decide({ type: 'ready', data: '{}' }, { notify: 'all', preset: 'smee' })).toBeNull()
    expect(decide(ntfyKeepalive, { notify: 'all', preset: 'ntfy' })).toBeNull()
    expect(
      decide({ type: 'ready', data: '{}' }, { notify: { types: ['ready'] }, preset: 'smee' })?.kind,
    ).toBe('message')
    // Without the preset, "ready" is just another event type.
    expect(decide({ type: 'ready', data: '{}' }, { notify: 'all' })?.title).toBe('Ready')
  })

  it('a mapping the user changed wins over the preset’s own reading', () => {
    const event = {
      type: 'put',
      data: JSON.stringify({ path: '/m1', data: { text: 'hello', by: 'ada' } }),
    }
    expect(decide(event, { notify: 'smart', preset: 'firebase' })).toEqual({
      kind: 'message',
      title: 'Set /m1',
      body: 'text: hello, by: ada',
    })
    expect(
      decide(event, {
        notify: 'smart',
        preset: 'firebase',
        mapping: { title: 'data.by', body: 'data.text' },
      }),
    ).toEqual({ kind: 'message', title: 'ada', body: 'hello' })
  })

  it('a snapshot or a deletion stays in the log, even in All', () => {
    const snapshot = { type: 'put', data: '{"path":"/","data":{"a":1}}' }
    expect(decide(snapshot, { notify: 'all', preset: 'firebase' })).toBeNull()
    expect(
      decide({ type: 'delete', data: '123' }, { notify: 'all', preset: 'mastodon' }),
    ).toBeNull()
  })

  it('a relayed GitHub webhook gets a readable title on any feed', () => {
    const data = JSON.stringify({
      'x-github-event': 'pull_request',
      body: {
        action: 'opened',
        pull_request: {
          number: 12,
          title: 'Add presets',
          html_url: 'https://github.com/o/r/pull/12',
        },
        repository: { full_name: 'o/r' },
        sender: { login: 'ada' },
      },
    })
    expect(decide({ type: 'message', data }, { notify: 'smart' })).toEqual({
      kind: 'message',
      title: 'pull_request opened: #12 Add presets',
      body: 'o/r · by ada',
      url: 'https://github.com/o/r/pull/12',
    })
  })

  it('never opens a non-http link from a preset’s data', () => {
    const data = JSON.stringify({
      'x-github-event': 'issues',
      body: { action: 'opened', issue: { number: 1, title: 'x', html_url: 'javascript:alert(1)' } },
    })
    expect(decide({ type: 'message', data }, { notify: 'smart' })?.url).toBeUndefined()
  })
})

describe('htmlToText', () => {
  it.each([
    ['<p>a</p><p>b</p>', 'a\nb'],
    ['a<br>b<br/>c', 'a\nb\nc'],
    ['&lt;script&gt; &amp; &quot;x&quot; &#39;y&#39; &#x1F600;', '<script> & "x" \'y\' 😀'],
    ['<img src=x onerror=alert(1)>ok', 'ok'],
    ['unclosed <b', 'unclosed'],
    ['&#0; &#xD800; &bogus;', '&#0; &#xD800; &bogus;'],
  ])('%j -> %j', (html, text) => {
    expect(htmlToText(html)).toBe(text)
  })
})
