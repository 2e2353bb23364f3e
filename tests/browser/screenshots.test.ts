// Screenshots of every view in light and dark, from the real app (tidings ui, the core, the
// production window) in a realistic session: the built-in demo feed plus loopback feeds that
// stream tokens or fail. Kept under test-results/screenshots/; with
// TIDINGS_UPDATE_SCREENSHOTS=1 they are also copied to docs/screenshots/.
import { copyFile, mkdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoServer, type DemoServer } from '../../src/main/demo/demo-server.ts'
import { hasChromium, skipReason } from './support/chromium.ts'
import { settle, startHarness, waitForLogged, type Harness } from './support/harness.ts'
import { frame, startSseServer, type SseServer } from './support/sse-server.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const OUT = join(ROOT, 'test-results/screenshots')
const DOCS = join(ROOT, 'docs/screenshots')
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

let harness: Harness
let sse: SseServer
let demo: DemoServer

if (!hasChromium) console.warn(`browser tests skipped: ${skipReason}`)

describe.skipIf(!hasChromium)('screenshots', () => {
  beforeAll(async () => {
    ;[harness, sse, demo] = await Promise.all([
      startHarness(),
      startSseServer(),
      startDemoServer({ tickMs: 25, seed: 7 }),
    ])
    sse.reply('/status', { status: 503, contentType: 'text/html', body: 'maintenance' })
    sse.reply('/wrong', { status: 200, contentType: 'text/html', body: '<html></html>' })
    await mkdir(OUT, { recursive: true })
  })
  afterAll(async () => {
    await harness?.close()
    await sse?.close()
    await demo?.close()
  })

  for (const scheme of ['light', 'dark'] as const) {
    it(`captures each view in ${scheme}`, async () => {
      const session = await harness.open({
        colorScheme: scheme,
        notifications: true,
        settings: {
          feeds: [
            { id: 'demo', name: 'Demo builds', url: demo.url },
            { id: 'assistant', name: 'Assistant', url: sse.url(`/assistant-${scheme}`) },
            { id: 'newsroom', name: 'Newsroom', url: sse.url(`/newsroom-${scheme}`) },
            { id: 'status', name: 'Status page', url: sse.url('/status') },
            { id: 'wrong', name: 'Old webhook', url: sse.url('/wrong') },
          ],
          quietHours: { enabled: true, start: '22:00', end: '07:00' },
        },
      })
      const { page } = session
      await Promise.all([
        sse.waitForClients(`/assistant-${scheme}`),
        sse.waitForClients(`/newsroom-${scheme}`),
      ])
      const answer =
        'The deploy finished at 14:02; all 6 hosts report v2.14 and error rates are back to normal.'
      for (const delta of answer.match(/\S+\s*/g) ?? [])
        sse.send(
          `/assistant-${scheme}`,
          frame({ event: 'token', data: JSON.stringify({ stream: 'answer-1', delta }) }),
        )
      await waitForLogged(session, 150)
      // A few notable events from other feeds, spaced out between the demo's progress events.
      const notable: [string, string, object][] = [
        [
          'newsroom',
          'news',
          {
            title: 'Tidings 1.2 released',
            body: 'Quiet hours, digests and a faster log.',
            url: 'https://example.com/1.2',
          },
        ],
        ['assistant', 'message', { title: 'Reminder', body: 'Stand-up moves to 10:30 today.' }],
        [
          'newsroom',
          'news',
          {
            title: 'Status: EU region degraded',
            body: 'Elevated error rates on checkout.',
            url: 'https://example.com/status',
          },
        ],
        [
          'assistant',
          'message',
          { title: 'Review requested', body: 'Maya asked you to review “Cache feed colours”.' },
        ],
      ]
      for (const [feed, event, data] of notable) {
        sse.send(`/${feed}-${scheme}`, frame({ event, data: JSON.stringify(data) }))
        await waitForLogged(session, session.app.ui.tidings.history.lastSeq() + 4)
      }
      const shots: string[] = []
      const shoot = async (name: string): Promise<void> => {
        await settle(session)
        const path = join(OUT, `${name}-${scheme}.png`)
        await page.screenshot({ path })
        shots.push(path)
      }
      await shoot('log')
      // A row's details in the inspector under the list, following held.
      await page
        .getByRole('list', { name: 'Events' })
        .getByRole('button', { name: /task\.done/ })
        .last()
        .click()
      await page.getByRole('region', { name: 'Following paused' }).waitFor()
      await shoot('log-expanded')
      await page.keyboard.press('Escape')
      await page.getByRole('tab', { name: /Tasks/ }).click()
      await shoot('tasks')
      await page.getByRole('tab', { name: /Feeds/ }).click()
      await page.getByRole('listitem', { name: 'Status page' }).getByText('Reconnecting').waitFor()
      await shoot('feeds')
      await page.getByRole('tab', { name: 'Settings' }).click()
      // Add from a preset: each part, the address it makes, and Test before Add.
      await page.getByRole('button', { name: 'Add from a preset…' }).click()
      await page.getByRole('radio', { name: /^ntfy/ }).check()
      await page.getByLabel('Server', { exact: true }).fill(sse.url(''))
      await page.getByLabel('Topics', { exact: true }).fill('backups')
      sse.onConnect(
        '/backups/sse',
        frame({
          data: JSON.stringify({
            id: 'n1',
            time: 1_700_000_000,
            event: 'message',
            topic: 'backups',
            title: 'Backup done',
            message: 'All 3 disks copied in 4 min 12 s.',
          }),
        }),
      )
      await page.getByRole('button', { name: 'Test connection' }).click()
      await page.getByText('It would notify: Backup done').waitFor()
      await shoot('settings-preset')
      await page.getByRole('button', { name: 'Cancel' }).click()
      await page.getByRole('list', { name: 'Configured feeds' }).getByText('Demo builds').click()
      await page.getByRole('button', { name: 'Add header' }).click()
      await page.getByLabel('Header 1 name').fill('Authorization')
      await page.getByLabel('Header 1 value').fill('Bearer demo-token')
      await page.getByLabel('Secret').check()
      await page.getByLabel('URL').fill('ftp://builds.example.com/events')
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Nothing was saved').waitFor()
      await shoot('settings')

      const background = await page.evaluate<string>(
        'getComputedStyle(document.body).backgroundColor',
      )
      expect(background).toBe(scheme === 'light' ? 'rgb(244, 245, 247)' : 'rgb(22, 24, 28)')
      // A narrow window: the Log's summary keeps its room, Settings stacks.
      await page.setViewportSize({ width: 760, height: 800 })
      await page.getByRole('tab', { name: 'Log' }).click()
      await shoot('log-narrow')
      await page.getByRole('tab', { name: 'Settings' }).click()
      await shoot('settings-narrow')

      for (const path of shots) {
        const bytes = await readFile(path)
        expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
        expect(bytes.readUInt32BE(16)).toBe(path.includes('-narrow-') ? 760 : 1280)
        expect(bytes.readUInt32BE(20)).toBe(800)
      }
      if (process.env.TIDINGS_UPDATE_SCREENSHOTS === '1') {
        await mkdir(DOCS, { recursive: true })
        for (const path of shots) await copyFile(path, join(DOCS, path.split('/').pop()!))
      }
      expect(
        session.errors.filter((error) => !/frame-ancestors|status of (503|404)/.test(error)),
      ).toEqual([])
      await session.close()
    })
  }
})
