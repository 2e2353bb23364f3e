// One place that starts what a browser test needs: the built renderer on loopback, Chromium, a
// page with the test bridge, and the real engine behind it.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { SettingsInput } from '../../../src/shared/settings.ts'
import { serveRenderer, type ServedRenderer } from './build-renderer.ts'
import { attachBridge } from './bridge.ts'
import { launchChromium } from './chromium.ts'
import { TestBackend } from './test-backend.ts'

export interface AppSession {
  page: Page
  context: BrowserContext
  backend: TestBackend
  /** Resolves when every push sent so far has reached the page. */
  idle(): Promise<void>
  /** Page errors and console errors, for "no script ran" assertions. */
  errors: string[]
  close(): Promise<void>
}

export interface Harness {
  browser: Browser
  renderer: ServedRenderer
  open(options?: {
    settings?: SettingsInput
    colorScheme?: 'light' | 'dark'
    viewport?: { width: number; height: number }
    encryptionAvailable?: boolean
  }): Promise<AppSession>
  close(): Promise<void>
}

export async function startHarness(): Promise<Harness> {
  const [renderer, browser] = await Promise.all([serveRenderer(), launchChromium()])
  return {
    browser,
    renderer,
    async open(options = {}) {
      const context = await browser.newContext({
        viewport: options.viewport ?? { width: 1280, height: 800 },
        colorScheme: options.colorScheme ?? 'light',
        acceptDownloads: true,
        reducedMotion: 'reduce',
      })
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: new URL(renderer.url).origin,
      })
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text())
      })
      const backend = new TestBackend(options.settings)
      if (options.encryptionAvailable === false) backend.encryptionAvailable = false
      const bridge = await attachBridge(page, backend)
      await page.goto(renderer.url)
      return {
        page,
        context,
        backend,
        errors,
        idle: bridge.idle,
        async close() {
          backend.dispose()
          await context.close()
        },
      }
    },
    async close() {
      await browser.close()
      await renderer.dispose()
    },
  }
}

/** Waits for every queued push to reach the page and the page to render a frame. */
export async function settle(session: AppSession): Promise<void> {
  await session.idle()
  // A string: this file is typed for Node, the expression runs in the page.
  await session.page.evaluate(
    'new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))',
  )
}

/** Waits until the backend has logged at least `count` events and the page has them. */
export async function waitForLogged(session: AppSession, count: number): Promise<void> {
  await session.backend.pushed(count)
  await settle(session)
}

/**
 * Waits, frame by frame, until a page expression is true. (page.waitForFunction would compile
 * the string with eval, which the app's CSP rightly forbids.)
 */
export async function waitInPage(
  page: Page,
  expression: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${expression}`)
    await page.evaluate('new Promise((done) => requestAnimationFrame(() => done()))')
  }
}
