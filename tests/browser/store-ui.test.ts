// What the window shows for issue 12's store items, in Debian's Chromium on the real core
// (tidings ui): a data folder that cannot be written (a disk that fails the history's writes),
// secret headers by name, and a stored secret the feed's new URL may not get.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FaultyFs } from '../support/faulty-fs.ts'
import { hasChromium } from './support/chromium.ts'
import { startHarness, waitForLogged, type Harness } from './support/harness.ts'
import { frame, startSseServer, type SseServer } from './support/sse-server.ts'

let harness: Harness
let sse: SseServer

describe.skipIf(!hasChromium)('store problems and secrets in the window', () => {
  beforeAll(async () => {
    ;[harness, sse] = await Promise.all([startHarness(), startSseServer()])
  })
  afterAll(async () => {
    await harness?.close()
    await sse?.close()
  })

  it('shows "Cannot write to <folder>: disk full" above the Feeds view until it clears', async () => {
    const disk = new FaultyFs()
    const session = await harness.open({
      settings: { feeds: [{ id: 'f', name: 'Builds', url: sse.url('/store-builds') }] },
      io: disk.io,
    })
    const { page, app } = session
    await page.getByRole('tab', { name: /Feeds/ }).click()
    await sse.waitForClients('/store-builds')
    // The disk fills up: the history's next write fails.
    disk.fail({ op: 'write', file: 'history.jsonl', code: 'ENOSPC' })
    sse.send('/store-builds', frame({ id: '1', data: 'build 1' }))
    const banner = page.getByRole('alert').filter({ hasText: 'Cannot write to' })
    await banner.waitFor()
    expect(await banner.textContent()).toContain(`Cannot write to ${app.dataDir}: disk full.`)
    expect(await page.getByRole('region', { name: 'Feeds' }).isVisible()).toBe(true)
    await banner.getByText('Details').click()
    await banner.getByText(/ENOSPC: no space left on device/).waitFor()
    // Room again: the next write works and the banner goes.
    disk.heal()
    sse.send('/store-builds', frame({ id: '2', data: 'build 2' }))
    await waitForLogged(session, 2)
    await banner.waitFor({ state: 'detached' })
    await session.close()
  })

  it('ticks Secret for a credential-looking name and says why', async () => {
    const session = await harness.open({
      // Disabled: nothing connects to the example host (tests stay on loopback).
      settings: {
        feeds: [{ id: 'a', name: 'Alpha', url: 'https://a.example.com/events', enabled: false }],
      },
    })
    const { page } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Add header' }).click()
    await page.getByLabel('Header 1 name').fill('X-Team')
    expect(await page.getByLabel('Secret').isChecked()).toBe(false)
    await page.getByLabel('Header 1 name').fill('X-Api-Key')
    expect(await page.getByLabel('Secret').isChecked()).toBe(true)
    expect(await page.locator('#feed-header-0-value-hint').textContent()).toMatch(
      /Marked secret: the name looks like a credential/,
    )
    // The user's choice stands while the name keeps looking secret.
    await page.getByLabel('Secret').uncheck()
    await page.getByLabel('Header 1 name').fill('X-Api-Key-2')
    expect(await page.getByLabel('Secret').isChecked()).toBe(false)
    await session.close()
  })

  it('a stored secret and a URL on another origin: the message beside the field, nothing saved', async () => {
    const session = await harness.open({
      settings: {
        feeds: [
          {
            id: 'a',
            name: 'Alpha',
            url: 'https://a.example.com/events',
            enabled: false,
            headers: [{ name: 'Authorization', value: 'Bearer a', secret: true }],
          },
        ],
      },
    })
    const { page } = session
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByLabel('URL', { exact: true }).fill('https://b.example.net/events')
    const message = page.locator('#feed-header-0-value-error')
    await message.waitFor()
    expect(await message.textContent()).toContain(
      'The URL now points to https://b.example.net: enter this secret again',
    )
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Nothing was saved').waitFor()
    expect(session.app.settings().feeds[0]?.url).toBe('https://a.example.com/events')
    // Back on its own origin (another path): no message.
    await page.getByLabel('URL', { exact: true }).fill('https://a.example.com/other')
    await message.waitFor({ state: 'detached' })
    await session.close()
  })
})
