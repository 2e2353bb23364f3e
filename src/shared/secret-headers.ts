// Which request headers hold credentials: the default for a header's "secret" flag, in the
// settings form, in migrations and for settings that leave the flag out. Main and renderer
// both use it, so the form and the store agree.

/** Names that are credentials by definition: sealed even when not marked secret. */
const ALWAYS_SECRET = new Set(['authorization', 'proxy-authorization', 'cookie'])

/** Names that look like they carry a credential: authorization, cookie, *token*, *key*, … */
const SECRET_NAME = /auth|cookie|token|key|secret|passw/i

/** Whether a header name looks like it carries a credential (the secret flag's default). */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name.trim())
}

/** Credentials by definition: sealed even when the form did not mark them secret. */
export function alwaysSecret(name: string): boolean {
  return ALWAYS_SECRET.has(name.trim().toLowerCase())
}

/** What the settings form says beside a header marked secret because of its name. */
export const SECRET_BY_NAME_HINT = 'Marked secret: the name looks like a credential.'

/** scheme://host:port of an http(s) URL, or null. */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url.trim()).origin
    return origin === 'null' ? null : origin
  } catch {
    return null
  }
}

/**
 * Whether a feed's stored secrets may go with `next`: only to the origin they were entered for
 * (scheme, host and port of the URL they were saved with).
 */
export function sameOrigin(saved: string, next: string): boolean {
  const origin = originOf(saved)
  return origin !== null && origin === originOf(next)
}

/** Beside a stored secret whose feed now points elsewhere: the user must enter it again. */
export function secretMovedMessage(url: string, what = 'this secret'): string {
  const origin = originOf(url) ?? 'another address'
  return (
    `The URL now points to ${origin}: enter ${what} again to send it there ` +
    '(a stored secret only goes to the site it was entered for).'
  )
}

/** Indexes of the headers that would reuse a stored secret the feed's new URL may not get. */
export function secretsLeftBehind(
  feed: {
    url: string
    headers?: ReadonlyArray<{ secret?: boolean; value: string; stored?: boolean }>
  },
  savedUrl: string | undefined,
): number[] {
  if (savedUrl === undefined || sameOrigin(savedUrl, feed.url)) return []
  return (feed.headers ?? []).flatMap((header, index) =>
    header.secret && header.value === '' && header.stored === true ? [index] : [],
  )
}

/** How a feed held back for its secrets reads in the window and the tray. */
export const KEYRING_WAIT = 'waiting for the keyring'

/** The state reason of a feed whose secret headers wait for the keyring. */
export function keyringReason(headers: readonly string[]): string {
  const names = headers.join(', ')
  return (
    `${KEYRING_WAIT} to unlock: ${names} ${headers.length === 1 ? 'is' : 'are'} stored in it. ` +
    'Tidings connects once it opens (Reconnect tries now); if this stays, enter the secret ' +
    'again in Settings.'
  )
}

export function isKeyringWait(reason: string): boolean {
  return reason.startsWith(KEYRING_WAIT)
}
