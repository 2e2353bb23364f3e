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
export const SECRET_BY_NAME_HINT =
  'Marked secret because the name looks like a credential: the value is stored encrypted and ' +
  'never shown again. Untick it if this header holds nothing secret.'
