// Shows the notification center's decisions as native notifications. Electron drops the click
// of a notification that was garbage-collected, so each one is referenced until it closes (at
// most `maxTracked`, oldest dropped first); a `show` that never fires (no notification daemon)
// is given up after a timeout rather than kept forever.
import { Notification } from 'electron'
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

  show(notification: OutgoingNotification): void {
    if (!Notification.isSupported()) {
      this.#options.log?.(`Notifications are not supported here: ${notification.title}`)
      return
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
    const entry: Tracked = { native, timer: null }
    entry.timer = setTimeout(() => {
      this.unconfirmed++
      this.#options.log?.(`Notification "${notification.title}" was never shown; giving up on it.`)
      this.#forget(key)
    }, this.#options.showTimeoutMs ?? 10_000)
    entry.timer.unref?.()
    native.on('show', () => {
      if (entry.timer) clearTimeout(entry.timer)
      entry.timer = null
    })
    native.on('click', () => {
      this.#options.onClick(notification)
      this.#forget(key)
    })
    native.on('close', () => this.#forget(key))
    native.on('failed', (_event, error) => {
      this.#options.log?.(`Notification failed: ${String(error)}`)
      this.#forget(key)
    })
    this.#tracked.set(key, entry)
    while (this.#tracked.size > (this.#options.maxTracked ?? 100)) {
      const oldest = this.#tracked.keys().next().value
      if (oldest === undefined) break
      this.#forget(oldest)
    }
    native.show()
  }

  dispose(): void {
    for (const key of [...this.#tracked.keys()]) this.#forget(key)
  }

  #forget(key: string): void {
    const entry = this.#tracked.get(key)
    if (!entry) return
    if (entry.timer) clearTimeout(entry.timer)
    entry.native.removeAllListeners()
    this.#tracked.delete(key)
  }
}
