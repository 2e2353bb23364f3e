// The app's main-process pipeline without Electron, for benchmarks and the soak: the engine,
// TidingsCore (decide, history on disk, tasks, notification center, feed board) and the push
// queue to the window. Notifications and window pushes are counted, not drawn.
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { composeTidings } from '../src/main/core/compose.ts'
import type { TidingsCore } from '../src/main/core/core.ts'
import type { FeedManager } from '../src/main/feeds/index.ts'
import type { OutgoingNotification } from '../src/main/notify/index.ts'
import type { SecretCipher } from '../src/main/store/secrets.ts'
import { serialize } from '../src/main/store/settings-file.ts'
import { storedSettingsSchema } from '../src/main/store/settings-schema.ts'
import type { LoggedEvent } from '../src/shared/ipc.ts'

// The engine alone on the network module, for the probe to run from the same bundle.
export { FeedManager } from '../src/main/feeds/index.ts'
export { createFeedNetwork } from '../src/main/feeds/network/index.ts'

const noCipher: SecretCipher = {
  isAvailable: async () => false,
  encrypt: async () => '',
  decrypt: async () => ({ value: '', reseal: false }),
}

export interface BenchApp {
  core: TidingsCore
  engine: FeedManager
  notifications: number
  batches: number
  events: number
  /** Called with each batch as it is pushed to the window. */
  onBatch: ((events: LoggedEvent[]) => void) | null
  onNotification: ((notification: OutgoingNotification) => void) | null
  stop(): Promise<void>
}

/**
 * The app as composeTidings builds it, on a temp data folder, with a window that is ready. Its
 * requests go through the network module, as in the desktop app and `tidings ui`.
 */
export async function startBenchApp(feeds: Array<{ id: string; url: string }>): Promise<BenchApp> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-bench-'))
  const initial = storedSettingsSchema.parse({
    feeds: feeds.map((feed) => ({ ...feed, name: `Feed ${feed.id}` })),
  })
  await writeFile(join(dir, 'settings.json'), serialize(initial))
  const counts = { notifications: 0, batches: 0, events: 0 }
  const app: BenchApp = {
    core: null as unknown as TidingsCore,
    engine: null as unknown as FeedManager,
    get notifications() {
      return counts.notifications
    },
    get batches() {
      return counts.batches
    },
    get events() {
      return counts.events
    },
    onBatch: null,
    onNotification: null,
    async stop() {
      await tidings.dispose()
      await rm(dir, { recursive: true, force: true })
    },
  }
  const tidings = await composeTidings({
    dataDir: dir,
    cipher: noCipher,
    show: (notification) => {
      counts.notifications++
      app.onNotification?.(notification)
    },
    send: (channel, payload) => {
      if (channel !== 'events') return
      const batch = payload as LoggedEvent[]
      counts.batches++
      counts.events += batch.length
      app.onBatch?.(batch)
    },
    openLink: async () => false,
  })
  app.core = tidings.core
  app.engine = tidings.engine
  await tidings.start()
  tidings.push.markReady()
  return app
}

export interface ServerProcess {
  port: number
  child: ChildProcess
  url(feedId: string): string
  /** Events the server has written so far, over all connections. */
  written(): Promise<number>
  stop(): Promise<void>
}

/** Starts bench/paced-server.ts in its own process. */
export async function startPacedServer(
  rate: number,
  port = 0,
  retryMs = 1000,
  keepaliveMs = 0,
): Promise<ServerProcess> {
  const args = [String(rate), String(port), String(retryMs), String(keepaliveMs)]
  const child = fork(new URL('./paced-server.ts', import.meta.url), args, {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  })
  const [line] = (await once(child.stdout!, 'data')) as [Buffer]
  const actual = Number(line.toString().trim())
  return {
    port: actual,
    child,
    url: (feedId) => `http://127.0.0.1:${actual}/feeds/${feedId}`,
    async written() {
      child.send('count')
      const [reply] = (await once(child, 'message')) as [{ written: number }]
      return reply.written
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    },
  }
}

/** Resolves once `predicate` holds, polling every `everyMs`. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs: number,
  everyMs = 20,
): Promise<void> {
  const start = Date.now()
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
