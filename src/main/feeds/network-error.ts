// A readable reason for a failed request or a broken stream, from fetch's nested errors
// ("fetch failed" says nothing; its cause says "connect ECONNREFUSED 127.0.0.1:4000").

export function describeNetworkError(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof Error) {
      const code = (current as Error & { code?: unknown }).code
      const message = current.message
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
