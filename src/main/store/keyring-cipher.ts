// Secret header values sealed with the OS keyring, for Tidings without Electron (tidings ui):
// one random AES-256-GCM key lives in the keyring (Keychain on macOS, Credential Manager on
// Windows, the Secret Service on Linux, never the kernel's session keyring, which forgets it at
// logout) and seals each value here. Where no keyring answers, the cipher is unavailable and
// secrets are refused, exactly as in the desktop app: never stored in clear.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { SecretCipher } from './secrets.ts'

/** Values this cipher sealed start so; others (the desktop app's safeStorage) are not ours. */
const PREFIX = 'keyring-v1:'
const SERVICE = 'Tidings'
const ACCOUNT = 'settings-encryption-key'
/** A keyring may ask the user to unlock it; give them time, but never hang forever. */
const KEYRING_TIMEOUT_MS = 60_000

/** What the cipher needs from a keyring entry (@napi-rs/keyring's AsyncEntry). */
export interface KeyringEntry {
  getPassword(signal?: AbortSignal): Promise<string | null>
  setPassword(password: string, signal?: AbortSignal): Promise<void>
}

export type OpenEntry = () => Promise<KeyringEntry>

/** The OS keyring through @napi-rs/keyring (a prebuilt binary from the registry). */
export const osKeyring: OpenEntry = async () => {
  const { AsyncEntry } = await import('@napi-rs/keyring')
  return new AsyncEntry(SERVICE, ACCOUNT, { linux: { store: 'secret-service' } })
}

export function keyringCipher(
  options: { open?: OpenEntry; log?: (message: string) => void } = {},
): SecretCipher {
  const open = options.open ?? osKeyring
  let key: Promise<Buffer | null> | null = null
  let reported = false

  const loadKey = async (): Promise<Buffer | null> => {
    try {
      const entry = await open()
      const signal = AbortSignal.timeout(KEYRING_TIMEOUT_MS)
      let stored = await entry.getPassword(signal)
      if (stored === null) {
        await entry.setPassword(randomBytes(32).toString('base64'), signal)
        // Read back: a keyring that pretends to store is no keyring.
        stored = await entry.getPassword(signal)
      }
      const bytes = stored === null ? null : Buffer.from(stored, 'base64')
      if (!bytes || bytes.length !== 32) throw new Error('the stored key is not a 256-bit key')
      return bytes
    } catch (error) {
      if (!reported)
        options.log?.(`Secrets: no OS keyring (${firstLine(error)}); secret headers are refused.`)
      reported = true
      return null
    }
  }
  // A failed look-up is asked again later: the user may have unlocked or started a keyring.
  const getKey = async (): Promise<Buffer | null> => {
    key ??= loadKey()
    const value = await key
    if (value === null) key = null
    return value
  }
  const needKey = async (): Promise<Buffer> => {
    const value = await getKey()
    if (!value) throw new Error('no OS keyring is available')
    return value
  }

  return {
    isAvailable: async () => (await getKey()) !== null,
    async encrypt(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', await needKey(), iv)
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')
    },
    async decrypt(sealed) {
      if (!sealed.startsWith(PREFIX))
        throw new Error('it was sealed by the desktop app, which keeps its own key')
      const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64')
      if (bytes.length < 28) throw new Error('the sealed value is damaged')
      const decipher = createDecipheriv('aes-256-gcm', await needKey(), bytes.subarray(0, 12))
      decipher.setAuthTag(bytes.subarray(12, 28))
      const value = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()])
      return { value: value.toString('utf8'), reseal: false }
    },
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .split('\n')[0]!
    .slice(0, 200)
}
