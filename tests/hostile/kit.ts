// The hostile tests' per-test kit: loopback servers, the engine on one feed, the app pipeline,
// each cleaned up after the test. Apart from support.ts, which plain-Node tests also import:
// the app pipeline needs the fake 'electron' of the app project.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FeedManager, type FetchLike } from '../../src/main/feeds/index.ts'
import { createFeedNetwork, type FeedNetworkOptions } from '../../src/main/feeds/network/index.ts'
import type { FeedConfig } from '../../src/shared/feed.ts'
import { startChaosApp } from '../support/chaos-pipeline.ts'
import { FeedRecorder } from '../support/feed-recorder.ts'
import { startSseServer, type SseHandler } from '../support/sse-server.ts'

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
