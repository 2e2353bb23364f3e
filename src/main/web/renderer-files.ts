// The window's files as tidings ui serves them: the production build (what Electron loads), or
// in development Vite's dev server embedded in ours (hot reload), behind the same Guard. The
// window's own Content-Security-Policy (its meta tag) is sent as a header too, where
// frame-ancestors 'none' takes effect (browsers ignore it in a meta tag).
import { readFile, realpath } from 'node:fs/promises'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { InlineConfig, ViteDevServer } from 'vite'
import type * as Vite from 'vite'
import type * as RendererVite from '../../../renderer.vite.ts'
import { importTool } from './renderer-build.ts'

export interface RendererFiles {
  /** Called with the HTTP server before it listens (the dev server attaches hot reload). */
  attach?(server: Server): Promise<void>
  serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void>
  close?(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
}

/** Used when the page carries no policy of its own (it always should). */
const FALLBACK_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

/** The policy in a page's CSP meta tag, with frame-ancestors 'none' made sure of. */
export function headerPolicy(html: string): string {
  const meta = /<meta\s[^>]*http-equiv=["']Content-Security-Policy["'][^>]*>/i.exec(html)?.[0]
  const content = meta ? /content=(["'])(.*?)\1/is.exec(meta)?.[2] : undefined
  const policy = (content ?? FALLBACK_CSP).trim().replace(/;\s*$/, '')
  return /(^|;)\s*frame-ancestors\s/i.test(policy) ? policy : `${policy}; frame-ancestors 'none'`
}

/** The production renderer in `dir` (out/renderer): index.html and its assets. */
export async function builtRenderer(dir: string): Promise<RendererFiles> {
  const root = await realpath(dir)
  const index = await readFile(join(root, 'index.html'))
  const policy = headerPolicy(index.toString('utf8'))
  return {
    async serve(request, response, pathname) {
      response.setHeader('Content-Security-Policy', policy)
      if (pathname === '/' || pathname === '/index.html')
        return reply(response, 200, '.html', index)
      let file: string
      try {
        file = normalize(join(root, decodeURIComponent(pathname)))
      } catch {
        return reply(response, 400, '.txt', 'Bad path.')
      }
      if (!file.startsWith(root + sep)) return reply(response, 404, '.txt', 'Not found.')
      let body: Buffer
      try {
        body = await readFile(file)
      } catch {
        return reply(response, 404, '.txt', 'Not found.')
      }
      // Hashed asset names: a new build has new names, so they may be cached.
      if (pathname.startsWith('/assets/'))
        response.setHeader('Cache-Control', 'private, max-age=31536000, immutable')
      reply(response, 200, extname(file), request.method === 'HEAD' ? '' : body)
    },
  }
}

function reply(response: ServerResponse, status: number, ext: string, body: Buffer | string) {
  response.writeHead(status, {
    'Content-Type':
      TYPES[ext] ?? (ext === '.txt' ? 'text/plain; charset=utf-8' : 'application/octet-stream'),
  })
  response.end(body)
}

/**
 * Vite's dev server inside ours, with hot reload over our HTTP server, configured as electron-vite
 * runs it (rendererConfig in renderer.vite.ts, whose dev plugin sends the page's CSP as a header
 * with the hashes of the inline scripts Vite injected). Our own header adds frame-ancestors only.
 */
export function devRenderer(
  options: { packageRoot: string; root?: string; config?: InlineConfig } = {
    packageRoot: process.cwd(),
  },
): RendererFiles {
  let vite: ViteDevServer | null = null
  return {
    async attach(server) {
      const { createServer } = await importTool<typeof Vite>('vite')
      const setup = await importTool<typeof RendererVite>(
        pathToFileURL(join(options.packageRoot, 'renderer.vite.ts')).href,
      )
      vite = await createServer({
        ...setup.rendererConfig(options.root),
        ...options.config,
        configFile: false,
        mode: 'development',
        server: { ...options.config?.server, middlewareMode: true, hmr: { server } },
        appType: 'spa',
      })
    },
    serve(request, response) {
      response.setHeader('Content-Security-Policy', "frame-ancestors 'none'")
      // The dev server caches by ETag; our no-store would only slow it down.
      response.removeHeader('Cache-Control')
      return new Promise<void>((resolve) => {
        if (!vite) return (reply(response, 503, '.txt', 'The dev server is starting.'), resolve())
        response.on('finish', () => resolve())
        response.on('close', () => resolve())
        vite.middlewares(request, response, () => {
          reply(response, 404, '.txt', 'Not found.')
        })
      })
    },
    async close() {
      await vite?.close()
    },
  }
}
