// Validation of user-supplied URLs and headers, shared by the engine, CLI, settings and UI,
// so every entry point rejects the same bad input with the same clear message.

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string }

export const MAX_URL_LENGTH = 8192

/** A feed URL: absolute http(s), with a host, no embedded credentials, no whitespace. */
export function validateFeedUrl(input: string): Validation<string> {
  const text = input.trim()
  if (text === '') return { ok: false, error: 'Enter a URL.' }
  if (text.length > MAX_URL_LENGTH)
    return {
      ok: false,
      error: `URL is too long (${text.length} characters, at most ${MAX_URL_LENGTH}).`,
    }
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(text))
    return { ok: false, error: 'URL must not contain spaces or control characters.' }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { ok: false, error: `"${truncate(text)}" is not a valid URL.` }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return {
      ok: false,
      error: `Only http and https URLs are supported, not ${url.protocol.slice(0, 20)}`,
    }
  if (!url.hostname) return { ok: false, error: 'URL has no host.' }
  if (url.username || url.password)
    return {
      ok: false,
      error: 'Put credentials in an Authorization header (marked secret), not in the URL.',
    }
  return { ok: true, value: url.href }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// Headers the engine sets itself or that would break the stream if overridden.
const RESERVED = new Set(['accept', 'last-event-id', 'cache-control'])
// Headers about the connection itself, not the request: hop-by-hop (RFC 9110 7.6.1), set by the
// HTTP client, or forbidden by the fetch standard for that reason. undici refuses several of
// them when the request is made, so a feed would only fail later; refuse them in the form.
const CLIENT_MANAGED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
  'cookie2',
  'set-cookie',
  'set-cookie2',
  'access-control-request-headers',
  'access-control-request-method',
])
const CLIENT_MANAGED_PREFIXES = ['proxy-', 'sec-']

/** A name Tidings or the HTTP client sets itself: never a feed's header. */
export function isManagedHeaderName(name: string): boolean {
  const lower = name.trim().toLowerCase()
  return (
    RESERVED.has(lower) ||
    CLIENT_MANAGED.has(lower) ||
    CLIENT_MANAGED_PREFIXES.some((prefix) => lower.startsWith(prefix))
  )
}

/** A request header: an RFC 9110 token name and a value without CR, LF or NUL. */
export function validateHeader(name: string, value: string): Validation<[string, string]> {
  const trimmed = name.trim()
  if (trimmed === '') return { ok: false, error: 'Header name is empty.' }
  if (!TOKEN.test(trimmed))
    return {
      ok: false,
      error: `Header name "${truncate(trimmed)}" has characters not allowed in a header name.`,
    }
  const lower = trimmed.toLowerCase()
  if (RESERVED.has(lower))
    return {
      ok: false,
      error: `Header "${trimmed}" is set by Tidings itself and cannot be overridden.`,
    }
  if (CLIENT_MANAGED.has(lower) || CLIENT_MANAGED_PREFIXES.some((p) => lower.startsWith(p)))
    return {
      ok: false,
      error: `Header "${truncate(trimmed)}" is about the connection, not the request: HTTP clients set it themselves and never send one from a feed. Remove it.`,
    }
  if (/[\r\n\0]/.test(value))
    return {
      ok: false,
      error: `Header "${trimmed}" value must not contain line breaks or NUL characters.`,
    }
  if (value.length > 16_384) return { ok: false, error: `Header "${trimmed}" value is too long.` }
  return { ok: true, value: [trimmed, value.trim()] }
}

/** Parses a curl-style "Name: value" header argument. */
export function parseHeaderLine(line: string): Validation<[string, string]> {
  const colon = line.indexOf(':')
  if (colon <= 0)
    return { ok: false, error: `Header "${truncate(line)}" must look like "Name: value".` }
  return validateHeader(line.slice(0, colon), line.slice(colon + 1))
}

/** True only for http: and https: links: the only ones Tidings ever opens. */
export function isHttpUrl(value: unknown): value is string {
  return httpUrlHref(value) !== undefined
}

/** The normalised address when `value` is an http(s) URL (one parse), else undefined. */
export function httpUrlHref(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}

function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}
