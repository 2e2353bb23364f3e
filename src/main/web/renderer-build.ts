// Where tidings ui finds the window's production build, and how it makes one when there is none
// (or, run from source, when the renderer changed since): Vite with the renderer's config
// (renderer.vite.ts), as `npm run build` does it.
// Vite is a development dependency, loaded only when a build is needed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type * as Vite from 'vite'
import type * as RendererVite from '../../../renderer.vite.ts'

/** The repository (or installed package) root: the folder whose package.json is ours. */
export function packageRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'tidings')
          return dir
      } catch {
        // not ours
      }
    }
    if (dirname(dir) === dir) throw new Error(`No Tidings package above ${from}.`)
  }
}

/** A variable specifier, so bundling the CLI leaves these development tools out. */
export async function importTool<T>(name: string): Promise<T> {
  return (await import(name)) as T
}

/** Builds the production renderer into `outDir`, as electron-vite's renderer build does. */
export async function buildRenderer(outDir: string, root: string = packageRoot()): Promise<void> {
  const vite = await importTool<typeof Vite>('vite')
  const setup = await importTool<typeof RendererVite>(
    pathToFileURL(join(root, 'renderer.vite.ts')).href,
  )
  const config = setup.rendererConfig()
  // Under Vitest NODE_ENV is 'test', which makes Vite and React build for development: build what
  // ships, then put the variable back.
  const nodeEnv = process.env['NODE_ENV']
  process.env['NODE_ENV'] = 'production'
  try {
    await vite.build({
      ...config,
      base: './',
      configFile: false,
      logLevel: 'warn',
      mode: 'production',
      build: {
        ...config.build,
        outDir,
        emptyOutDir: true,
        sourcemap: false,
        reportCompressedSize: false,
      },
    })
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV']
    else process.env['NODE_ENV'] = nodeEnv
  }
}

/** The newest modification time of the files the renderer is built from. */
function newestSource(root: string): number {
  let newest = 0
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs)
    }
  }
  for (const dir of ['src/renderer', 'src/shared']) walk(join(root, dir))
  return newest
}

export interface RendererLocation {
  dir: string
  /** Why a build is needed first, or null when `dir` is ready. */
  build: 'missing' | 'stale' | null
}

/**
 * out/renderer of the package; a build is due when it is missing, or (sources present, as in a
 * clone) older than them.
 */
export function locateRenderer(root: string = packageRoot()): RendererLocation {
  const dir = join(root, 'out/renderer')
  const index = join(dir, 'index.html')
  if (!existsSync(index)) return { dir, build: 'missing' }
  if (existsSync(join(root, 'src/renderer')) && newestSource(root) > statSync(index).mtimeMs)
    return { dir, build: 'stale' }
  return { dir, build: null }
}
