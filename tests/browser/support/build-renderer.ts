// The production renderer, built once for the whole browser project (globalSetup below) into a
// temp dir that every test file's `tidings ui` server serves. Built by the same code tidings ui
// uses when it finds no build (src/main/web/renderer-build.ts).
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { buildRenderer } from '../../../src/main/web/renderer-build.ts'
import { builtRenderer } from '../../../src/main/web/renderer-files.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    rendererDir: string
  }
}

/** Vitest globalSetup of the browser project. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-renderer-'))
  await buildRenderer(dir)
  project.provide('rendererDir', dir)
  return () => rm(dir, { recursive: true, force: true })
}

export interface ServedRenderer {
  url: string
  dir: string
  dispose(): Promise<void>
}

/**
 * The built renderer on a bare static server (no tidings ui behind it), for the renderer
 * benchmark, whose page brings its own window.tidings.
 */
export async function serveRenderer(): Promise<ServedRenderer> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-renderer-'))
  await buildRenderer(dir)
  const files = await builtRenderer(dir)
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    void files.serve(request, response, path)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    dir,
    async dispose() {
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
      await rm(dir, { recursive: true, force: true })
    },
  }
}
