import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { MAIN_BUNDLED } from './main.vite.ts'
import { rendererConfig } from './renderer.vite.ts'

// Main process and CLI share one build: the CLI is a second entry of the main bundle, so
// `npm run build` produces both and they run the very same engine code.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: [...MAIN_BUNDLED] },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        // A sandboxed preload cannot load ES modules or other files: one CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  // The same config the browser tests' dev server and `tidings ui` use (renderer.vite.ts): in
  // dev it serves the page's CSP as a header, allowing only the inline scripts Vite injected.
  renderer: rendererConfig(),
})
