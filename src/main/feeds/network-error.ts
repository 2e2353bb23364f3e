// A readable reason for a failed request or a broken stream, from fetch's nested errors
// ("fetch failed" says nothing; its cause says "connect ECONNREFUSED 127.0.0.1:4000").

/** undici's errors that say something plainer than their message. */
const PLAIN: Record<string, (error: Error) => string> = {
  UND_ERR_HEADERS_OVERFLOW: () => 'the server’s response headers are larger than 16 KiB',
  UND_ERR_HEADERS_TIMEOUT: (error) =>
    `the server did not send its response headers within ${timeoutOf(error)}`,
}

/** Node's advice about its own flags ("try running Node.js with --use-system-ca"): not for users. */
const NODE_ADVICE =
  /[;,]?\s*if the root CA is installed locally, try running Node\.js with --[\w-]+/gi

/** The root cause's error code (ECONNREFUSED, ENOTFOUND, DEPTH_ZERO_SELF_SIGNED_CERT…), if any. */
export function networkErrorCode(error: unknown): string | undefined {
  let found: string | undefined
  let current: unknown = error
  for (let depth = 0; current instanceof Error && depth < 6; depth++) {
    const code = (current as Error & { code?: unknown }).code
    if (typeof code === 'string' && code !== '') found = code
    current = current.cause
  }
  return found
}

export function describeNetworkError(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof Error) {
      const code = (current as Error & { code?: unknown }).code
      const message = current.message.replace(NODE_ADVICE, '')
      const plain = typeof code === 'string' ? PLAIN[code] : undefined
      if (plain) {
        parts.push(plain(current))
        break
      }
      if (message && message !== 'fetch failed' && message !== 'terminated') {
        parts.push(
          typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message,
        )
      } else if (typeof code === 'string') {
        parts.push(code)
      }
      current = current.cause
    } else {
      parts.push(String(current))
      break
    }
  }
  const reason = parts.join(': ') || 'network error'
  return reason.length > 300 ? `${reason.slice(0, 300)}…` : reason
}

/** Whether a request was refused before it was sent because of one of its headers. */
export function isRequestHeaderError(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as Error & { code?: unknown }).code
    if (
      (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') &&
      /header/i.test(current.message)
    )
      return true
    current = current.cause
  }
  return false
}

/** The limit as the network module states it ("… within 300 s"), else in general words. */
function timeoutOf(error: Error): string {
  return /within (\d+ m?s)$/.exec(error.message)?.[1] ?? 'the time allowed'
}
