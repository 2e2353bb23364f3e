// Secrets for tidings ui: sealed with a key the OS keyring keeps, refused (never stored in clear)
// where no keyring answers, as on this machine.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { keyringCipher, osKeyring, type KeyringEntry } from '../../src/main/store/keyring-cipher.ts'
import { NO_ENCRYPTION, sealSettings } from '../../src/main/store/secrets.ts'
import { storedSettingsSchema } from '../../src/main/store/settings-schema.ts'
import { parseSettings } from '../../src/shared/settings.ts'

function memoryEntry(): KeyringEntry & { stored: string | null } {
  const entry = {
    stored: null as string | null,
    getPassword: async () => entry.stored,
    setPassword: async (password: string) => {
      entry.stored = password
    },
  }
  return entry
}

describe('keyringCipher', () => {
  it('seals with a random key it keeps in the keyring; opens what it sealed, only that', async () => {
    const entry = memoryEntry()
    const cipher = keyringCipher({ open: async () => entry })
    expect(await cipher.isAvailable()).toBe(true)
    expect(Buffer.from(entry.stored!, 'base64')).toHaveLength(32)
    const sealed = await cipher.encrypt('Bearer s3cret')
    expect(sealed).toMatch(/^keyring-v1:/)
    expect(sealed).not.toContain('s3cret')
    expect(await cipher.encrypt('Bearer s3cret')).not.toBe(sealed)
    expect(await cipher.decrypt(sealed)).toEqual({ value: 'Bearer s3cret', reseal: false })
    // A later run reads the same key back.
    const later = keyringCipher({ open: async () => entry })
    expect((await later.decrypt(sealed)).value).toBe('Bearer s3cret')
    // Tampered with, or sealed by the desktop app (safeStorage, plain base64): refused.
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    await expect(later.decrypt(tampered)).rejects.toThrow()
    await expect(later.decrypt('djEwAAAA')).rejects.toThrow(/sealed by the desktop app/)
    // Another key (another user's keyring) cannot open it.
    const other = keyringCipher({ open: async () => memoryEntry() })
    await expect(other.decrypt(sealed)).rejects.toThrow()
  })

  it('without a keyring: unavailable, explained once, and secrets are refused with the desktop app’s message', async () => {
    const logs: string[] = []
    const cipher = keyringCipher({
      open: async () => {
        throw new Error('Platform failure: DBus error: no Secret Service\nmore detail')
      },
      log: (message) => logs.push(message),
    })
    expect(await cipher.isAvailable()).toBe(false)
    expect(await cipher.isAvailable()).toBe(false)
    expect(logs).toEqual([
      'Secrets: no OS keyring (Platform failure: DBus error: no Secret Service); secret headers are refused.',
    ])
    await expect(cipher.encrypt('x')).rejects.toThrow(/no OS keyring/)
    const input = parseSettings({
      feeds: [
        {
          id: 'a',
          name: 'A',
          url: 'https://example.com/a',
          headers: [{ name: 'Authorization', value: 'Bearer x', secret: true }],
        },
      ],
    })
    if (!input.ok) throw new Error('fixture')
    const sealed = await sealSettings(input.value, storedSettingsSchema.parse({}), cipher)
    expect(sealed).toEqual({ ok: false, errors: { 'feeds.0.headers.0.value': NO_ENCRYPTION } })
  })

  it('a keyring that stores nothing, or holds a key of the wrong size, is no keyring', async () => {
    const forgetful: KeyringEntry = { getPassword: async () => null, setPassword: async () => {} }
    expect(await keyringCipher({ open: async () => forgetful }).isAvailable()).toBe(false)
    const short = memoryEntry()
    short.stored = Buffer.alloc(8).toString('base64')
    expect(await keyringCipher({ open: async () => short }).isAvailable()).toBe(false)
  })

  it('asks again later: a keyring unlocked or started after a failure is used', async () => {
    let up = false
    const entry = memoryEntry()
    const cipher = keyringCipher({
      open: async () => {
        if (!up) throw new Error('locked')
        return entry
      },
    })
    expect(await cipher.isAvailable()).toBe(false)
    up = true
    expect(await cipher.isAvailable()).toBe(true)
  })

  it('the real @napi-rs/keyring loads here and fails cleanly where no Secret Service runs', async () => {
    const cipher = keyringCipher({ open: osKeyring })
    // This machine has no D-Bus session: no keyring, no hang, no crash.
    if (!process.env['DBUS_SESSION_BUS_ADDRESS']) expect(await cipher.isAvailable()).toBe(false)
    const { AsyncEntry } = await import('@napi-rs/keyring')
    expect(typeof AsyncEntry).toBe('function')
  })

  const secretService =
    existsSync('/usr/bin/dbus-run-session') && existsSync('/usr/bin/gnome-keyring-daemon')
  it.skipIf(!secretService)(
    'with a real Secret Service (gnome-keyring in a private D-Bus session): seals, and a new run opens it',
    () => {
      const home = mkdtempSync(join(tmpdir(), 'tidings-keyring-'))
      try {
        const probe = join(import.meta.dirname, 'support/keyring-probe.ts')
        const script =
          'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; ' +
          `exec "${process.execPath}" "${probe}"`
        const output = execFileSync('dbus-run-session', ['--', 'sh', '-c', script], {
          env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home },
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
          timeout: 30_000,
        })
        const result = JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, unknown>
        expect(result).toMatchObject({ available: true, opened: 'Bearer real-keyring', logs: [] })
        expect(result['sealed']).toMatch(/^keyring-v1:/)
      } finally {
        rmSync(home, { recursive: true, force: true })
      }
    },
  )
})
