// `npm run dev`: the renderer's dev server (as electron-vite runs it) in Chromium, under the
// page's own CSP delivered as a header, as strict as production's but for the inline scripts
// Vite itself injected. The app mounts, and an edited component updates in place (hot reload,
// no page reload). The dev server runs inside tidings ui's server, on the real core, as
// `npm run dev` does where there is no Electron.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveConfig } from 'vite'
import { rendererConfig } from '../../renderer.vite.ts'
import { hasChromium, skipReason } from './support/chromium.ts'
import { startDevCopy, type DevCopy } from './support/dev-server.ts'
import { startHarness, type AppSession, type Harness, type TestApp } from './support/harness.ts'

if (!hasChromium) console.warn(`browser tests skipped: ${skipReason}`)

describe.skipIf(!hasChromium)('the renderer dev server (npm run dev)', () => {
  let dev: DevCopy
  let harness: Harness
  let app: TestApp
  beforeAll(async () => {
    ;[dev, harness] = await Promise.all([startDevCopy(), startHarness()])
    app = await harness.start({ renderer: () => dev.renderer() })
  })
  afterAll(async () => {
    await harness?.close()
    await dev?.close()
  })

  async function open(): Promise<{
    page: AppSession['page']
    problems(): string[]
    response: Awaited<ReturnType<AppSession['page']['reload']>>
    close(): Promise<void>
  }> {
    const session = await app.open()
    const { page } = session
    const problems = () =>
      session.errors.filter(
        // Chromium says this of any <meta> policy (production's too); it is not a refusal.
        (error) => !error.includes("'frame-ancestors' is ignored when delivered via a <meta>"),
      )
    // The page as tidings ui serves it (signed in): the headers of its own document.
    const response = await page.reload()
    await page.getByRole('tab', { name: 'Log' }).waitFor({ timeout: 15_000 })
    return { page, problems, response, close: () => session.context.close() }
  }

  it('mounts the app under the page CSP, which allows only the inline scripts Vite injected', async () => {
    const { page, problems, response, close } = await open()
    // React Refresh's preamble ran (the runtime hooked into React), and nothing was refused.
    expect(await page.evaluate('typeof window.$RefreshReg$')).toBe('function')
    expect(problems()).toEqual([])
    const header = response?.headers()['content-security-policy'] ?? ''
    const scriptSrc = / script-src ([^;]+)/.exec(header)?.[1]?.split(' ') ?? []
    expect(scriptSrc[0]).toBe("'self'")
    expect(scriptSrc.length).toBeGreaterThan(1)
    for (const source of scriptSrc.slice(1)) expect(source).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/)
    expect(header).not.toContain('unsafe-eval')
    expect(header).toContain("object-src 'none'")
    await close()
  })

  it('hot-reloads an edited component in place, without reloading the page', async () => {
    const { page, problems, close } = await open()
    await page.evaluate('window.__stillTheSamePage = true')
    await dev.edit('src/App.tsx', (source) => {
      const edited = source.replace(
        "{ id: 'tasks', label: 'Tasks' }",
        "{ id: 'tasks', label: 'Jobs' }",
      )
      if (edited === source) throw new Error('App.tsx no longer has the Tasks tab label')
      return edited
    })
    await page.getByRole('tab', { name: 'Jobs' }).waitFor()
    expect(await page.evaluate('window.__stillTheSamePage')).toBe(true)
    expect(problems()).toEqual([])
    await close()
  })

  it('leaves the production build without the dev CSP plugin (its CSP stays as written)', async () => {
    const build = await resolveConfig({ ...rendererConfig(), configFile: false }, 'build')
    const serve = await resolveConfig({ ...rendererConfig(), configFile: false }, 'serve')
    expect(build.plugins.map((plugin) => plugin.name)).not.toContain('tidings:dev-csp')
    expect(serve.plugins.map((plugin) => plugin.name)).toContain('tidings:dev-csp')
  })
})
