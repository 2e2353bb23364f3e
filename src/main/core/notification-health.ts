// Whether notifications reach the user, judged from what became of the latest one: shown,
// refused by the OS, never confirmed, or not supported at all. Plain Node: the Electron shell
// and `tidings ui` (the OS's notifier) both report outcomes here, through the `show` dependency
// of composeTidings, and the window reads the result through the IPC contract.
import type { NotificationHealth, NotificationOutcome } from '../../shared/ipc.ts'

const STATUS: Record<NotificationOutcome['kind'], NotificationHealth['status']> = {
  shown: 'ok',
  failed: 'failed',
  unconfirmed: 'unconfirmed',
  unsupported: 'unsupported',
}

export interface NotificationHealthOptions {
  platform: string
  now?: () => number
  /** Told after every change of the health. */
  onChange?: (health: NotificationHealth) => void
}

export class NotificationHealthMonitor {
  readonly #options: NotificationHealthOptions
  #health: NotificationHealth

  constructor(options: NotificationHealthOptions) {
    this.#options = options
    this.#health = { status: 'unknown', detail: null, since: null, platform: options.platform }
  }

  current(): NotificationHealth {
    return this.#health
  }

  record(outcome: NotificationOutcome): void {
    const status = STATUS[outcome.kind]
    const detail = outcome.kind === 'failed' ? outcome.error || 'no reason given' : null
    if (status === this.#health.status && detail === this.#health.detail) return
    const now = this.#options.now ?? Date.now
    this.#health = { status, detail, since: now(), platform: this.#options.platform }
    this.#options.onChange?.(this.#health)
  }

  /** Records what a `show` reported, if it reports anything (a promise of its outcome). */
  async track(report: void | Promise<NotificationOutcome>): Promise<void> {
    if (!report) return
    const outcome = await report.catch((error: unknown): NotificationOutcome => ({
      kind: 'failed',
      error: String(error),
    }))
    this.record(outcome)
  }
}
