// A feed with a secret header, started while the keyring is still locked (just after login):
// it shows "waiting for the keyring", never connects without its headers, and connects with
// them once the keyring opens (by itself, or at once on Reconnect).
import { describe, expect, it } from 'vitest'
import { stateLabel, trayMenu } from '../../src/main/core/tray-model.ts'
import type { SecretCipher } from '../../src/main/store/secrets.ts'
import { tempDir } from '../app/support/fixtures.ts'
import { startLiveServer, startStoreApp, type LiveServer } from '../support/store-pipeline.ts'
import { plainCipher } from './support.ts'

/** The OS keyring: sealed values open only while it is unlocked. */
function keyring(): SecretCipher & { locked: boolean; decrypts: number } {
  const ring = {
    locked: false,
    decrypts: 0,
    isAvailable: async () => !ring.locked,
    encrypt: (plain: string) => {
      if (ring.locked) return Promise.reject(new Error('The keyring is locked.'))
      return plainCipher.encrypt(plain)
    },
    decrypt: (sealed: string) => {
      ring.decrypts++
      if (ring.locked) return Promise.reject(new Error('The keyring is locked.'))
      return plainCipher.decrypt(sealed)
    },
  }
  return ring
}

/** A data folder whose saved feed has `Authorization` sealed in the keyring. */
async function savedFeed(server: LiveServer, ring: SecretCipher): Promise<string> {
  const dataDir = await tempDir('tidings-keyring-')
  const app = await startStoreApp({ dataDir, cipher: ring })
  const view = await app.tidings.core.settingsView()
  const saved = await app.tidings.core.saveSettings({
    ...view,
    feeds: [
      {
        id: 'jobs',
        name: 'Jobs',
        url: server.url,
        headers: [{ name: 'Authorization', value: 'Bearer from-the-keyring', secret: true }],
      },
    ],
  })
  expect(saved.ok).toBe(true)
  await app.tidings.dispose()
  return dataDir
}

describe('a feed started while the keyring is locked', () => {
  it('waits, never connects without its header, and connects with it on Reconnect', async () => {
    const server = await startLiveServer()
    const ring = keyring()
    const dataDir = await savedFeed(server, ring)
    ring.locked = true
    const app = await startStoreApp({ dataDir, cipher: ring })
    const { tidings } = app
    try {
      await tidings.start()
      const status = tidings.core.board.get('jobs')!
      expect(status.state).toMatchObject({ kind: 'reconnecting', attempt: 1, delayMs: 2000 })
      expect(status.state.kind === 'reconnecting' && status.state.reason).toMatch(
        /^waiting for the keyring to unlock: Authorization is stored in it/,
      )
      expect(stateLabel(status.state)).toBe('waiting for the keyring')
      const menu = trayMenu(tidings.core.trayModel(), {
        openLog() {},
        openSettings() {},
        pause() {},
        reconnect() {},
        setStartAtLogin() {},
        quit() {},
      })
      expect(menu.some((item) => item.label === 'Jobs — waiting for the keyring')).toBe(true)
      expect(app.logs.join('\n')).toMatch(/could not decrypt header Authorization.*waits/)
      // Reconnect while still locked: still held, still no request.
      const before = ring.decrypts
      await tidings.core.reconnect('jobs')
      expect(ring.decrypts).toBe(before + 1)
      expect(server.requests).toHaveLength(0)
      expect(tidings.core.board.get('jobs')?.state).toMatchObject({ attempt: 2, delayMs: 4000 })

      ring.locked = false
      await tidings.core.reconnect('jobs')
      const request = await server.request(0)
      expect(request.headers['authorization']).toBe('Bearer from-the-keyring')
      expect(server.requests.every((r) => r.headers['authorization'])).toBe(true)
    } finally {
      await tidings.dispose()
      await server.close()
    }
  })

  it('retries by itself once the keyring unlocks', async () => {
    const server = await startLiveServer()
    const ring = keyring()
    const dataDir = await savedFeed(server, ring)
    ring.locked = true
    const app = await startStoreApp({ dataDir, cipher: ring })
    const { tidings } = app
    try {
      await tidings.start()
      expect(tidings.core.board.get('jobs')?.state.kind).toBe('reconnecting')
      ring.locked = false
      // The first retry is due 2 s after start: awaited as the request it makes.
      const request = await server.request(0)
      expect(request.headers['authorization']).toBe('Bearer from-the-keyring')
      expect(ring.decrypts).toBeGreaterThanOrEqual(2)
    } finally {
      await tidings.dispose()
      await server.close()
    }
  })

  it('Test connection says the keyring is locked instead of testing without the secret', async () => {
    const server = await startLiveServer()
    const ring = keyring()
    const dataDir = await savedFeed(server, ring)
    ring.locked = true
    const app = await startStoreApp({ dataDir, cipher: ring })
    try {
      const view = await app.tidings.core.settingsView()
      const result = await app.tidings.core.testConnection(view.feeds[0])
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/keyring is locked/) })
      expect(server.requests).toHaveLength(0)
    } finally {
      await app.tidings.dispose()
      await server.close()
    }
  })
})
