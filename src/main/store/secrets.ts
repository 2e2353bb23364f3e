// Secret header values (Authorization, tokens): sealed with the OS keychain through an async
// cipher (Electron's safeStorage in the app) before they are stored, never sent to the
// renderer, and opened only to hand the engine its request headers. Where the OS offers no
// encryption a new secret is refused with a clear error instead of being stored in clear.
import type { SettingsView } from '../../shared/ipc.ts'
import type { FieldErrors, Settings } from '../../shared/settings.ts'
import { alwaysSecret, sameOrigin, secretMovedMessage } from '../../shared/secret-headers.ts'
import type { StoredFeed, StoredHeader, StoredSettings } from './settings-schema.ts'

export interface SecretCipher {
  isAvailable(): Promise<boolean>
  /** Returns the sealed value, base64. */
  encrypt(plain: string): Promise<string>
  /** `reseal`: the OS key changed; encrypt the value again and store the new form. */
  decrypt(sealed: string): Promise<{ value: string; reseal: boolean }>
}

export { alwaysSecret, looksSecret } from '../../shared/secret-headers.ts'

export const NO_ENCRYPTION =
  'This system offers no secure storage for secrets (no keychain or keyring is available), ' +
  'so Tidings will not save a secret header. Remove the value or set up a keyring.'

export type SealResult = { ok: true; value: StoredSettings } | { ok: false; errors: FieldErrors }

/**
 * Turns settings from the form into their stored form: new secret values are sealed, a secret
 * left empty while `stored` keeps its sealed value from `previous`.
 */
export async function sealSettings(
  input: Settings,
  previous: StoredSettings,
  cipher: SecretCipher,
): Promise<SealResult> {
  const errors: FieldErrors = {}
  let available: boolean | null = null
  const feeds: StoredFeed[] = []
  for (const [feedIndex, feed] of input.feeds.entries()) {
    const before = previous.feeds.find((f) => f.id === feed.id)
    // A feed moved to another origin takes no stored secret along: it is entered again.
    const moved = before !== undefined && !sameOrigin(before.url, feed.url)
    const headers: StoredHeader[] = []
    for (const [headerIndex, header] of feed.headers.entries()) {
      const name = header.name.trim()
      if (!header.secret && !alwaysSecret(name)) {
        headers.push({ name, value: header.value, secret: false })
        continue
      }
      if (header.value === '') {
        const kept = header.stored === false ? undefined : sealedValue(before, name)
        if (kept && moved) {
          errors[`feeds.${feedIndex}.headers.${headerIndex}.value`] = secretMovedMessage(feed.url)
          continue
        }
        headers.push({ name, value: '', secret: true, ...(kept ? { sealed: kept } : {}) })
        continue
      }
      available ??= await cipher.isAvailable()
      if (!available) {
        errors[`feeds.${feedIndex}.headers.${headerIndex}.value`] = NO_ENCRYPTION
        continue
      }
      headers.push({ name, value: '', secret: true, sealed: await cipher.encrypt(header.value) })
    }
    feeds.push({ ...feed, headers, ...(feed.color ? { color: feed.color.toLowerCase() } : {}) })
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, value: { ...input, feeds } }
}

/** Seals secret values still in clear (settings migrated from a format that kept them so). */
export async function sealClearSecrets(
  raw: Record<string, unknown>,
  cipher: SecretCipher,
): Promise<string[]> {
  const problems: string[] = []
  const feeds = Array.isArray(raw['feeds']) ? raw['feeds'] : []
  let available: boolean | null = null
  for (const feed of feeds) {
    const headers = isRecord(feed) && Array.isArray(feed['headers']) ? feed['headers'] : []
    for (const header of headers) {
      if (!isRecord(header) || header['secret'] !== true) continue
      const value = header['value']
      if (typeof value !== 'string' || value === '') continue
      available ??= await cipher.isAvailable()
      header['value'] = ''
      if (available) header['sealed'] = await cipher.encrypt(value)
      else
        problems.push(
          `Feed "${String(feed['name'])}": the value of header ${String(header['name'])} was ` +
            'not kept because this system cannot encrypt it (and a backup never holds a secret ' +
            'in clear). Enter it again in Settings once a keyring is available.',
        )
    }
  }
  return problems
}

/** What the renderer may see: secret values blanked, `stored` telling whether one exists. */
export function settingsView(stored: StoredSettings, encryptionAvailable: boolean): SettingsView {
  return {
    ...stored,
    feeds: stored.feeds.map((feed) => ({
      ...feed,
      headers: feed.headers.map(({ name, value, secret, sealed }) =>
        secret
          ? { name, value: '', secret: true, stored: sealed !== undefined }
          : { name, value, secret: false },
      ),
    })),
    encryptionAvailable,
  }
}

export interface OpenedHeaders {
  headers: Record<string, string>
  /** Header names whose sealed value should be replaced (OS key rotated). */
  resealed: Record<string, string>
  /**
   * Secret headers that could not be opened (the keyring is locked, just after login, or the
   * value is unreadable). Never left out quietly: a feed must not connect without them.
   */
  locked: string[]
  problems: string[]
}

/**
 * The feed's request headers in clear, for the engine only. `cache` (sealed -> clear) spares the
 * keyring a round trip per re-apply, so a keyring that locks again later does not stop feeds.
 */
export async function openHeaders(
  feed: StoredFeed,
  cipher: SecretCipher,
  cache?: Map<string, string>,
): Promise<OpenedHeaders> {
  const opened: OpenedHeaders = { headers: {}, resealed: {}, locked: [], problems: [] }
  for (const header of feed.headers) {
    if (!header.secret) {
      opened.headers[header.name] = header.value
      continue
    }
    if (header.sealed === undefined) continue
    const known = cache?.get(header.sealed)
    if (known !== undefined) {
      opened.headers[header.name] = known
      continue
    }
    try {
      const { value, reseal } = await cipher.decrypt(header.sealed)
      opened.headers[header.name] = value
      cache?.set(header.sealed, value)
      if (reseal) {
        const again = await cipher.encrypt(value)
        opened.resealed[header.name] = again
        cache?.set(again, value)
      }
    } catch (error) {
      opened.locked.push(header.name)
      opened.problems.push(
        `Feed "${feed.name}": could not decrypt header ${header.name} ` +
          `(${(error as Error).message}).`,
      )
    }
  }
  return opened
}

function sealedValue(feed: StoredFeed | undefined, name: string): string | undefined {
  const lower = name.toLowerCase()
  return feed?.headers.find((h) => h.secret && h.name.toLowerCase() === lower)?.sealed
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
