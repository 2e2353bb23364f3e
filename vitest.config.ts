import { defineConfig } from 'vitest/config'

// One runner for everything. Projects split tests by where their code runs:
// - node:    the plain-Node engine, notification logic, core, stores, CLI and cross-module tests
// - app:     the Electron layer, with 'electron' replaced by one fake (tests/setup/electron.ts)
// - browser: the renderer in Debian's Chromium via Playwright, served by the real tidings ui
// - e2e:     the packaged app via Playwright's _electron (skipped where no Electron binary exists)
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'node',
          include: [
            'src/main/{feeds,notify,core,store,demo,cli,web}/**/*.test.ts',
            'src/shared/**/*.test.ts',
            'tests/node/**/*.test.ts',
            'tests/core/**/*.test.ts',
            'tests/store/**/*.test.ts',
            'tests/property/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          // Faults injected from a fixed seed against the app's pipeline (npm run test:chaos).
          name: 'chaos',
          include: ['tests/chaos/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/setup/electron.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'app',
          include: [
            'src/main/app/**/*.test.ts',
            'src/preload/**/*.test.ts',
            'tests/app/**/*.test.ts',
            // Hostile input runs through the app's settings store and notifier too.
            'tests/hostile/**/*.test.ts',
            // Each preset against a loopback server speaking its format, through the app.
            'tests/presets/**/*.test.ts',
          ],
          environment: 'node',
          setupFiles: ['tests/setup/electron.ts'],
          // electron-store imports 'electron' itself: inline it so it sees the fake too.
          server: { deps: { inline: ['electron-store'] } },
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          // The production renderer, built once for every file (tidings ui serves it).
          globalSetup: ['tests/browser/support/build-renderer.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
