// The app as composeTidings builds it, in plain Node, for the store's tests: real files in a temp
// folder (through a file layer the test may fault), a real engine against a loopback server the
// test feeds event by event, and every push the window would get recorded.
import type { ServerResponse } from 'node:http'
import { composeTidings, type Tidings, type TidingsDeps } from '../../src/main/core/compose.ts'
import type { SecretCipher } from '../../src/main/store/secrets.ts'
import type { StoredFeed } from '../../src/main/store/settings-schema.ts'
import { feedSettingSchema } from '../../src/shared/settings.ts'
import type { IpcPushes } from '../../src/shared/ipc.ts'
import { tempDir } from '../app/support/fixtures.ts'
import { openStream, startSseServer, type SseServer } from './sse-server.ts'

export interface LiveServer extends SseServer {
  /** Writes to every stream open now. */
  send(text: string): void
  /** Resolves once `n` streams have been opened in all. */
  streams(n: number): Promise<void>
}

/** An SSE server that keeps each stream open and writes what the test sends. */
export async function startLiveServer(): Promise<LiveServer> {
  const open = new Set<ServerResponse>()
  let opened = 0
  const waiting: Array<{ n: number; wake: () => void }> = []
  const server = await startSseServer((_req, res) => {
    openStream(res)
    open.add(res)
    res.on('close', () => open.delete(res))
    opened++
    for (const waiter of waiting.filter((w) => w.n <= opened)) waiter.wake()
  })
  return Object.assign(server, {
    send(text: string) {
      for (const res of open) res.write(text)
    },
    streams(n: number) {
      if (opened >= n) return Promise.resolve()
      return new Promise<void>((wake) => waiting.push({ n, wake }))
    },
  })
}

export interface Push {
  channel: keyof IpcPushes
  payload: unknown
}

export interface StoreApp {
  tidings: Tidings
  dataDir: string
  pushes: Push[]
  logs: string[]
  /** Resolves once the core has logged `n` events in all. */
  events(n: number): Promise<void>
  /** Resolves once the latest push on `channel` matches (it may be there already). */
  pushed<C extends keyof IpcPushes>(
    channel: C,
    matches: (payload: IpcPushes[C]) => boolean,
  ): Promise<IpcPushes[C]>
}

/** A feed setting for the server, in stored form. */
export function feedFor(url: string, overrides: Partial<StoredFeed> = {}): StoredFeed {
  return { ...feedSettingSchema.parse({ id: 'jobs', name: 'Jobs', url }), ...overrides }
}

export async function startStoreApp(
  options: {
    feeds?: StoredFeed[]
    dataDir?: string
    cipher: SecretCipher
  } & Partial<Pick<TidingsDeps, 'io' | 'fetch' | 'now'>>,
): Promise<StoreApp> {
  const dataDir = options.dataDir ?? (await tempDir('tidings-store-'))
  const pushes: Push[] = []
  const logs: string[] = []
  const waiters = new Set<(push: Push) => boolean>()
  const tidings = await composeTidings({
    dataDir,
    cipher: options.cipher,
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    show: () => {},
    send: (channel, payload) => {
      const push = { channel, payload: structuredClone(payload) }
      pushes.push(push)
      for (const waiter of [...waiters]) if (waiter(push)) waiters.delete(waiter)
    },
    openLink: async () => false,
    log: (message) => logs.push(message),
    ...(options.io ? { io: options.io } : {}),
    ...(options.now ? { now: options.now } : {}),
    // Given feeds run instead of the saved ones (and settings are not written); without, the
    // settings file in dataDir is used and written as in the app.
    ...(options.feeds ? { override: (saved) => ({ ...saved, feeds: options.feeds ?? [] }) } : {}),
  })
  tidings.push.markReady()
  return {
    tidings,
    dataDir,
    pushes,
    logs,
    pushed(channel, matches) {
      type P = IpcPushes[typeof channel]
      const latest = pushes.filter((push) => push.channel === channel).at(-1)
      if (latest && matches(latest.payload as P)) return Promise.resolve(latest.payload as P)
      return new Promise((resolve) => {
        const waiter = (push: Push) => {
          if (push.channel !== channel || !matches(push.payload as P)) return false
          resolve(push.payload as P)
          return true
        }
        waiters.add(waiter)
      })
    },
    events(n) {
      if (tidings.history.lastSeq() >= n) return Promise.resolve()
      return new Promise((resolve) => {
        // Looked at after the core's own listener has logged the event.
        const check = () =>
          queueMicrotask(() => {
            if (tidings.history.lastSeq() < n) return
            tidings.engine.off('event', check)
            resolve()
          })
        tidings.engine.on('event', check)
      })
    },
  }
}
