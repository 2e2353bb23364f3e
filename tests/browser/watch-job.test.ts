// "Watch a job" in Debian's Chromium, served by the real tidings ui: a bad URL
// is refused beside its field with nothing saved; a good one is saved as a one-shot feed at once
// (removed or kept afterwards, as chosen) and its events reach the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, skipReason } from './support/chromium.ts'
import { startHarness, waitForLogged, type Harness } from './support/harness.ts'
import { frame, startSseServer, type SseServer } from './support/sse-server.ts'

let harness: Harness
let sse: SseServer

if (!hasChromium) console.warn(`browser tests skipped: ${skipReason}`)

describe.skipIf(!hasChromium)('Watch a job', () => {
  beforeAll(async () => {
    ;[harness, sse] = await Promise.all([startHarness(), startSseServer()])
  })
  afterAll(async () => {
    await harness?.close()
    await sse?.close()
  })

  it('refuses a bad URL beside the field, then watches a good one as a one-shot feed', async () => {
    const session = await harness.open({ settings: { feeds: [] } })
    const { page, app } = session
    const saves = () => app.calls.filter((call) => call.channel === 'settings:save')
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Watch a job…' }).click()
    const form = page.getByRole('form', { name: 'Watch a job' })
    const url = form.getByLabel('Stream URL')

    await url.fill('javascript:alert(1)')
    await form.getByRole('button', { name: 'Watch' }).click()
    expect(await url.getAttribute('aria-invalid')).toBe('true')
    expect(await form.getByText('Only http and https URLs are supported').count()).toBe(1)
    expect(saves()).toHaveLength(0)

    sse.onConnect('/job', frame({ id: '1', event: 'export.progress', data: '{"progress":0.5}' }))
    await url.fill(sse.url('/job'))
    await form.getByLabel('Name (optional)').fill('Nightly export')
    await form.getByRole('radio', { name: 'Keep it in the list' }).check()
    await page.screenshot({ path: 'test-results/screenshots/watch-job.png' })
    await form.getByRole('button', { name: 'Watch' }).click()
    await app.until(() => saves().length > 0, 'the feed to be saved')

    expect(saves()).toHaveLength(1)
    expect(app.settings().feeds).toEqual([
      expect.objectContaining({
        name: 'Nightly export',
        url: sse.url('/job'),
        oneShot: true,
        removeWhenFinished: false,
      }),
    ])
    await waitForLogged(session, 1)
    expect(app.ui.tidings.history.events().map((event) => event.type)).toEqual(['export.progress'])
    // The editor shows the saved feed with its one-shot choices.
    expect(await page.getByLabel('One-shot stream').isChecked()).toBe(true)
    expect(await page.getByLabel('Remove when finished').isChecked()).toBe(false)
    await session.close()
  })

  it('defaults to removing the feed once the job finishes, named after its address', async () => {
    const session = await harness.open({ settings: { feeds: [] } })
    const { page, app } = session
    const saves = () => app.calls.filter((call) => call.channel === 'settings:save')
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Watch a job…' }).click()
    const form = page.getByRole('form', { name: 'Watch a job' })
    await form.getByLabel('Stream URL').fill(sse.url('/build/42'))
    await form.getByLabel('Stream URL').press('Enter')
    await app.until(() => saves().length > 0, 'the feed to be saved')
    const host = new URL(sse.url('/')).host
    expect(app.settings().feeds).toEqual([
      expect.objectContaining({
        name: `${host}/build/42`,
        oneShot: true,
        removeWhenFinished: true,
      }),
    ])
    await session.close()
  })
})
