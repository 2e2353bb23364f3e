// In the app the engine and Test connection make their requests through the undici network
// module, asking the system (Electron's session.resolveProxy) which proxy to use for each one,
// and never through Electron's net.fetch (its cookie jar and 6-connection limit per host).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildPresetUrl, feedFromPreset } from '../../src/shared/presets.ts'
import type { TestConnectionResult } from '../../src/shared/ipc.ts'
import { fake } from '../setup/electron.ts'
import type { Harness } from '../app/support/app-harness.ts'
import { startNtfyServer, type NtfyServer } from '../support/preset-servers.ts'
import { appWithFeed, feedStatus } from './support.ts'
import { eventually } from '../support/eventually.ts'

let app: Harness | null = null
let ntfy: NtfyServer | null = null
const viaElectron: string[] = []

beforeEach(() => {
  fake.reset()
  viaElectron.length = 0
  fake.net.fetch = (input) => {
    viaElectron.push(String(input))
    return Promise.reject(new Error('net.fetch is not used for feeds'))
  }
})
afterEach(async () => {
  await app?.stop()
  await ntfy?.close()
  app = null
  ntfy = null
})

describe('network in the app', () => {
  it('feeds and Test connection ask the system proxy per request, never net.fetch', async () => {
    ntfy = await startNtfyServer()
    const url = buildPresetUrl('ntfy', { server: ntfy.base, topics: 'alerts' })
    if (!url.ok) throw new Error(url.error)
    const feed = feedFromPreset('ntfy', { id: 'a', name: 'Alerts', url: url.value })
    app = await appWithFeed(feed)
    await eventually(async () => expect((await feedStatus(app!, 'a')).state.kind).toBe('open'))
    expect(fake.session.proxyLookups).toContain(url.value)

    const result = (await app.invoke('feed:test', { ...feed, id: 'b' })) as TestConnectionResult
    expect(result).toMatchObject({ ok: true, status: 200 }) // ntfy's open is not an event the log shows
    expect(fake.session.proxyLookups.filter((asked) => asked === url.value)).toHaveLength(2)
    expect(viaElectron).toEqual([])
  })
})
