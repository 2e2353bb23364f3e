// The renderer's Vite setup, in one place for every way the page is served: electron-vite
// (`npm run dev`, `npm run build`), the browser tests' dev server, and `tidings ui` in
// development.
//
// The dev server serves the page's Content-Security-Policy (its <meta> in src/renderer/index.html)
// as a response header too, so the policy covers the whole page: a <meta> policy guards only what
// follows it, and Vite injects its scripts ahead of it. @vitejs/plugin-react's React Refresh
// preamble is one of them, an inline script that script-src 'self' refuses (the window would stay
// blank), so the dev server adds the SHA-256 of each inline script it injected to script-src:
// exactly those run, nothing else inline. Builds never see this plugin: the production page
// keeps its CSP as written, first in <head>.
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { createServer, type Plugin, type UserConfig, type ViteDevServer } from 'vite'

export const RENDERER_ROOT = resolve(import.meta.dirname, 'src/renderer')

/** The renderer's Vite config; `root` elsewhere serves a copy (tests edit one for hot reload). */
export function rendererConfig(root: string = RENDERER_ROOT): UserConfig {
  return {
    root,
    plugins: [react(), devCsp()],
    build: { rollupOptions: { input: resolve(root, 'index.html') } },
  }
}

/** Dev server only: the page's CSP as a header as well, allowing the inline scripts Vite injected. */
export function devCsp(): Plugin {
  return {
    name: 'tidings:dev-csp',
    apply: 'serve',
    transformIndexHtml: { order: 'post', handler: (html) => allowInlineScripts(html) },
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        // Vite's HTML middleware ends the response with the transformed page in one piece.
        const end = res.end.bind(res) as (...args: unknown[]) => typeof res
        res.end = ((...args: unknown[]) => {
          const [body] = args
          const html = typeof body === 'string' || Buffer.isBuffer(body) ? String(body) : ''
          const policy = res.headersSent ? null : pagePolicy(html)
          if (policy) res.setHeader('Content-Security-Policy', policy)
          return end(...args)
        }) as typeof res.end
        next()
      })
    },
  }
}

/** The policy of a page's CSP <meta>, if it has one. */
export function pagePolicy(html: string): string | null {
  return /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1] ?? null
}

const CSP_SCRIPT_SRC = /(http-equiv="Content-Security-Policy"\s+content="[^"]*\bscript-src 'self')/

/** `html` with the hash of each inline script added to its CSP's script-src. */
export function allowInlineScripts(html: string): string {
  const inline = [...html.matchAll(/<script\b(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
  if (inline.length === 0) return html
  if (!CSP_SCRIPT_SRC.test(html))
    throw new Error("dev CSP: the page has no Content-Security-Policy with script-src 'self'")
  const hashes = inline.map(
    ([, body]) =>
      `'sha256-${createHash('sha256')
        .update(body ?? '')
        .digest('base64')}'`,
  )
  return html.replace(CSP_SCRIPT_SRC, `$1 ${[...new Set(hashes)].join(' ')}`)
}

export interface RendererDevServer {
  url: string
  server: ViteDevServer
  close(): Promise<void>
}

/** The renderer's dev server (with hot reload) on 127.0.0.1, as electron-vite runs it. */
export async function startRendererDevServer(
  options: { root?: string; port?: number; config?: UserConfig } = {},
): Promise<RendererDevServer> {
  const base = rendererConfig(options.root)
  const server = await createServer({
    ...base,
    ...options.config,
    configFile: false,
    server: {
      host: '127.0.0.1',
      port: options.port ?? 0,
      strictPort: true,
      ...options.config?.server,
    },
  })
  await server.listen()
  const address = server.httpServer?.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return { url: `http://127.0.0.1:${port}/`, server, close: () => server.close() }
}
