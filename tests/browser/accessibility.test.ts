// axe-core on every view and dialog of the real window (tidings ui, the core, loopback feeds), in
// light and dark: zero violations of serious or critical impact. The table of everything axe
// found (rule, impact, count per view) is written to test-results/axe/ for the record.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpsServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoServer, type DemoServer } from '../../src/main/demo/demo-server.ts'
import { makeSelfSigned } from '../support/self-signed.ts'
import { audit, axeTable, blocking, type AxeFinding } from './support/axe.ts'
import { hasChromium, skipReason } from './support/chromium.ts'
import {
  settle,
  startHarness,
  waitForLogged,
  type AppSession,
  type Harness,
} from './support/harness.ts'
import { frame, startSseServer, type SseServer } from './support/sse-server.ts'

const OUT = resolve(import.meta.dirname, '../../test-results/axe')
const dir = mkdtempSync(join(tmpdir(), 'tidings-axe-tls-'))
const tls = makeSelfSigned(dir)

let harness: Harness
let sse: SseServer
let demo: DemoServer
let https: Server | null = null
let httpsUrl = ''

if (!hasChromium) console.warn(`browser tests skipped: ${skipReason}`)

describe.skipIf(!hasChromium)('accessibility (axe-core)', () => {
  beforeAll(async () => {
    ;[harness, sse, demo] = await Promise.all([
      startHarness(),
      startSseServer(),
      startDemoServer({ tickMs: 25, seed: 7 }),
    ])
    sse.reply('/status', { status: 503, contentType: 'text/plain', body: 'maintenance' })
    sse.reply('/gone', { status: 404, contentType: 'text/plain', body: 'Not Found' })
    if (tls) {
      https = createHttpsServer({ key: tls.key, cert: tls.cert }, (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/event-stream' }).end('data: hi\n\n')
      })
      await new Promise<void>((done) => https!.listen(0, '127.0.0.1', done))
      httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}/events`
    }
    mkdirSync(OUT, { recursive: true })
  })
  afterAll(async () => {
    await harness?.close()
    await sse?.close()
    await demo?.close()
    if (https) {
      https.closeAllConnections()
      await new Promise<void>((done) => https!.close(() => done()))
    }
    rmSync(dir, { recursive: true, force: true })
  })

  for (const scheme of ['light', 'dark'] as const) {
    it(`every view and dialog in ${scheme}: no serious or critical violation`, async () => {
      const byView = new Map<string, AxeFinding[]>()
      const check = async (session: AppSession, view: string): Promise<void> => {
        await settle(session)
        byView.set(view, await audit(session.page))
      }

      // A first run: no feeds at all; then only the demo feed.
      const empty = await harness.open({ colorScheme: scheme, settings: { feeds: [] } })
      await check(empty, 'log (no feeds)')
      await empty.close()
      const demoOnly = await harness.open({
        colorScheme: scheme,
        settings: { feeds: [{ id: 'demo', name: 'Demo', url: demo.url, preset: 'demo' }] },
      })
      await waitForLogged(demoOnly, 5)
      await demoOnly.page.getByRole('note', { name: 'Demo feed' }).waitFor()
      await check(demoOnly, 'log (demo)')
      await demoOnly.close()

      const session = await harness.open({
        colorScheme: scheme,
        settings: {
          feeds: [
            { id: 'demo', name: 'Demo builds', url: demo.url },
            { id: 'assistant', name: 'Assistant', url: sse.url(`/axe-assistant-${scheme}`) },
            { id: 'status', name: 'Status page', url: sse.url('/status') },
            { id: 'gone', name: 'Old webhook', url: sse.url('/gone') },
            { id: 'off', name: 'Paused feed', url: sse.url('/off'), enabled: false },
            ...(tls ? [{ id: 'lan', name: 'LAN box', url: httpsUrl }] : []),
          ],
        },
      })
      const { page } = session
      await sse.waitForClients(`/axe-assistant-${scheme}`)
      for (const delta of ['The deploy ', 'finished ', 'at 14:02.'])
        sse.send(
          `/axe-assistant-${scheme}`,
          frame({ event: 'token', data: JSON.stringify({ stream: 'answer-1', delta }) }),
        )
      sse.send(
        `/axe-assistant-${scheme}`,
        frame({ event: 'message', data: '{"title":"Reminder","body":"Stand-up at 10:30"}' }),
      )
      await waitForLogged(session, 40)

      // Log: rows, one hovered (its time column on the hover colour).
      const rows = page.getByRole('list', { name: 'Events' }).getByRole('listitem')
      await rows.nth(2).hover()
      await check(session, 'log')
      // Log: a row's details open under the list, following held.
      await rows.nth(1).getByRole('button').first().click()
      await page.getByRole('region', { name: 'Following paused' }).waitFor()
      await check(session, 'log inspector')
      await page.keyboard.press('Escape')
      await page.mouse.move(0, 0)

      await page.getByRole('tab', { name: /Tasks/ }).click()
      await page.getByRole('list', { name: 'Streams' }).waitFor()
      await check(session, 'tasks')

      await page.getByRole('tab', { name: /Feeds/ }).click()
      await page.getByRole('listitem', { name: 'Status page' }).getByText('Reconnecting').waitFor()
      await check(session, 'feeds')

      await page.getByRole('tab', { name: 'Settings' }).click()
      await page.getByRole('button', { name: 'Save' }).waitFor()
      await check(session, 'settings')

      // Settings: a refused Save, every message beside its field.
      await page.getByLabel('URL', { exact: true }).fill('ftp://builds.example.com/events')
      await page.getByLabel('Quiet from').fill('25:00')
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Nothing was saved').waitFor()
      await check(session, 'settings errors')
      await page.getByRole('button', { name: 'Revert' }).click()

      // Test connection: a failure, and a certificate to trust.
      await page.getByRole('list', { name: 'Configured feeds' }).getByText('Old webhook').click()
      await page.getByRole('button', { name: 'Test connection' }).click()
      await page.getByText(/404/).first().waitFor()
      await check(session, 'test connection')
      if (tls) {
        await page.getByRole('list', { name: 'Configured feeds' }).getByText('LAN box').click()
        await page.getByRole('button', { name: 'Test connection' }).click()
        await page.getByRole('group', { name: 'Presented certificate' }).waitFor()
        await check(session, 'certificate')
      }

      await page.getByRole('button', { name: 'Add from a preset…' }).click()
      await page.getByRole('region', { name: 'Add feed' }).waitFor()
      await page.getByRole('radio', { name: /^ntfy/ }).check()
      await page.getByLabel('Server', { exact: true }).fill('not a url')
      await page.getByRole('button', { name: 'Add ntfy feed' }).click()
      await check(session, 'preset form')

      // Test before Add, in the preset form.
      await page.getByRole('radio', { name: /^Generic/ }).check()
      await page.getByLabel('URL', { exact: true }).fill(sse.url('/gone'))
      await page.getByRole('button', { name: 'Test connection' }).click()
      await page.getByText('Connection failed: HTTP 404').waitFor()
      await check(session, 'preset test')

      await page.getByRole('button', { name: 'Watch a job…' }).click()
      await page.getByRole('form', { name: 'Watch a job' }).waitFor()
      await check(session, 'watch a job')
      await session.close()

      // A narrow window.
      const narrow = await harness.open({
        colorScheme: scheme,
        viewport: { width: 760, height: 700 },
        settings: { feeds: [{ id: 'demo', name: 'Demo builds', url: demo.url }] },
      })
      await waitForLogged(narrow, 10)
      await check(narrow, 'log 760px')
      await narrow.page.getByRole('tab', { name: 'Settings' }).click()
      await narrow.page.getByRole('button', { name: 'Save' }).waitFor()
      await check(narrow, 'settings 760px')
      await narrow.close()

      const table = axeTable(byView)
      writeFileSync(join(OUT, `axe-${scheme}.md`), `# axe-core, ${scheme}\n\n${table}\n`)
      console.log(`axe-core, ${scheme}:\n${table}`)
      const problems = [...byView].flatMap(([view, findings]) =>
        blocking(findings).map(
          (finding) =>
            `${view}: ${finding.rule} (${finding.impact}) ×${finding.count}: ${finding.help} — ${finding.targets.join(', ')}`,
        ),
      )
      expect(problems).toEqual([])
      // One tour of 17 audits, each seconds long on a loaded 2-core machine: beyond the browser
      // project's 60 s per test (a slow machine is no accessibility fault).
    }, 300_000)
  }
})
