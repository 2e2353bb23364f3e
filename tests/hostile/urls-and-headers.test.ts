// Hostile feed URLs, request headers and links, one row per input: each is refused with a clear
// error at every entry point (validation, the settings form, the CLI), and nothing already
// stored changes.
import { describe, expect, it } from 'vitest'
import { decide, readEventFields } from '../../src/main/notify/index.ts'
import { isHttpUrl, validateFeedUrl, validateHeader } from '../../src/shared/validate.ts'
import { runCli, settingsWithOneFeed } from './support.ts'

const urlRows: Array<[label: string, url: string, error: RegExp]> = [
  [
    'javascript: URL',
    'javascript:alert(document.cookie)',
    /Only http and https URLs are supported, not javascript:/,
  ],
  ['file: URL', 'file:///etc/passwd', /Only http and https URLs are supported, not file:/],
  [
    'data: URL',
    'data:text/html,<script>alert(1)</script>',
    /Only http and https URLs are supported, not data:/,
  ],
  ['no host', 'http://', /is not a valid URL/],
  ['no host, port only', 'http://:8080/events', /is not a valid URL/],
  ['relative URL', '/events', /is not a valid URL/],
  ['spaces', 'https://exa mple.com/events', /must not contain spaces or control characters/],
  ['a tab', 'https://example.com/\tevents', /must not contain spaces or control characters/],
  [
    'CR/LF (request splitting)',
    'https://example.com/e\r\nHost: evil',
    /must not contain spaces or control characters/,
  ],
  [
    'credentials in the URL',
    'https://user:hunter2@example.com/events',
    /credentials in an Authorization header/,
  ],
  [
    'a token as user name',
    'https://ghp_secret@example.com/events',
    /credentials in an Authorization header/,
  ],
  [
    '10 kB long',
    `https://example.com/${'a'.repeat(10_000)}`,
    /URL is too long \(10020 characters, at most 8192\)/,
  ],
  ['empty', '', /Enter a URL/],
]

describe('hostile feed URLs', () => {
  it.each(urlRows)('%s: refused by validation with a clear message', (_label, url, error) => {
    const result = validateFeedUrl(url)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error).toMatch(error)
      expect(result.error.length).toBeLessThan(200) // never echoes 10 kB back
    }
  })

  it.each(urlRows)(
    '%s: the settings form shows the error beside the URL and keeps the old settings',
    async (_label, url, error) => {
      const { service, persisted, before } = await settingsWithOneFeed()
      const result = await service.save({
        ...service.view(),
        feeds: [...service.view().feeds, { id: 'new', name: 'New', url }],
      })
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.errors['feeds.1.url']).toMatch(error)
      expect(service.current).toEqual(before)
      expect(persisted).toEqual([])
    },
  )

  it.each(urlRows.filter(([label]) => label !== 'empty'))(
    '%s: `tidings tail` exits 2 with the message',
    async (_label, url, error) => {
      const { code, stdout, stderr } = await runCli(['tail', url])
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toMatch(error)
    },
  )
})

const headerRows: Array<[label: string, name: string, value: string, error: RegExp]> = [
  ['CRLF in the name', 'X-Evil\r\nInjected', 'x', /characters not allowed in a header name/],
  ['NUL in the name', 'X-Nul\0', 'x', /characters not allowed in a header name/],
  ['space in the name', 'X Team', 'x', /characters not allowed in a header name/],
  [
    'CRLF in the value (header injection)',
    'X-Team',
    'ops\r\nX-Admin: true',
    /must not contain line breaks or NUL/,
  ],
  ['LF in the value', 'X-Team', 'ops\nX-Admin: true', /must not contain line breaks or NUL/],
  ['CR in the value', 'X-Team', 'ops\rX-Admin: true', /must not contain line breaks or NUL/],
  ['NUL in the value', 'Authorization', 'Bearer a\0b', /must not contain line breaks or NUL/],
  ['a header the engine sets', 'Last-Event-ID', '0', /set by Tidings itself/],
  [
    'Cache-Control (the engine sets no-cache)',
    'Cache-Control',
    'max-age=60',
    /set by Tidings itself/,
  ],
  // Headers a client may not send: about the connection, not the request (undici refuses
  // several of them only when the request is made).
  ...[
    'Keep-Alive',
    'Upgrade',
    'TE',
    'Trailer',
    'Cookie2',
    'Connection',
    'Transfer-Encoding',
    'Proxy-Connection',
    'Proxy-Authorization',
    'Expect',
    'Host',
    'Content-Length',
    'Set-Cookie',
    'Sec-Fetch-Site',
  ].map((name): [string, string, string, RegExp] => [
    `${name} (a client manages it)`,
    name,
    'x',
    new RegExp(`Header "${name}" is about the connection, not the request`),
  ]),
]

describe('headers a client may send', () => {
  it.each(['Cookie', 'Authorization', 'Origin', 'User-Agent', 'Accept-Language', 'X-Api-Key'])(
    '%s is accepted',
    (name) => expect(validateHeader(name, 'v').ok).toBe(true),
  )
})

describe('hostile request headers', () => {
  it.each(headerRows)('%s: refused by validation', (_label, name, value, error) => {
    const result = validateHeader(name, value)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatch(error)
  })

  it.each(headerRows)(
    '%s: the settings form refuses it and keeps the old settings',
    async (_label, name, value, error) => {
      const { service, persisted, before } = await settingsWithOneFeed()
      const view = service.view()
      const result = await service.save({
        ...view,
        feeds: [{ ...view.feeds[0]!, headers: [{ name, value, secret: false }] }],
      })
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.errors['feeds.0.headers.0.name']).toMatch(error)
      expect(service.current).toEqual(before)
      expect(persisted).toEqual([])
    },
  )

  it.each(headerRows.filter(([, name]) => !/[\r\n]/.test(name)))(
    '%s: `tidings tail -H` exits 2 with the message',
    async (_label, name, value, error) => {
      const { code, stderr } = await runCli([
        'tail',
        'http://127.0.0.1:9/e',
        '-H',
        `${name}: ${value}`,
      ])
      expect(code).toBe(2)
      expect(stderr).toMatch(error)
    },
  )
})

const linkRows: string[] = [
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'file:///etc/passwd',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'chrome://settings',
  'ftp://example.com/file',
  'mailto:someone@example.com',
  'smb://server/share',
  '//evil.example.com/path',
  `https://example.com/${'a'.repeat(9000)}`,
]

describe('links with non-http schemes in events', () => {
  it.each(linkRows.map((link) => [link.slice(0, 40), link]))(
    '%s: never offered as a link',
    (_label, link) => {
      expect(isHttpUrl(link)).toBe(false)
      const data = JSON.stringify({
        title: 'Deploy finished',
        status: 'done',
        url: link,
        link,
        click: link,
      })
      expect(readEventFields(data).url).toBeUndefined()
      for (const notify of ['smart', 'all'] as const) {
        const decision = decide({ type: 'deploy.completed', data }, { notify })
        expect(decision).not.toBeNull()
        expect(decision!.url).toBeUndefined()
        expect(decision!.title).toBe('Deploy finished')
      }
    },
  )

  it('an http(s) link beside them is the one offered', () => {
    const data = JSON.stringify({
      title: 'x',
      url: 'javascript:alert(1)',
      link: 'https://ok.example.com/a',
    })
    expect(decide({ type: 'news', data })?.url).toBe('https://ok.example.com/a')
  })
})
