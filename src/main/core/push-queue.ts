// Main -> renderer pushes, batched: events are sent at most once per interval (50 ms) in
// batches of bounded size; state channels (feeds, tasks, settings, notification health) send
// only their latest value. Nothing goes out until the window says it is ready, and what waits is bounded: the
// window reads everything older from the snapshot anyway.
import type { AppView, IpcPushes, LoggedEvent } from '../../shared/ipc.ts'

type LatestChannel = 'settings' | 'feeds' | 'tasks' | 'notification-health' | 'storage'
// State first, so events and focus requests find their feeds; focus last, after its event.
export const LATEST_ORDER: readonly LatestChannel[] = [
  'settings',
  'feeds',
  'tasks',
  'notification-health',
  'storage',
]

export interface Scheduler {
  schedule(callback: () => void, delayMs: number): () => void
}

export const timerScheduler: Scheduler = {
  schedule(callback, delayMs) {
    const timer = setTimeout(callback, delayMs)
    return () => clearTimeout(timer)
  },
}

/** A value set with latestSoon() goes out with every this-many-th flush at most (250 ms). */
const SOON_EVERY = 5

export interface PushQueueOptions {
  send<C extends keyof IpcPushes>(channel: C, payload: IpcPushes[C]): void
  intervalMs?: number
  /** Most events in one batch. */
  maxBatch?: number
  /** Most events waiting; the oldest are dropped beyond it. */
  maxQueued?: number
  scheduler?: Scheduler
  /**
   * Several windows read these pushes (tidings ui's pages): one window's snapshot must not take
   * queued events from the others, so snapshotTaken() keeps them.
   */
  shared?: boolean
}

export class PushQueue {
  readonly intervalMs: number
  readonly maxBatch: number
  readonly maxQueued: number
  #send: PushQueueOptions['send']
  #scheduler: Scheduler
  #ready = false
  #events: LoggedEvent[] = []
  #latest = new Map<LatestChannel, unknown>()
  /** Channels whose waiting value may wait for its turn (see latestSoon), and the flush each
   *  channel last went out with. */
  #soon = new Set<LatestChannel>()
  #sentAt = new Map<LatestChannel, number>()
  #flushes = 0
  #focus: number | null = null
  #navigate: AppView | null = null
  #cancelTimer: (() => void) | null = null
  #dropped = 0
  #disposed = false
  readonly #shared: boolean

  constructor(options: PushQueueOptions) {
    this.#send = options.send
    this.#shared = options.shared ?? false
    this.intervalMs = options.intervalMs ?? 50
    this.maxBatch = options.maxBatch ?? 500
    this.maxQueued = options.maxQueued ?? 10_000
    this.#scheduler = options.scheduler ?? timerScheduler
  }

  get ready(): boolean {
    return this.#ready
  }
  /** Events dropped because too many waited (they remain in the history and the snapshot). */
  get dropped(): number {
    return this.#dropped + Math.max(0, this.#events.length - this.maxQueued)
  }
  get queuedEvents(): number {
    return Math.min(this.#events.length, this.maxQueued)
  }

  event(event: LoggedEvent): void {
    if (this.#disposed) return
    this.#events.push(event)
    // Trimmed in one go at twice the bound, so a long wait costs O(1) per event, not a shift.
    if (this.#events.length >= 2 * this.maxQueued) this.#trim()
    this.#arm()
  }

  /** A value, or a function giving it: called once at send time however often it was set. */
  latest<C extends LatestChannel>(channel: C, value: IpcPushes[C] | (() => IpcPushes[C])): void {
    if (this.#disposed) return
    this.#latest.set(channel, value)
    this.#soon.delete(channel)
    this.#arm()
  }

  /**
   * The same for a value that changes with every event (a feed's count and last event time):
   * it goes out at most every fifth flush, a few times a second, unless a prompt latest() of
   * the channel comes meanwhile.
   */
  latestSoon<C extends LatestChannel>(
    channel: C,
    value: IpcPushes[C] | (() => IpcPushes[C]),
  ): void {
    if (this.#disposed) return
    const prompt = this.#latest.has(channel) && !this.#soon.has(channel)
    this.#latest.set(channel, value)
    if (!prompt) this.#soon.add(channel)
    this.#arm()
  }

  focusEvent(seq: number): void {
    if (this.#disposed) return
    this.#focus = seq
    this.#arm()
  }

  navigate(view: AppView): void {
    if (this.#disposed) return
    this.#navigate = view
    this.#arm()
  }

  /** The window subscribed: start delivering, beginning with what waited. */
  markReady(): void {
    this.#ready = true
    this.#cancel()
    this.#flush()
  }

  /** The window is reloading or gone: hold pushes until it is ready again. */
  markNotReady(): void {
    this.#ready = false
    this.#cancel()
  }

  /** The window just read a snapshot that already holds every event so far. */
  snapshotTaken(): void {
    if (this.#shared) return
    this.#events = []
  }

  dispose(): void {
    this.#disposed = true
    this.#cancel()
    this.#events = []
    this.#latest.clear()
    this.#soon.clear()
  }

  #arm(): void {
    if (!this.#ready || this.#cancelTimer) return
    this.#cancelTimer = this.#scheduler.schedule(() => {
      this.#cancelTimer = null
      this.#flush()
    }, this.intervalMs)
  }

  #cancel(): void {
    this.#cancelTimer?.()
    this.#cancelTimer = null
  }

  #trim(): void {
    const excess = this.#events.length - this.maxQueued
    if (excess <= 0) return
    this.#events.splice(0, excess)
    this.#dropped += excess
  }

  #flush(): void {
    if (!this.#ready || this.#disposed) return
    this.#trim()
    const flush = ++this.#flushes
    let waiting = false
    for (const channel of LATEST_ORDER) {
      if (!this.#latest.has(channel)) continue
      if (
        this.#soon.has(channel) &&
        flush - (this.#sentAt.get(channel) ?? -SOON_EVERY) < SOON_EVERY
      ) {
        waiting = true
        continue
      }
      const value = this.#latest.get(channel)
      this.#latest.delete(channel)
      this.#soon.delete(channel)
      this.#sentAt.set(channel, flush)
      const payload = typeof value === 'function' ? (value as () => unknown)() : value
      this.#send(channel, payload as IpcPushes[typeof channel])
    }
    if (this.#events.length > 0) this.#send('events', this.#events.splice(0, this.maxBatch))
    if (this.#navigate !== null) {
      this.#send('navigate', this.#navigate)
      this.#navigate = null
    }
    if (this.#focus !== null && this.#events.length === 0) {
      this.#send('focus-event', this.#focus)
      this.#focus = null
    }
    // More than one batch waited, or a value waits for its turn: the next tick, never sooner.
    if (this.#events.length > 0 || this.#focus !== null || waiting) this.#arm()
  }
}
