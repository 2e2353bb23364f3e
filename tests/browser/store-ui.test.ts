// What the window shows for issue 12's store items, in Debian's Chromium: a data folder that
// cannot be written, secret headers by name, and a stored secret the feed's new URL may not get.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium } from './support/chromium.ts'
import { settle, startHarness, type Harness } from './support/harness.ts'

let harness: Harness

describe.skipIf(!hasChromium)('store problems and secrets in the window', () => {
  beforeAll(async () => {
    harness = await startHarness()
  })
  afterAll(async () => {
    await harness?.close()
  })

  it('shows "Cannot write to <folder>: disk full" above the Feeds view until it clears', async () => {
    const session = await harness.open({ settings: { feeds: [] } })
    const { page } = session
    await page.getByRole('tab', { name: /Feeds/ }).click()
    await settle(session)
    session.backend.storage({
      folder: '/home/ann/.config/Tidings',
      reason: 'disk full',
      message: 'cannot write to /home/ann/.config/Tidings: disk full',
      detail: "ENOSPC: no space left on device, write '/home/ann/.config/Tidings/history.jsonl'",
      since: Date.now(),
    })
    const banner = page.getByRole('alert').filter({ hasText: 'Cannot write to' })
    await banner.waitFor()
    expect(await banner.textContent()).toContain(
      'Cannot write to /home/ann/.config/Tidings: disk full.',
    )
    expect(await page.getByRole('region', { name: 'Feeds' }).isVisible()).toBe(true)
    await banner.getByText('Details').click()
    await banner.getByText(/ENOSPC: no space left on device/).waitFor()
    session.backend.storage(null)
    await banner.waitFor({ state: 'detached' })
    await session.close()
  })

  it('ticks Secret for a credential-looking name and says why', async () => {
    const session = await harness.open({
      settings: { feeds: [{ id: 'a', name: 'Alpha', url: 'https://a.example.com/events' }] },
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
    expect(session.backend.settings.feeds[0]?.url).toBe('https://a.example.com/events')
    // Back on its own origin (another path): no message.
    await page.getByLabel('URL', { exact: true }).fill('https://a.example.com/other')
    await message.waitFor({ state: 'detached' })
    await session.close()
  })
})
