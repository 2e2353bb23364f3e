// The browser tests' app: the real `tidings ui` (composeTidings, the web server, the production
// renderer) started in the test process on a temp data folder, and Debian's Chromium signed in
// to it. Only the OS's edges are stand-ins: the desktop notifier records what it is given, the
// keyring is an in-memory one (or none), and links are opened by the page as a browser does.
//
//   const app = await harness.start({ settings: { feeds: [...] } })
//   const session = await app.open()            // a signed-in page
//   await waitForLogged(session, 3)             // the page has events up to seq 3
//   await app.until(() => app.notifications.length > 0, 'a notification')
//   const again = await app.restart()           // same data folder, same settings
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { inject } from 'vitest'
import type { CenterTiming } from '../../../src/main/notify/index.ts'
import { keyringCipher, type KeyringEntry } from '../../../src/main/store/keyring-cipher.ts'
import { sealSettings, type SecretCipher } from '../../../src/main/store/secrets.ts'
import type { StoreFs } from '../../../src/main/store/store-fs.ts'
import { serialize } from '../../../src/main/store/settings-file.ts'
import {
  storedSettingsSchema,
  type StoredSettings,
} from '../../../src/main/store/settings-schema.ts'
import { builtRenderer, type RendererFiles } from '../../../src/main/web/renderer-files.ts'
import { startTidingsUi, type TidingsUi } from '../../../src/main/web/ui-app.ts'
import type { NotificationOutcome } from '../../../src/shared/ipc.ts'
import { parseSettings, type SettingsInput } from '../../../src/shared/settings.ts'
import { launchChromium } from './chromium.ts'

export interface AppOptions {
  /** Written as the settings file before the app starts (a fresh data folder only). */
  settings?: SettingsInput
  /** false: no OS keyring, as on this machine (secrets are refused). */
  keyring?: boolean
  centerTiming?: CenterTiming
  /** Run exactly these feeds, as `tidings ui --feed` does. */
  override?: (saved: StoredSettings) => StoredSettings
  /** How many events the push stream keeps for a page that resumes. */
  replayEvents?: number
  /** The window's files: the production build by default (e.g. devRenderer for hot reload). */
  renderer?: () => RendererFiles | Promise<RendererFiles>
  /** The OS the notifications are shown on, as the Settings view's advice reads it. */
  platform?: NodeJS.Platform
  /** The store's file calls (tests/support/faulty-fs.ts fails the ones a test chooses). */
  io?: StoreFs
}

export interface Call {
  channel: string
  args: unknown[]
}

export interface ShownNotification {
  title: string
  body: string
}

export interface TestApp {
  ui: TidingsUi
  readonly dataDir: string
  /** What the desktop notifier was asked to show, in order. */
  notifications: ShownNotification[]
  /** What the desktop notifier says became of each one from now on (shown by default). */
  outcome: NotificationOutcome
  /** Every request the pages made, after validation, in order. */
  calls: Call[]
  /** The settings as the app keeps them now (secret values sealed). */
  settings(): StoredSettings
  /** Resolves once `predicate` holds (10 s at most). */
  until(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>
  /** A new browser context signed in through the printed address. */
  open(options?: PageOptions): Promise<AppSession>
  /** Stops the app (history and resume ids written) and starts it again on the same folder. */
  restart(options?: Omit<AppOptions, 'settings'>): Promise<TestApp>
  /** Stops it; `keepFiles` leaves the data folder for a restart. */
  close(keepFiles?: boolean): Promise<void>
}

export interface PageOptions {
  colorScheme?: 'light' | 'dark'
  viewport?: { width: number; height: number }
  /** Grants the Web Notifications permission to the page. */
  notifications?: boolean
  /** Runs in the page before the app (e.g. a stand-in for the browser's Notification). */
  initScript?: string
}

export interface AppSession {
  app: TestApp
  page: Page
  context: BrowserContext
  /** Page errors and console errors, for "no script ran" assertions. */
  errors: string[]
  /** Closes the page and its app. */
  close(): Promise<void>
}

export interface Harness {
  browser: Browser
  /** Starts an app (no page yet). */
  start(options?: AppOptions): Promise<TestApp>
  /** Starts an app and opens a signed-in page on it. */
  open(options?: AppOptions & PageOptions): Promise<AppSession>
  close(): Promise<void>
}

/** A keyring that keeps its one entry in memory: the OS boundary, as notify-send is. */
export function memoryKeyring(): SecretCipher {
  let stored: string | null = null
  const entry: KeyringEntry = {
    getPassword: async () => stored,
    setPassword: async (password) => {
      stored = password
    },
  }
  return keyringCipher({ open: async () => entry })
}

/** No keyring: what @napi-rs/keyring reports where no Secret Service runs. */
export function noKeyring(): SecretCipher {
  return keyringCipher({
    open: async () => {
      throw new Error('Platform failure: DBus error: no Secret Service')
    },
  })
}

export async function startHarness(): Promise<Harness> {
  const browser = await launchChromium()
  const apps = new Set<TestApp>()

  async function start(options: AppOptions = {}, reuse?: { dir: string; cipher: SecretCipher }) {
    const dataDir = reuse?.dir ?? (await mkdtemp(join(tmpdir(), 'tidings-ui-test-')))
    const cipher = reuse?.cipher ?? (options.keyring === false ? noKeyring() : memoryKeyring())
    if (!reuse) await writeSettings(dataDir, options.settings ?? { feeds: [] }, cipher)
    const notifications: ShownNotification[] = []
    const calls: Call[] = []
    const checks = new Set<() => void>()
    const changed = () => {
      for (const check of [...checks]) check()
    }
    const ui = await startTidingsUi({
      dataDir,
      port: 0,
      renderer: await (options.renderer?.() ?? builtRenderer(inject('rendererDir'))),
      ...(options.platform ? { platform: options.platform } : {}),
      cipher,
      // No proxy from the machine running the tests: feeds are on loopback.
      env: {},
      notifier: {
        notify(notification) {
          notifications.push(notification)
          changed()
          return Promise.resolve(app.outcome)
        },
      },
      onCall(channel, args) {
        calls.push({ channel, args })
        changed()
      },
      compose: {
        ...(options.centerTiming ? { centerTiming: options.centerTiming } : {}),
        ...(options.io ? { io: options.io } : {}),
      },
      ...(options.replayEvents ? { pushLog: { maxEvents: options.replayEvents } } : {}),
      ...(options.override ? { override: options.override } : {}),
    })
    const { tidings } = ui
    tidings.engine.on('event', changed)
    tidings.engine.on('state', changed)
    tidings.settings.onChange(changed)
    tidings.core.onChange(changed)
    const sessions = new Set<AppSession>()

    const app: TestApp = {
      ui,
      dataDir,
      notifications,
      outcome: { kind: 'shown' },
      calls,
      settings: () => tidings.settings.current,
      until(predicate, what, timeoutMs = 10_000) {
        if (predicate()) return Promise.resolve()
        return new Promise((resolve, reject) => {
          // Checked on everything the app reports, and between those on a short beat for what
          // it does not (a push written, a page that disconnected).
          const beat = setInterval(() => check(), 20)
          const timer = setTimeout(() => {
            stop()
            reject(new Error(`timed out waiting for ${what}`))
          }, timeoutMs)
          const stop = () => {
            clearTimeout(timer)
            clearInterval(beat)
            checks.delete(check)
          }
          const check = () => {
            if (!predicate()) return
            stop()
            resolve()
          }
          checks.add(check)
        })
      },
      async open(pageOptions = {}) {
        const context = await browser.newContext({
          viewport: pageOptions.viewport ?? { width: 1280, height: 800 },
          colorScheme: pageOptions.colorScheme ?? 'light',
          acceptDownloads: true,
          reducedMotion: 'reduce',
        })
        const origin = ui.server.origin
        await context.grantPermissions(
          [
            'clipboard-read',
            'clipboard-write',
            ...(pageOptions.notifications ? ['notifications'] : []),
          ],
          { origin },
        )
        // Loopback only: a link a test opens (https://example.com/…) never leaves the machine;
        // the tab gets a stand-in page at that address.
        await context.route(
          (url) => !/^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname),
          (route) =>
            route.fulfill({ status: 200, contentType: 'text/plain', body: 'not fetched in tests' }),
        )
        if (pageOptions.initScript) await context.addInitScript(pageOptions.initScript)
        const page = await context.newPage()
        const errors: string[] = []
        page.on('pageerror', (error) => errors.push(error.message))
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text())
        })
        const readies = () => calls.filter((call) => call.channel === 'window:ready').length
        const before = readies()
        await page.goto(ui.url)
        await page.getByRole('tab', { name: 'Log' }).waitFor()
        // Loaded: snapshot and settings read, pushes flowing (the window said it is ready).
        await app.until(() => readies() > before, 'the page to be ready')
        const session: AppSession = {
          app,
          page,
          context,
          errors,
          async close() {
            sessions.delete(session)
            await context.close()
            await app.close()
          },
        }
        sessions.add(session)
        return session
      },
      async restart(next = {}) {
        await app.close(true)
        return start({ ...options, ...next }, { dir: dataDir, cipher })
      },
      async close(keepFiles = false) {
        if (!apps.delete(app)) return
        for (const session of sessions) await session.context.close()
        sessions.clear()
        await ui.close()
        if (!keepFiles) await rm(dataDir, { recursive: true, force: true })
      },
    }
    apps.add(app)
    return app
  }

  return {
    browser,
    start: (options) => start(options),
    async open(options = {}) {
      const app = await start(options)
      return app.open(options)
    },
    async close() {
      for (const app of [...apps]) await app.close()
      await browser.close()
    },
  }
}

/** The settings file as the app would have saved this input (secrets sealed by `cipher`). */
async function writeSettings(dir: string, input: SettingsInput, cipher: SecretCipher) {
  const parsed = parseSettings(input)
  if (!parsed.ok) throw new Error(`bad test settings: ${JSON.stringify(parsed.errors)}`)
  const sealed = await sealSettings(parsed.value, storedSettingsSchema.parse({}), cipher)
  if (!sealed.ok) throw new Error(`test settings not sealed: ${JSON.stringify(sealed.errors)}`)
  await writeFile(join(dir, 'settings.json'), serialize(sealed.value))
}

/** Waits for the page to render what it has (a frame, then the tasks after it). */
export async function settle(session: AppSession): Promise<void> {
  // A string: this file is typed for Node, the expression runs in the page.
  await session.page.evaluate(
    'new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))',
  )
}

/** Waits until the page has every event up to seq `count` (pushed or in its snapshot). */
export async function waitForLogged(session: AppSession, count: number): Promise<void> {
  await waitInPage(session.page, `window.tidings.lastSeq >= ${count}`)
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

/** A fresh random path segment, so tests on one SSE server never share a stream. */
export function uniquePath(prefix: string): string {
  return `/${prefix}-${randomBytes(4).toString('hex')}`
}
