// Builders shared by the hostile-input tables.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { main } from '../../src/main/cli.ts'
import { FeedManager, type FetchLike } from '../../src/main/feeds/index.ts'
import { createFeedNetwork, type FeedNetworkOptions } from '../../src/main/feeds/network/index.ts'
import type { FeedConfig } from '../../src/shared/feed.ts'
import { startChaosApp } from '../support/chaos-pipeline.ts'
import { FeedRecorder } from '../support/feed-recorder.ts'
import { startSseServer, type SseHandler } from '../support/sse-server.ts'
import type { SecretCipher } from '../../src/main/store/secrets.ts'
import { storedSettingsSchema, type StoredSettings } from '../../src/main/store/settings-schema.ts'
import { SettingsService } from '../../src/main/store/settings-service.ts'

/** Runs the CLI in-process; resolves with its exit code and what it printed. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const code = await main(argv, {
    stdout,
    stderr,
    env,
    platform: 'linux',
    interrupt: new AbortController().signal,
  })
  return { code, stdout: out, stderr: err }
}

export const plainCipher: SecretCipher = {
  isAvailable: async () => true,
  encrypt: async (plain) => Buffer.from(`sealed:${plain}`).toString('base64'),
  decrypt: async (sealed) => ({
    value: Buffer.from(sealed, 'base64')
      .toString()
      .replace(/^sealed:/, ''),
    reseal: false,
  }),
}

/** A settings service holding one good feed, with every write it persists recorded. */
export async function settingsWithOneFeed(): Promise<{
  service: SettingsService
  persisted: StoredSettings[]
  before: StoredSettings
}> {
  const persisted: StoredSettings[] = []
  const before = storedSettingsSchema.parse({
    feeds: [{ id: 'ci', name: 'CI', url: 'https://ci.example.com/events' }],
  })
  const service = await SettingsService.create({
    initial: before,
    cipher: plainCipher,
    persist: (next) => persisted.push(next),
  })
  return { service, persisted, before }
}

/**
 * Per-test builders that clean up after themselves: loopback servers, and the engine on one feed
 * "h" (backoff jitter fixed: 10 ms, 20 ms, 40 ms…), on the app's network module unless a fetch
 * is given.
 */
export function hostileKit(afterEach: (fn: () => Promise<void>) => void) {
  const cleanups: Array<() => unknown> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  const cleanup = (fn: () => unknown) => void cleanups.push(fn)
  return {
    cleanup,
    async serve(handler: SseHandler) {
      const server = await startSseServer(handler)
      cleanup(() => server.close())
      return server
    },
    engine(
      config: Omit<FeedConfig, 'id' | 'name'>,
      options: { fetch?: FetchLike; random?: () => number; network?: FeedNetworkOptions } = {},
    ) {
      let fetch = options.fetch
      if (!fetch) {
        const network = createFeedNetwork(options.network)
        cleanup(() => network.dispose())
        fetch = network.fetch
      }
      const feeds = new FeedManager({ random: options.random ?? (() => 0.01), fetch })
      cleanup(() => feeds.dispose())
      const rec = new FeedRecorder(feeds)
      feeds.apply([{ id: 'h', name: 'H', ...config }])
      return { feeds, rec }
    },
    /** The app pipeline (composeTidings) with one feed "h"; stopped and removed afterwards. */
    async app(url: string, beforeStart?: (dir: string) => Promise<void>) {
      const app = await startChaosApp({
        random: () => 0.01,
        settings: { feeds: [{ id: 'h', name: 'H', url }] },
        ...(beforeStart ? { beforeStart } : {}),
      })
      cleanup(() => app.removeFiles())
      cleanup(() => app.stop())
      return app
    },
  }
}

/** The resume ids the app left in its state file. */
export async function savedPositions(dir: string): Promise<Record<string, string>> {
  const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as {
    lastEventIds: Record<string, string>
  }
  return state.lastEventIds
}
