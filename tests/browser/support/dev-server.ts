// The renderer's dev server with hot reload, configured as electron-vite runs it (rendererConfig
// in renderer.vite.ts), embedded in tidings ui's server as `npm run dev` does without Electron. It
// serves a copy of src/renderer and src/shared from a temp dir: a test can edit a file there and
// watch the page update, and the worktree stays untouched.
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { devRenderer, type RendererFiles } from '../../../src/main/web/renderer-files.ts'

const ROOT = resolve(import.meta.dirname, '../../..')

export interface DevCopy {
  /** The window's files for tidings ui: the dev server on the copy. */
  renderer(): RendererFiles
  /** Rewrites one file of the copied renderer (path relative to src/renderer). */
  edit(path: string, change: (text: string) => string): Promise<void>
  close(): Promise<void>
}

export async function startDevCopy(): Promise<DevCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-dev-'))
  await cp(join(ROOT, 'src/renderer'), join(dir, 'src/renderer'), { recursive: true })
  await cp(join(ROOT, 'src/shared'), join(dir, 'src/shared'), { recursive: true })
  // Bare imports (react, zod) resolve from here as they do in the worktree.
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  const root = join(dir, 'src/renderer')
  return {
    renderer: () =>
      devRenderer({
        packageRoot: ROOT,
        root,
        config: {
          cacheDir: join(dir, '.vite'),
          logLevel: 'warn',
          server: { fs: { allow: [dir, ROOT] } },
        },
      }),
    async edit(path, change) {
      const file = join(root, path)
      await writeFile(file, change(await readFile(file, 'utf8')))
    },
    async close() {
      await rm(dir, { recursive: true, force: true })
    },
  }
}
