// Who may talk to tidings ui's server, decided before any route runs. The server holds the
// user's feeds and sealed secrets and can change them, so it is treated as any local web UI
// must be: bound to 127.0.0.1; the Host header must name it (a rebound DNS name must not reach
// it); a random per-run token in the printed URL is exchanged once per browser for an HttpOnly,
// SameSite=Strict cookie; requests that change anything must come from the page itself (Origin,
// and Sec-Fetch-Site where the browser sends it), which also turns away pages on other local
// ports: cookies ignore ports, origins do not.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string }

export class Guard {
  /** The token in the URL tidings ui prints. */
  readonly token = randomBytes(24).toString('base64url')
  /** The cookie's value: a second secret, so the token in a browser's history opens nothing. */
  readonly #session = randomBytes(24).toString('base64url')
  readonly port: number
  /** Cookies are shared by every port of a host: the name carries ours. */
  readonly cookieName: string

  constructor(port: number) {
    this.port = port
    this.cookieName = `tidings-${port}`
  }

  /** The Set-Cookie header for a browser that showed the token. */
  sessionCookie(): string {
    return `${this.cookieName}=${this.#session}; HttpOnly; SameSite=Strict; Path=/`
  }

  isToken(candidate: string | null): boolean {
    return candidate !== null && same(candidate, this.token)
  }

  /** The origin requests must come from, given the Host they used (already checked). */
  origin(request: IncomingMessage): string {
    return `http://${request.headers.host ?? ''}`
  }

  /** DNS rebinding: only our own loopback names, with our port. */
  checkHost(request: IncomingMessage): Verdict {
    const host = request.headers.host ?? ''
    if (host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}`) return { ok: true }
    return {
      ok: false,
      status: 403,
      reason: `This server answers only to 127.0.0.1:${this.port} and localhost:${this.port}.`,
    }
  }

  /** Reads from another site (including another port of this host) are refused. */
  checkSite(request: IncomingMessage, state: 'reads' | 'changes'): Verdict {
    const site = header(request, 'sec-fetch-site')
    const origin = header(request, 'origin')
    const own = this.origin(request)
    if (origin !== undefined && origin !== own)
      return {
        ok: false,
        status: 403,
        reason: `Requests from ${origin.slice(0, 100)} are refused.`,
      }
    if (site !== undefined && site !== 'same-origin' && !(state === 'reads' && site === 'none'))
      return { ok: false, status: 403, reason: 'Requests from other sites are refused.' }
    // Browsers send Origin with every POST; a request that changes state without one is not
    // from our page.
    if (state === 'changes' && origin === undefined)
      return { ok: false, status: 403, reason: 'Requests without an Origin are refused.' }
    return { ok: true }
  }

  checkSession(request: IncomingMessage): Verdict {
    const value = readCookie(header(request, 'cookie') ?? '', this.cookieName)
    if (value === null)
      return {
        ok: false,
        status: 401,
        reason: 'Open the address tidings ui printed (it carries the sign-in token).',
      }
    if (!same(value, this.#session))
      return {
        ok: false,
        status: 403,
        reason: 'This sign-in is from another run of tidings ui: open the address it printed.',
      }
    return { ok: true }
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function readCookie(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const at = part.indexOf('=')
    if (at < 0) continue
    if (part.slice(0, at).trim() === name) return part.slice(at + 1).trim()
  }
  return null
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
