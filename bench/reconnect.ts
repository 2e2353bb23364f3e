// Reconnect time after a server restart: the server process is killed (every connection
// dropped, port closed) and started again on the same port; the engine's feed must notice,
// back off and come back, resuming after the last event id it had.
import { FeedManager } from '../src/main/feeds/index.ts'
import { startPacedServer, waitFor, type ServerProcess } from './pipeline.ts'
import { percentile } from './stats.ts'

export interface ReconnectResult {
  trials: number
  retryMs: number
  /** From the kill to the engine reporting the failure. */
  noticed: { p50: number; max: number }
  /** From the new server listening to the feed open again. */
  backUp: { p50: number; p90: number; max: number }
  /** From the kill to the feed open again (includes the server's own restart). */
  total: { p50: number; p90: number; max: number }
  /** Trials where the first event after the restart was not the next id. */
  gaps: number
}

export async function measureReconnect(
  trials: number,
  /** The server's `retry:` hint in ms; 0 sends none (the engine's own backoff decides). */
  retryMs: number,
): Promise<ReconnectResult> {
  let server: ServerProcess = await startPacedServer(20, 0, retryMs)
  const port = server.port
  const feeds = new FeedManager()
  const ids: number[] = []
  feeds.on('event', (event) => ids.push(Number(event.id)))
  feeds.apply([{ id: 'r', name: 'R', url: server.url('r') }])
  const noticed: number[] = []
  const backUp: number[] = []
  const total: number[] = []
  let gaps = 0
  const state = () => feeds.getState('r')?.kind
  try {
    await waitFor(() => state() === 'open' && ids.length > 5, 10_000, 5)
    for (let trial = 0; trial < trials; trial++) {
      const killedAt = performance.now()
      await server.stop()
      await waitFor(() => state() === 'reconnecting', 10_000, 1)
      noticed.push(performance.now() - killedAt)
      const lastBefore = ids.at(-1)!
      server = await startPacedServer(20, port, retryMs)
      const upAt = performance.now()
      await waitFor(() => state() === 'open', 120_000, 1)
      const openAt = performance.now()
      backUp.push(openAt - upAt)
      total.push(openAt - killedAt)
      const seen = ids.length
      await waitFor(() => ids.length > seen, 10_000, 5)
      if (ids[seen] !== lastBefore + 1) gaps++
    }
  } finally {
    feeds.dispose()
    await server.stop()
  }
  const summary = (values: number[]) => ({
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    max: Math.max(...values),
  })
  return {
    trials,
    retryMs,
    noticed: { p50: percentile(noticed, 50), max: Math.max(...noticed) },
    backUp: summary(backUp),
    total: summary(total),
    gaps,
  }
}
