// In the app the engine and Test connection fetch through Electron's network stack (net.fetch:
// system proxy, PAC and the OS certificate store), never Node's own fetch.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { buildPresetUrl, feedFromPreset } from '../../src/shared/presets.ts'
import type { TestConnectionResult } from '../../src/shared/ipc.ts'
import { fake } from '../setup/electron.ts'
import type { Harness } from '../app/support/app-harness.ts'
import { startNtfyServer, type NtfyServer } from '../support/preset-servers.ts'
import { appWithFeed, feedStatus } from './support.ts'

let app: Harness | null = null
let ntfy: NtfyServer | null = null
const viaElectron: string[] = []

beforeEach(() => {
  fake.reset()
  viaElectron.length = 0
  const real = fake.net.fetch
  fake.net.fetch = (input, init) => {
    viaElectron.push(String(input))
    return real(input, init)
  }
})
afterEach(async () => {
  await app?.stop()
  await ntfy?.close()
  app = null
  ntfy = null
})

describe('network in the app', () => {
  it('feeds and Test connection go through Electron’s net.fetch', async () => {
    ntfy = await startNtfyServer()
    const url = buildPresetUrl('ntfy', { server: ntfy.base, topics: 'alerts' })
    if (!url.ok) throw new Error(url.error)
    const feed = feedFromPreset('ntfy', { id: 'a', name: 'Alerts', url: url.value })
    app = await appWithFeed(feed)
    await vi.waitFor(async () => expect((await feedStatus(app!, 'a')).state.kind).toBe('open'))
    expect(viaElectron).toContain(url.value)

    const result = (await app.invoke('feed:test', { ...feed, id: 'b' })) as TestConnectionResult
    expect(result).toMatchObject({ ok: true, event: { type: 'open' } })
    expect(viaElectron.filter((requested) => requested === url.value)).toHaveLength(2)
  })
})
