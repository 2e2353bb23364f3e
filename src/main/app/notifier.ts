// Shows the notification center's decisions as native notifications, and says what became of
// each: shown, failed (macOS refuses an unsigned app; Windows one without its app id), or
// unconfirmed (a `show` that never fires: no notification daemon, a blocked app).
//
// Electron drops the click of a notification that was garbage-collected, so each one is
// referenced until it is done with (at most `maxTracked`, oldest dropped first). On Windows a
// toast that times out fires `close` (reason 'timedOut') and moves to the Action Center, where
// a click still reaches this object: such a toast stays referenced.
import { Notification } from 'electron'
import type { NotificationOutcome } from '../../shared/ipc.ts'
import type { OutgoingNotification } from '../notify/index.ts'

export interface NotifierOptions {
  /** A click: open the link or the log at the event. */
  onClick(notification: OutgoingNotification): void
  icon?: string
  /** Default 10 s. */
  showTimeoutMs?: number
  /** Default 100. */
  maxTracked?: number
  log?: (message: string) => void
}

interface Tracked {
  native: Notification
  timer: NodeJS.Timeout | null
  /** Resolves the outcome once (later calls do nothing). */
  settle(outcome: NotificationOutcome): void
}

export class Notifier {
  readonly #options: NotifierOptions
  readonly #tracked = new Map<string, Tracked>()
  /** Notifications whose `show` never fired within the timeout. */
  unconfirmed = 0

  constructor(options: NotifierOptions) {
    this.#options = options
  }

  /** How many are referenced right now. */
  get tracked(): number {
    return this.#tracked.size
  }

  /** Shows it; resolves with what became of it (never rejects). */
  show(notification: OutgoingNotification): Promise<NotificationOutcome> {
    if (!Notification.isSupported()) {
      this.#options.log?.(`Notifications are not supported here: ${notification.title}`)
      return Promise.resolve({ kind: 'unsupported' })
    }
    this.#forget(notification.key)
    const urgency = notification.urgent ? 'critical' : (notification.urgency ?? 'normal')
    const native = new Notification({
      title: notification.title,
      body: notification.body,
      silent: false,
      urgency,
      timeoutType: urgency === 'critical' ? 'never' : 'default',
      ...(this.#options.icon ? { icon: this.#options.icon } : {}),
    })
    const key = notification.key
    let settle!: (outcome: NotificationOutcome) => void
    const outcome = new Promise<NotificationOutcome>((resolve) => {
      let settled = false
      settle = (value) => {
        if (settled) return
        settled = true
        if (entry.timer) clearTimeout(entry.timer)
        entry.timer = null
        resolve(value)
      }
    })
    const entry: Tracked = { native, timer: null, settle }
    entry.timer = setTimeout(() => {
      this.unconfirmed++
      this.#options.log?.(`Notification "${notification.title}" was never shown; giving up on it.`)
      entry.settle({ kind: 'unconfirmed' })
      this.#forget(key)
    }, this.#options.showTimeoutMs ?? 10_000)
    entry.timer.unref?.()
    native.on('show', () => entry.settle({ kind: 'shown' }))
    native.on('click', () => {
      entry.settle({ kind: 'shown' })
      this.#options.onClick(notification)
      this.#forget(key)
    })
    native.on('close', (details) => {
      entry.settle({ kind: 'shown' })
      // Windows: timed out into the Action Center, where it can still be clicked.
      if (details?.reason === 'timedOut') return
      this.#forget(key)
    })
    native.on('failed', (_event, error) => {
      this.#options.log?.(`Notification failed: ${String(error)}`)
      entry.settle({ kind: 'failed', error: String(error ?? '') })
      this.#forget(key)
    })
    this.#tracked.set(key, entry)
    while (this.#tracked.size > (this.#options.maxTracked ?? 100)) {
      const oldest = this.#tracked.keys().next().value
      if (oldest === undefined) break
      this.#forget(oldest)
    }
    native.show()
    return outcome
  }

  dispose(): void {
    for (const key of [...this.#tracked.keys()]) this.#forget(key)
  }

  #forget(key: string): void {
    const entry = this.#tracked.get(key)
    if (!entry) return
    // Dropped before the OS said anything: nothing confirms it was shown.
    entry.settle({ kind: 'unconfirmed' })
    entry.native.removeAllListeners()
    this.#tracked.delete(key)
  }
}
