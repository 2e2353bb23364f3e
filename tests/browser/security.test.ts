// tidings ui's server is a local web UI that holds the user's feeds and secrets and can change
// them: everything but its own signed-in page is refused. Raw HTTP for what a browser would never
// send (wrong Host, forged cookies), Chromium for what a hostile page on another local port can do.
import { request as httpRequest, createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, skipReason } from './support/chromium.ts'
import { startHarness, type Harness, type TestApp } from './support/harness.ts'
import { startSseServer, type SseServer } from './support/sse-server.ts'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One request with exactly these headers (Host included), as no browser would send it. */
function raw(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        // The push stream never ends: its headers are the answer.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' })
          res.destroy()
        }
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

if (!hasChromium) console.warn(`browser tests skipped: ${skipReason}`)

describe.skipIf(!hasChromium)('tidings ui server security', () => {
  let harness: Harness
  let sse: SseServer
  let app: TestApp
  let port: number
  let origin: string
  let cookie: string
  let hostile: Server
  let hostileOrigin: string

  beforeAll(async () => {
    ;[harness, sse] = await Promise.all([startHarness(), startSseServer()])
    app = await harness.start({
      settings: {
        feeds: [
          {
            id: 'private',
            name: 'Private',
            url: sse.url('/private'),
            headers: [{ name: 'Authorization', value: 'Bearer very-secret-token', secret: true }],
          },
        ],
      },
    })
    port = app.ui.server.port
    origin = app.ui.server.origin
    const signIn = await raw(port, {
      path: `/?token=${new URL(app.ui.url).searchParams.get('token')}`,
    })
    cookie = String(signIn.headers['set-cookie']).split(';')[0]!
    // A page another program serves on another local port: same site as ours (cookies ignore
    // ports), a different origin.
    hostile = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>other</title>')
    })
    await new Promise<void>((done) => hostile.listen(0, '127.0.0.1', done))
    hostileOrigin = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await harness?.close()
    await sse?.close()
    hostile?.closeAllConnections()
    await new Promise<void>((done) => (hostile ? hostile.close(() => done()) : done()))
  })

  const post = (channel: string, headers: Record<string, string>, body = '[]') =>
    raw(port, { method: 'POST', path: `/api/${channel}`, headers, body })
  const json = { 'Content-Type': 'application/json' }

  it('listens on 127.0.0.1 only', async () => {
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: '::1', port })
      socket.on('connect', () => {
        socket.destroy()
        resolve('connected')
      })
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
    })
    expect(refused).toMatch(/ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH/)
  })

  it('no token: the page, the API and the push stream are refused with 401', async () => {
    expect((await raw(port, {})).status).toBe(401)
    expect((await raw(port, { path: '/index.html' })).status).toBe(401)
    expect((await raw(port, { path: '/api/pushes' })).status).toBe(401)
    const answer = await post('snapshot:get', { ...json, Origin: origin })
    expect(answer.status).toBe(401)
    expect(answer.body).not.toContain('Private')
    expect(app.calls).toEqual([])
  })

  it('a bad token, another run’s token or a forged cookie: 403, and no cookie is set', async () => {
    const other = await harness.start()
    try {
      for (const token of ['wrong', new URL(other.ui.url).searchParams.get('token')!, '']) {
        const answer = await raw(port, { path: `/?token=${encodeURIComponent(token)}` })
        expect(answer.status, token).toBe(403)
        expect(answer.headers['set-cookie']).toBeUndefined()
      }
      const forged = `tidings-${port}=${'A'.repeat(32)}`
      expect((await raw(port, { headers: { Cookie: forged } })).status).toBe(403)
      expect((await post('settings:get', { ...json, Origin: origin, Cookie: forged })).status).toBe(
        403,
      )
    } finally {
      await other.close()
    }
  })

  it('the printed token is exchanged for an HttpOnly, SameSite=Strict cookie and a token-less address', async () => {
    const answer = await raw(port, {
      path: `/?token=${new URL(app.ui.url).searchParams.get('token')}`,
    })
    expect(answer.status).toBe(303)
    expect(answer.headers.location).toBe('/')
    expect(String(answer.headers['set-cookie'])).toMatch(
      new RegExp(`^tidings-${port}=[\\w-]{20,}; HttpOnly; SameSite=Strict; Path=/$`),
    )
    // The cookie is not the token: a token left in a browser's history signs nothing in.
    expect(String(answer.headers['set-cookie'])).not.toContain(
      new URL(app.ui.url).searchParams.get('token')!,
    )
    expect((await raw(port, { headers: { Cookie: cookie } })).status).toBe(200)
  })

  it('wrong Host (DNS rebinding, another port): 403 even with a valid cookie', async () => {
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      'localhost',
      `[::1]:${port}`,
    ]) {
      const page = await raw(port, { headers: { Host: host, Cookie: cookie } })
      expect(page.status, host).toBe(403)
      const api = await post('settings:get', {
        ...json,
        Host: host,
        Origin: `http://${host}`,
        Cookie: cookie,
      })
      expect(api.status, host).toBe(403)
      expect(api.body).not.toContain('Private')
    }
    expect(
      (await raw(port, { headers: { Host: `localhost:${port}`, Cookie: cookie } })).status,
    ).toBe(200)
  })

  it('cross-origin or origin-less POSTs are refused before any handler runs', async () => {
    const pause = JSON.stringify([{ kind: 'until-resumed' }])
    const cases: Array<[string, Record<string, string>]> = [
      ['another local port', { ...json, Cookie: cookie, Origin: hostileOrigin }],
      ['another site', { ...json, Cookie: cookie, Origin: 'https://evil.example' }],
      ['a sandboxed page', { ...json, Cookie: cookie, Origin: 'null' }],
      ['no Origin', { ...json, Cookie: cookie }],
      [
        'same origin, other site',
        { ...json, Cookie: cookie, Origin: origin, 'Sec-Fetch-Site': 'same-site' },
      ],
    ]
    for (const [what, headers] of cases)
      expect((await post('notifications:pause', headers, pause)).status, what).toBe(403)
    // A form post (text/plain, no preflight) from our own origin is still not an API call.
    expect(
      (
        await post(
          'notifications:pause',
          { 'Content-Type': 'text/plain', Cookie: cookie, Origin: origin },
          pause,
        )
      ).status,
    ).toBe(415)
    expect(app.settings().pause).toBeNull()
    expect(app.calls).toEqual([])
    // Our own page's request goes through (the control for the cases above).
    expect((await post('settings:get', { ...json, Cookie: cookie, Origin: origin })).status).toBe(
      200,
    )
  })

  it('a page on another local port, in a browser signed in to tidings ui, can neither read nor change anything', async () => {
    const session = await app.open()
    const callsBefore = app.calls.length
    const evil = await session.context.newPage()
    await evil.goto(`${hostileOrigin}/`)
    const outcome = await evil.evaluate(
      async ({ target }) => {
        const results: Record<string, string> = {}
        const attempt = async (name: string, run: () => Promise<Response>) => {
          try {
            const response = await run()
            results[name] = `${response.type} ${response.status}`
          } catch (error) {
            results[name] = `blocked: ${(error as Error).name}`
          }
        }
        await attempt('read settings', () =>
          fetch(`${target}/api/settings:get`, {
            method: 'POST',
            credentials: 'include',
            headers: { 'Content-Type': 'application/json' },
            body: '[]',
          }),
        )
        await attempt('pause, no preflight', () =>
          fetch(`${target}/api/notifications:pause`, {
            method: 'POST',
            mode: 'no-cors',
            credentials: 'include',
            headers: { 'Content-Type': 'text/plain' },
            body: '[{"kind":"until-resumed"}]',
          }),
        )
        await attempt('push stream', () =>
          fetch(`${target}/api/pushes`, { credentials: 'include' }),
        )
        await attempt('window', () => fetch(`${target}/`, { credentials: 'include' }))
        return results
      },
      { target: origin },
    )
    // Blocked by the browser (no CORS answer) or answered opaquely; nothing readable either way.
    for (const [name, result] of Object.entries(outcome))
      expect(result, name).toMatch(/^(blocked: TypeError|opaque 0)$/)
    // The server refused each (no handler ran), not just the browser.
    expect(app.calls.length).toBe(callsBefore)
    expect(app.settings().pause).toBeNull()
    // Framing is refused too (frame-ancestors 'none' in the CSP header, X-Frame-Options DENY).
    await evil.setContent(`<iframe src="${origin}/" id="frame"></iframe>`)
    await evil.waitForLoadState('load')
    const framed = evil.frames().find((frame) => frame !== evil.mainFrame())
    expect(await framed?.evaluate('document.title').catch(() => 'refused')).not.toBe('Tidings')
    await evil.close()
    await session.context.close()
  })

  it('the window: its CSP as a header with frame-ancestors none; no secret in any answer; cookies unreadable by script', async () => {
    const page = await raw(port, { headers: { Cookie: cookie } })
    const policy = String(page.headers['content-security-policy'])
    expect(policy).toContain("script-src 'self'")
    expect(policy).toContain("frame-ancestors 'none'")
    expect(page.headers['x-frame-options']).toBe('DENY')
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    const sealed = app.settings().feeds[0]!.headers[0]!.sealed!
    for (const channel of ['settings:get', 'snapshot:get']) {
      const answer = await post(channel, { ...json, Cookie: cookie, Origin: origin })
      expect(answer.status).toBe(200)
      expect(answer.body).not.toContain('very-secret-token')
      expect(answer.body).not.toContain(sealed)
    }
    const session = await app.open()
    expect(await session.page.evaluate('document.cookie')).toBe('')
    expect(await session.page.evaluate('window.tidings.openLink("javascript:alert(1)")')).toBe(
      false,
    )
    await session.context.close()
  })
})
