// Events per second through eventsource-parser alone, the bare eventsource package, and the engine.
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { EventSource } from 'eventsource'
import { createParser } from 'eventsource-parser'
import { FeedManager } from '../src/main/feeds/index.ts'
import { createFeedNetwork } from '../src/main/feeds/network/index.ts'

export interface BenchServer {
  url: string
  close(): void
}

export async function startBenchServer(events: number): Promise<BenchServer> {
  const child: ChildProcess = fork(
    new URL('./bench-server.ts', import.meta.url),
    [String(events)],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  )
  const [line] = (await once(child.stdout!, 'data')) as [Buffer]
  return { url: `http://127.0.0.1:${line.toString().trim()}/events`, close: () => child.kill() }
}

/** eventsource-parser fed from fetch: the floor any EventSource built on it pays. */
export async function parserAlone(url: string, events: number): Promise<number> {
  let count = 0
  const parser = createParser({ onEvent: () => void count++ })
  const response = await fetch(url)
  const decoder = new TextDecoder()
  for await (const chunk of response.body!) parser.feed(decoder.decode(chunk, { stream: true }))
  if (count !== events) throw new Error(`parser saw ${count} events, expected ${events}`)
  return count
}

/**
 * The bare eventsource package, listening to both event types the stream carries and reading
 * what any consumer reads (type, data, id), as the engine hands on.
 */
export function barePackage(url: string, events: number): Promise<number> {
  return new Promise((resolve) => {
    let count = 0
    let sink: unknown
    const source = new EventSource(url)
    const onEvent = (event: MessageEvent): void => {
      sink = {
        type: event.type,
        data: event.data as string,
        id: event.lastEventId,
        receivedAt: Date.now(),
      }
      if (++count === events && sink) {
        source.close()
        resolve(count)
      }
    }
    source.addEventListener('message', onEvent)
    source.addEventListener('task.progress', onEvent)
  })
}

/**
 * The Tidings engine as the app and the CLI run it, on the network module: every type, ids
 * tracked, dedupe, idle timer, reconnect policy.
 */
export function engine(url: string, events: number): Promise<number> {
  return new Promise((resolve) => {
    let count = 0
    const network = createFeedNetwork()
    const manager = new FeedManager({ fetch: network.fetch })
    manager.on('event', () => {
      if (++count === events) {
        manager.dispose()
        void network.dispose().then(() => resolve(count))
      }
    })
    manager.apply([{ id: 'bench', name: 'Bench', url }])
  })
}

export async function eventsPerSecond(run: () => Promise<number>, rounds: number): Promise<number> {
  const rates: number[] = []
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint()
    const count = await run()
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    rates.push(count / seconds)
  }
  rates.sort((a, b) => a - b)
  return rates[Math.floor(rates.length / 2)]! // median
}
