import { describe, expect, it } from 'vitest'
import type { FeedEvent } from '../feed.ts'
import { decide, readEventFields, type DecideOptions } from './decide.ts'

const json = (value: unknown): string => JSON.stringify(value)
const ev = (type: string, data: unknown = ''): Pick<FeedEvent, 'type' | 'data'> => ({
  type,
  data: typeof data === 'string' ? data : json(data),
})
const smart: DecideOptions = { notify: 'smart' }

describe('readEventFields', () => {
  it.each(['title', 'name', 'headline', 'subject', 'task', 'job'])(
    'reads the title from %s',
    (key) => {
      expect(readEventFields(json({ [key]: 'Build #42' })).title).toBe('Build #42')
    },
  )

  it.each(['body', 'message', 'text', 'description', 'error'])('reads the body from %s', (key) => {
    expect(readEventFields(json({ [key]: 'All green' })).body).toBe('All green')
  })

  it.each(['url', 'link', 'href', 'click'])('reads the url from %s', (key) => {
    expect(readEventFields(json({ [key]: 'https://ci.example/42' })).url).toBe(
      'https://ci.example/42',
    )
  })

  it.each(['status', 'state', 'result'])('reads the status from %s, lower-cased', (key) => {
    expect(readEventFields(json({ [key]: ' Running ' })).status).toBe('running')
  })

  it.each([
    [{ progress: 0.25 }, 0.25],
    [{ progress: 1 }, 1],
    [{ progress: 45 }, 0.45],
    [{ progress: '45%' }, 0.45],
    [{ progress: '0.5' }, 0.5],
    [{ percent: 1 }, 0.01],
    [{ percent: 80 }, 0.8],
    [{ percent: '80' }, 0.8],
    [{ progress: 250 }, 1],
    [{ progress: -3 }, 0],
    [{ progress: { current: 3, total: 12 } }, 0.25],
  ])('reads progress %j as %d', (data, expected) => {
    expect(readEventFields(json(data)).progress).toBeCloseTo(expected, 10)
  })

  it.each([
    [{ progress: 'soon' }],
    [{ progress: null }],
    [{ progress: { current: 3, total: 0 } }],
    [{ progress: true }],
  ])('ignores unreadable progress %j', (data) => {
    expect(readEventFields(json(data))).not.toHaveProperty('progress')
  })

  it('prefers aliases in their listed order', () => {
    const fields = readEventFields(
      json({
        job: 'J',
        name: 'N',
        title: 'T',
        error: 'E',
        body: 'B',
        click: 'http://c/',
        url: 'http://u/',
      }),
    )
    expect(fields).toMatchObject({ title: 'T', body: 'B', url: 'http://u/' })
  })

  it('matches keys case-insensitively', () => {
    expect(readEventFields(json({ Title: 'Hi', STATUS: 'Done', Link: 'http://x/' }))).toEqual({
      title: 'Hi',
      status: 'done',
      url: 'http://x/',
    })
  })

  it('reads a task id and a priority', () => {
    expect(readEventFields(json({ job_id: 7, priority: 'high' }))).toEqual({
      taskId: '7',
      priority: 4,
    })
    expect(readEventFields(json({ id: 'abc', priority: 2 }))).toEqual({
      taskId: 'abc',
      priority: 2,
    })
    expect(readEventFields(json({ priority: 9 }))).toEqual({})
    expect(readEventFields(json({ priority: 'constructor' }))).toEqual({})
  })

  it('skips alias values that are not text and falls through to the next alias', () => {
    expect(readEventFields(json({ title: { nested: 1 }, name: 'Fallback' })).title).toBe('Fallback')
    expect(readEventFields(json({ title: '   ', name: 'Blank title skipped' })).title).toBe(
      'Blank title skipped',
    )
    expect(readEventFields(json({ title: ['a'], status: 3, url: 42 }))).toEqual({})
  })

  it('uses the feed mapping (dotted paths) before the aliases', () => {
    const data = json({
      title: 'alias',
      payload: { headline: 'mapped', items: [{ href: 'https://mapped.example/' }] },
      run: { state: 'Succeeded', pct: 30, key: 'r-1' },
    })
    const fields = readEventFields(data, {
      title: 'payload.headline',
      url: 'payload.items.0.href',
      status: 'run.state',
      progress: 'run.pct',
      taskId: 'run.key',
    })
    expect(fields).toEqual({
      title: 'mapped',
      url: 'https://mapped.example/',
      status: 'succeeded',
      progress: 0.3,
      taskId: 'r-1',
    })
  })

  it('falls back to the aliases when a mapped path is missing', () => {
    expect(readEventFields(json({ title: 'alias' }), { title: 'nope.nothing' }).title).toBe('alias')
  })

  it('never reads inherited properties through a mapping path', () => {
    const fields = readEventFields(json({ a: {} }), {
      title: 'a.constructor.name',
      body: '__proto__.toString',
    })
    expect(fields).toEqual({})
  })

  it('returns nothing for data that is not a JSON object', () => {
    for (const data of ['', 'plain text', '[{"title":"x"}]', '"title"', '42', 'null', '{broken'])
      expect(readEventFields(data)).toEqual({})
  })
})

describe('decide: task outcomes from the event type', () => {
  const completedWords = ['complete', 'completed', 'done', 'finished', 'succeeded', 'success']
  const failedWords = ['fail', 'failed', 'failure', 'error', 'cancelled', 'canceled', 'timeout']
  const separators = ['.', ':', '_', '-']

  for (const word of completedWords)
    for (const sep of separators)
      it(`"build${sep}${word}" is task-completed`, () => {
        expect(decide(ev(`build${sep}${word}`), smart)?.kind).toBe('task-completed')
      })

  for (const word of failedWords)
    for (const sep of separators)
      it(`"build${sep}${word}" is task-failed`, () => {
        expect(decide(ev(`build${sep}${word}`), smart)?.kind).toBe('task-failed')
      })

  it('reads the bare word, any case, camelCase and multi-part types', () => {
    expect(decide(ev('DONE'), smart)?.kind).toBe('task-completed')
    expect(decide(ev('Job.Failed'), smart)?.kind).toBe('task-failed')
    expect(decide(ev('taskCompleted'), smart)?.kind).toBe('task-completed')
    expect(decide(ev('ci:pipeline.stage-succeeded'), smart)?.kind).toBe('task-completed')
  })

  it('only looks at the last part of the type', () => {
    expect(decide(ev('completed.build'), smart)).toBeNull()
    expect(decide(ev('failed-jobs-report'), smart)).toBeNull()
    expect(decide(ev('incomplete'), smart)).toBeNull()
    expect(decide(ev('builddone'), smart)).toBeNull()
  })

  it('names the task and says what happened', () => {
    expect(decide(ev('build.completed'), smart)).toEqual({
      kind: 'task-completed',
      title: 'Build completed',
      body: '',
    })
    expect(decide(ev('job.failed', { name: 'Nightly', error: 'exit code 2' }), smart)).toEqual({
      kind: 'task-failed',
      title: 'Nightly failed',
      body: 'exit code 2',
    })
    expect(decide(ev('job.cancelled', { name: 'Nightly' }), smart)?.title).toBe('Nightly cancelled')
    expect(decide(ev('job.timeout', { name: 'Nightly' }), smart)?.title).toBe('Nightly timed out')
    expect(decide(ev('deploy.done', { title: 'Deploy finished' }), smart)?.title).toBe(
      'Deploy finished',
    )
    expect(decide(ev('build.done', 'Artifacts uploaded'), smart)?.body).toBe('Artifacts uploaded')
  })
})

describe('decide: task outcomes from the status', () => {
  it.each(['completed', 'done', 'finished', 'succeeded', 'success', 'Success', 'DONE'])(
    'status %s is task-completed',
    (status) => {
      const decision = decide(ev('message', { task: 'Build #42', status }), smart)
      expect(decision).toEqual({ kind: 'task-completed', title: 'Build #42 completed', body: '' })
    },
  )

  it.each([
    'fail',
    'failed',
    'failure',
    'error',
    'cancelled',
    'canceled',
    'timeout',
    'timed_out',
    'timed-out',
  ])('status %s is task-failed', (status) => {
    expect(decide(ev('message', { job: 'Nightly', state: status }), smart)?.kind).toBe(
      'task-failed',
    )
  })

  it('reads the status through every alias', () => {
    for (const key of ['status', 'state', 'result'])
      expect(decide(ev('update', { [key]: 'failed' }), smart)?.kind).toBe('task-failed')
  })

  it('lets a failure win over a completion', () => {
    expect(decide(ev('workflow.completed', { status: 'failure' }), smart)?.kind).toBe('task-failed')
    expect(decide(ev('job.failed', { status: 'done' }), smart)?.kind).toBe('task-failed')
  })

  it('ignores running and other statuses', () => {
    for (const status of ['running', 'queued', 'in_progress', 'ok', 'started'])
      expect(decide(ev('message', { title: 'Build', status }), smart)).toBeNull()
  })

  it('gives a task without any name a generic title', () => {
    expect(decide(ev('message', { status: 'done' }), smart)?.title).toBe('Task completed')
    expect(decide(ev('message', { status: 'done', id: 'r-9' }), smart)?.title).toBe('r-9 completed')
  })
})

describe('decide: news', () => {
  it.each(['news', 'article', 'post', 'headline', 'story', 'announcement', 'blog.post'])(
    'type %s is news',
    (type) => {
      expect(decide(ev(type, { title: 'Hello' }), smart)).toEqual({
        kind: 'news',
        title: 'Hello',
        body: '',
      })
    },
  )

  it('a news type with plain text data shows the text', () => {
    expect(decide(ev('announcement', 'We ship on Friday'), smart)).toEqual({
      kind: 'news',
      title: 'Announcement',
      body: 'We ship on Friday',
    })
  })

  it('a JSON object with a title and a url is news', () => {
    expect(
      decide(
        ev('message', { headline: 'Rust 2.0', link: 'https://blog.example/rust', text: 'At last' }),
        smart,
      ),
    ).toEqual({
      kind: 'news',
      title: 'Rust 2.0',
      body: 'At last',
      url: 'https://blog.example/rust',
    })
  })

  it('is not news with a status or progress, without a url, or on a progress type', () => {
    const item = { title: 'Build', url: 'https://ci.example/1' }
    expect(decide(ev('message', { ...item, status: 'running' }), smart)).toBeNull()
    expect(decide(ev('message', { ...item, progress: 0.5 }), smart)).toBeNull()
    expect(decide(ev('message', { title: 'Build' }), smart)).toBeNull()
    expect(decide(ev('message', { ...item, url: 'javascript:alert(1)' }), smart)).toBeNull()
    expect(decide(ev('build.progress', item), smart)).toBeNull()
  })
})

describe('decide: ntfy', () => {
  const base = { id: 'x1', time: 1_700_000_000, topic: 'alerts' }

  it('a message notifies with its title, message and click url', () => {
    const data = {
      ...base,
      event: 'message',
      title: 'Disk',
      message: 'Disk  is\nfull',
      click: 'https://grafana.example/d/1',
      priority: 4,
    }
    expect(decide(ev('message', data), smart)).toEqual({
      kind: 'message',
      title: 'Disk',
      body: 'Disk is full',
      url: 'https://grafana.example/d/1',
    })
  })

  it('a message without a title is titled by its topic', () => {
    expect(decide(ev('message', { ...base, event: 'message', message: 'hi' }), smart)).toEqual({
      kind: 'message',
      title: 'alerts',
      body: 'hi',
    })
  })

  it('open and keepalive raise nothing, in smart and in all mode', () => {
    for (const event of ['open', 'keepalive', 'poll_request'])
      for (const notify of ['smart', 'all'] as const)
        expect(decide(ev(event, { ...base, event }), { notify })).toBeNull()
  })

  it('a message below the feed minimum priority raises nothing', () => {
    const data = { ...base, event: 'message', message: 'low', priority: 2 }
    expect(decide(ev('message', data), { notify: 'smart', minPriority: 3 })).toBeNull()
    expect(decide(ev('message', data), { notify: 'smart', minPriority: 2 })?.body).toBe('low')
  })
})

describe('decide: everything else is only logged', () => {
  it.each([
    ['progress', { progress: 0.4 }],
    ['build.progress', { title: 'Build', percent: 40 }],
    ['keepalive', ''],
    ['ping', ''],
    ['token', { text: 'Hel' }],
    ['message', 'just some text'],
    ['message', ''],
    ['message', { foo: 'bar' }],
    ['message', [1, 2, 3]],
    ['message', '42'],
    ['message', 'null'],
    ['message', '{not json'],
  ])('%s %j -> null', (type, data) => {
    expect(decide(ev(type, data), smart)).toBeNull()
  })
})

describe('decide: modes', () => {
  it('none raises nothing, even for a failure', () => {
    expect(decide(ev('build.failed'), { notify: 'none' })).toBeNull()
  })

  it('all raises every event, keeping smart kinds where they apply', () => {
    expect(decide(ev('build.failed'), { notify: 'all' })?.kind).toBe('task-failed')
    expect(decide(ev('progress', { progress: 0.4 }), { notify: 'all' })).toEqual({
      kind: 'message',
      title: 'Progress',
      body: '{"progress":0.4}',
    })
    expect(decide(ev('message', 'hello'), { notify: 'all' })).toEqual({
      kind: 'message',
      title: 'Message',
      body: 'hello',
    })
    expect(decide(ev('message', { subject: 'S', message: 'M' }), { notify: 'all' })).toEqual({
      kind: 'message',
      title: 'S',
      body: 'M',
    })
  })

  it('all still skips keepalive chatter', () => {
    for (const type of ['keepalive', 'ping', 'heartbeat'])
      expect(decide(ev(type), { notify: 'all' })).toBeNull()
  })

  it('a types list raises exactly the listed types (case-insensitive, trailing * as prefix)', () => {
    const notify = { types: ['deploy', 'Build.*'] }
    expect(decide(ev('deploy', 'to prod'), { notify })).toEqual({
      kind: 'message',
      title: 'Deploy',
      body: 'to prod',
    })
    expect(decide(ev('build.failed'), { notify })?.kind).toBe('task-failed')
    expect(decide(ev('build.progress', { percent: 3 }), { notify })?.kind).toBe('message')
    expect(decide(ev('job.failed'), { notify })).toBeNull()
    expect(decide(ev('deployment'), { notify })).toBeNull()
    expect(decide(ev('news', { title: 'x' }), { notify: { types: [] } })).toBeNull()
  })

  it('a types list can ask for ntfy control events explicitly', () => {
    const data = { id: '1', event: 'keepalive', topic: 't' }
    expect(decide(ev('keepalive', data), { notify: { types: ['keepalive'] } })?.kind).toBe(
      'message',
    )
  })

  it('defaults to smart', () => {
    expect(decide(ev('build.done'))?.kind).toBe('task-completed')
    expect(decide(ev('message', 'hello'))).toBeNull()
  })
})

describe('decide: text hygiene', () => {
  it('collapses whitespace in titles and bodies', () => {
    const decision = decide(
      ev('build.failed', { title: '  Build \t #42\n\n', body: 'line 1\r\nline 2   \u00a0 end ' }),
      smart,
    )
    expect(decision).toMatchObject({ title: 'Build #42 failed', body: 'line 1 line 2 end' })
  })

  it('bounds the title to 120 and the body to 400 characters', () => {
    const decision = decide(ev('news', { title: 'T'.repeat(500), body: 'B'.repeat(5000) }), smart)
    expect(decision?.title).toHaveLength(120)
    expect(decision?.title.endsWith('…')).toBe(true)
    expect(decision?.body).toHaveLength(400)
    expect(decision?.body.endsWith('…')).toBe(true)
    const plain = decide(ev('news', 'x'.repeat(10_000)), smart)
    expect(plain?.body).toHaveLength(400)
  })

  it('keeps the verb when it shortens a long task title', () => {
    const title = decide(ev('message', { task: 'x'.repeat(300), status: 'done' }), smart)?.title
    expect(title).toHaveLength(120)
    expect(title?.endsWith('… completed')).toBe(true)
  })

  it('keeps text exactly at the bounds whole', () => {
    const decision = decide(ev('news', { title: 'T'.repeat(120), body: 'B'.repeat(400) }), smart)
    expect(decision?.title).toBe('T'.repeat(120))
    expect(decision?.body).toBe('B'.repeat(400))
  })

  it('never cuts a surrogate pair in half', () => {
    const decision = decide(ev('news', { title: `${'a'.repeat(118)}😀😀` }), smart)
    expect(decision?.title).toBe(`${'a'.repeat(118)}…`)
  })

  it('keeps hostile markup as literal text', () => {
    const hostile = '<img src=x onerror="alert(1)"> &amp; <script>x()</script>'
    const decision = decide(ev('news', { title: hostile, body: hostile }), smart)
    expect(decision?.title).toBe(hostile)
    expect(decision?.body).toBe(hostile)
  })

  it('removes control, bidi-override and zero-width characters', () => {
    const decision = decide(
      ev('news', { title: 'pay\u202emoc.evil\u202c\u200b ok', body: 'a\u0000b\u0007c\u001bd' }),
      smart,
    )
    expect(decision?.title).toBe('paymoc.evil ok')
    expect(decision?.body).toBe('a b c d')
  })

  it('falls back to a readable title when the title is only invisible characters', () => {
    expect(decide(ev('news', { title: '\u200b\u202e' }), smart)?.title).toBe('News')
  })
})

describe('decide: links', () => {
  it.each(['https://example.com/a?b=c#d', 'http://127.0.0.1:8080/x', 'HTTPS://EXAMPLE.COM/'])(
    'keeps %s',
    (url) => {
      expect(decide(ev('news', { title: 't', url }), smart)?.url).toBe(new URL(url).href)
    },
  )

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'file:///etc/passwd',
    'data:text/html,<b>x</b>',
    'ftp://example.com/',
    'vbscript:msgbox',
    '/relative/path',
    'example.com',
    'http://',
    '',
  ])('drops %j', (url) => {
    const decision = decide(ev('news', { title: 't', url }), smart)
    expect(decision?.kind).toBe('news')
    expect(decision).not.toHaveProperty('url')
  })
})

describe('decide: odd input never throws', () => {
  it('handles missing or wrongly typed fields', () => {
    const odd = [
      null,
      undefined,
      {},
      { type: 42, data: {} },
      { type: '', data: 'x' },
      { type: 'build.done', data: null },
    ] as unknown as Pick<FeedEvent, 'type' | 'data'>[]
    for (const event of odd) expect(() => decide(event, smart)).not.toThrow()
    expect(decide({ type: '', data: '' }, smart)).toBeNull()
    expect(decide({ type: 'build.done', data: null } as never, smart)?.kind).toBe('task-completed')
    expect(() => decide(ev('news'), null as never)).not.toThrow()
    expect(() => decide(ev('news'), { notify: { types: null } } as never)).not.toThrow()
  })

  it('handles deeply nested JSON', () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`
    expect(decide(ev('message', deep), smart)).toBeNull()
  })

  it('handles JSON with __proto__ keys', () => {
    const data = '{"__proto__":{"title":"polluted"},"constructor":"x","url":"https://x.example/"}'
    expect(decide(ev('message', data), smart)).toBeNull()
    expect(({} as Record<string, unknown>)['title']).toBeUndefined()
  })
})
