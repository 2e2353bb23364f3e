// Builds the renderer once into a temp dir and serves it from 127.0.0.1. A production build is
// used because it is what Electron loads (the dev server has its own test: dev-server.test.ts).
import { createServer, type Server } from 'node:http'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { build } from 'vite'
import react from '@vitejs/plugin-react'

const ROOT = resolve(import.meta.dirname, '../../../src/renderer')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
}

export interface ServedRenderer {
  url: string
  dir: string
  dispose(): Promise<void>
}

export async function buildRenderer(outDir: string): Promise<void> {
  // Vitest sets NODE_ENV=test, which makes Vite and the React plugin build for development
  // (React's dev runtime, 3x the size): build what ships, then put the variable back.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await buildProduction(outDir)
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
}

async function buildProduction(outDir: string): Promise<void> {
  await build({
    root: ROOT,
    base: './',
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, sourcemap: false, reportCompressedSize: false },
  })
}

/** Builds (unless `dir` holds a build already) and serves the renderer on a free port. */
export async function serveRenderer(options: { dir?: string } = {}): Promise<ServedRenderer> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'tidings-renderer-')))
  if (!options.dir) await buildRenderer(dir)
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    const file = normalize(join(dir, path === '/' ? 'index.html' : decodeURIComponent(path)))
    if (!file.startsWith(dir + sep)) {
      response.writeHead(403).end()
      return
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        })
        response.end(body)
      },
      () => response.writeHead(404).end('not found'),
    )
  })
  const port = await listen(server)
  return {
    url: `http://127.0.0.1:${port}/`,
    dir,
    async dispose() {
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
      if (!options.dir) await rm(dir, { recursive: true, force: true })
    },
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      done(typeof address === 'object' && address ? address.port : 0)
    })
  })
}
