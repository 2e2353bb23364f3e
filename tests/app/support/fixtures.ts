// Small builders shared by the app tests.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LoggedEvent } from '../../../src/shared/ipc.ts'
import type { Scheduler } from '../../../src/main/core/push-queue.ts'

export function loggedEvent(seq: number, overrides: Partial<LoggedEvent> = {}): LoggedEvent {
  return {
    seq,
    feedId: 'build',
    type: 'message',
    data: `{"title":"Event ${seq}"}`,
    id: String(seq),
    receivedAt: 1_700_000_000_000 + seq,
    notification: null,
    ...overrides,
  }
}

export function tempDir(prefix = 'tidings-app-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/** A scheduler the test runs by hand: it records each requested delay. */
export class ManualScheduler implements Scheduler {
  readonly pending: Array<{ callback: () => void; delayMs: number; cancelled: boolean }> = []
  schedule(callback: () => void, delayMs: number): () => void {
    const entry = { callback, delayMs, cancelled: false }
    this.pending.push(entry)
    return () => {
      entry.cancelled = true
    }
  }
  /** Live timers. */
  get armed(): number {
    return this.pending.filter((p) => !p.cancelled).length
  }
  /** Runs the timers due now (all live ones), as the clock reaching them would. */
  tick(): void {
    const due = this.pending.splice(0).filter((p) => !p.cancelled)
    for (const entry of due) entry.callback()
  }
}
