// The main-process side of TidingsApi for browser tests: the REAL feed engine (FeedManager), the
// real decide() and TaskTracker, settings validated by the shared schema, kept in memory. Batches
// events to the page at most every 50 ms, as main does. Test-only: the app's own wiring lives in
// src/main/app; this mirrors its contract, not its code.
import { FeedManager } from '../../../src/main/feeds/index.ts'
import { decide, TaskTracker } from '../../../src/main/notify/index.ts'
import type { FeedConfig, FeedEvent, FeedStateChange } from '../../../src/shared/feed.ts'
import type {
  FeedStatus,
  IpcPushes,
  LoggedEvent,
  NotificationHealth,
  PauseRequest,
  SaveResult,
  SettingsView,
  Snapshot,
  TestConnectionResult,
} from '../../../src/shared/ipc.ts'
import {
  feedSettingSchema,
  parseSettings,
  type FeedSettingInput,
  type Settings,
  type SettingsInput,
} from '../../../src/shared/settings.ts'
import { isHttpUrl } from '../../../src/shared/validate.ts'

const PALETTE = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899']
const BATCH_MS = 50
const MAX_BATCH = 2000

export type Push = <C extends keyof IpcPushes>(channel: C, payload: IpcPushes[C]) => void

export interface BackendCall {
  method: string
  args: unknown[]
}

export class TestBackend {
  readonly manager = new FeedManager()
  readonly tracker = new TaskTracker()
  /** Every request the page made, in order. */
  readonly calls: BackendCall[] = []
  readonly openedLinks: string[] = []
  encryptionAvailable = true
  /** What main says of notifications (see NotificationHealthMonitor); tests set it. */
  notificationHealth: NotificationHealth = {
    status: 'unknown',
    detail: null,
    since: null,
    platform: 'linux',
  }
  /** What the next "Send a test notification" reports. */
  testOutcome: NotificationHealth = { status: 'ok', detail: null, since: 1, platform: 'linux' }
  testNotifications = 0
  settings: Settings
  private readonly history: LoggedEvent[] = []
  private readonly statuses = new Map<string, FeedStatus>()
  private pending: LoggedEvent[] = []
  private feedsChanged = false
  private tasksChanged = false
  private seq = 0
  private ready = false
  private timer: NodeJS.Timeout | undefined
  private push: Push = () => {}
  private pushedSeq = 0
  private readonly deliveryWaiters = new Set<() => void>()

  constructor(initial: SettingsInput = {}) {
    const parsed = parseSettings(initial)
    if (!parsed.ok) throw new Error(`bad test settings: ${JSON.stringify(parsed.errors)}`)
    this.settings = parsed.value
    this.manager.on('event', (event) => this.onEvent(event))
    this.manager.on('state', (change) => this.onState(change))
    this.applySettings()
  }

  connect(push: Push): void {
    this.push = push
  }

  /** As main does when what became of a notification changes the health. */
  setNotificationHealth(health: NotificationHealth): void {
    this.notificationHealth = health
    this.push('notification-health', health)
  }

  /** As main does when a write to the data folder starts failing (a problem) or works (null). */
  storage(problem: IpcPushes['storage']): void {
    this.push('storage', problem)
  }

  /** As main does when a notification without a link is clicked. */
  focusEvent(seq: number): void {
    this.push('focus-event', seq)
  }

  /** Resolves once events up to seq `count` were pushed to the page (rejects after 10 s). */
  pushed(count: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.deliveryWaiters.delete(check)
        reject(new Error(`only ${this.pushedSeq} of ${count} events reached the page`))
      }, 10_000)
      const check = (): void => {
        if (this.pushedSeq < count) return
        clearTimeout(timer)
        this.deliveryWaiters.delete(check)
        resolve()
      }
      this.deliveryWaiters.add(check)
      check()
    })
  }

  /** The latest logged event, for assertions. */
  get lastSeq(): number {
    return this.seq
  }

  events(): readonly LoggedEvent[] {
    return this.history
  }

  async handle(method: string, args: unknown[]): Promise<unknown> {
    this.calls.push({ method, args })
    switch (method) {
      case 'ready':
        this.ready = true
        this.schedule()
        return undefined
      case 'getSnapshot':
        return this.snapshot()
      case 'getSettings':
        return this.view()
      case 'saveSettings':
        return this.save(args[0] as SettingsInput)
      case 'reconnectFeed':
        this.manager.reconnectNow(args[0] as string)
        return undefined
      case 'setFeedEnabled':
        this.updateFeed(args[0] as string, { enabled: args[1] as boolean })
        return undefined
      case 'snoozeFeed':
        this.updateFeed(args[0] as string, { snoozedUntil: args[1] as number | null })
        return undefined
      case 'testConnection':
        return this.testConnection(args[0] as FeedSettingInput)
      case 'openLink': {
        const url = args[0]
        if (!isHttpUrl(url)) return false
        this.openedLinks.push(url)
        return true
      }
      case 'pauseNotifications':
        this.pause(args[0] as PauseRequest)
        return undefined
      case 'getNotificationHealth':
        return this.notificationHealth
      case 'sendTestNotification':
        this.testNotifications++
        this.setNotificationHealth(this.testOutcome)
        return this.notificationHealth
      default:
        throw new Error(`unknown method ${method}`)
    }
  }

  dispose(): void {
    clearTimeout(this.timer)
    this.manager.dispose()
    this.tracker.dispose()
  }

  private snapshot(): Snapshot {
    return {
      feeds: this.feedList(),
      events: this.history.slice(-10_000),
      tasks: this.tracker.list(),
      pause: this.settings.pause,
    }
  }

  private view(): SettingsView {
    return {
      ...structuredClone(this.settings),
      feeds: this.settings.feeds.map((feed) => ({
        ...structuredClone(feed),
        headers: feed.headers.map((header) =>
          header.secret
            ? { name: header.name, value: '', secret: true, stored: true }
            : { ...header },
        ),
      })),
      encryptionAvailable: this.encryptionAvailable,
    }
  }

  private save(input: SettingsInput): SaveResult {
    const parsed = parseSettings(input)
    if (!parsed.ok) return { ok: false, errors: parsed.errors }
    const previous = new Map(this.settings.feeds.map((feed) => [feed.id, feed]))
    // A secret sent back empty means "keep the stored value".
    for (const feed of parsed.value.feeds)
      feed.headers = feed.headers.map((header) => {
        if (!header.secret || header.value !== '') return { ...header, stored: undefined }
        const kept = previous
          .get(feed.id)
          ?.headers.find((old) => old.name === header.name && old.secret)
        return { ...header, value: kept?.value ?? '', stored: undefined }
      })
    this.settings = parsed.value
    this.applySettings()
    const view = this.view()
    this.push('settings', view)
    return { ok: true, settings: view }
  }

  private updateFeed(id: string, patch: Partial<Settings['feeds'][number]>): void {
    this.settings = {
      ...this.settings,
      feeds: this.settings.feeds.map((feed) => (feed.id === id ? { ...feed, ...patch } : feed)),
    }
    this.applySettings()
    this.push('settings', this.view())
  }

  private pause(request: PauseRequest): void {
    const now = Date.now()
    const until =
      request.kind === 'for-minutes'
        ? { until: now + request.minutes * 60_000 }
        : request.kind === 'until-tomorrow'
          ? { until: new Date(new Date(now).setHours(24, 0, 0, 0) + 8 * 3_600_000).getTime() }
          : request.kind === 'until-resumed'
            ? { until: null }
            : null
    this.settings = { ...this.settings, pause: until }
    this.push('settings', this.view())
  }

  private applySettings(): void {
    const configs: FeedConfig[] = this.settings.feeds.map((feed) => ({
      id: feed.id,
      name: feed.name,
      url: feed.url,
      headers: Object.fromEntries(feed.headers.map((header) => [header.name, header.value])),
      enabled: feed.enabled,
      idleTimeoutMs: feed.idleTimeoutSec * 1000,
      maxEventSize: feed.maxEventSizeKiB * 1024,
      streamEndMeansFinished: feed.oneShot,
    }))
    const ids = new Set(configs.map((config) => config.id))
    for (const id of this.statuses.keys()) if (!ids.has(id)) this.statuses.delete(id)
    this.settings.feeds.forEach((feed, index) => {
      const old = this.statuses.get(feed.id)
      this.statuses.set(feed.id, {
        id: feed.id,
        name: feed.name,
        color: feed.color ?? PALETTE[index % PALETTE.length]!,
        url: feed.url,
        enabled: feed.enabled,
        state: old?.state ?? { kind: 'connecting' },
        since: old?.since ?? Date.now(),
        lastEventAt: old?.lastEventAt ?? null,
        lastEventId: old?.lastEventId ?? null,
        eventCount: old?.eventCount ?? 0,
        nextRetryAt: old?.nextRetryAt ?? null,
        snoozedUntil: feed.snoozedUntil,
      })
    })
    this.manager.apply(configs)
    this.feedsChanged = true
    this.schedule()
  }

  private feedList(): FeedStatus[] {
    const order = this.settings.feeds.map((feed) => feed.id)
    return order.flatMap((id) => {
      const status = this.statuses.get(id)
      return status ? [{ ...status }] : []
    })
  }

  private onEvent(event: FeedEvent): void {
    const feed = this.settings.feeds.find((candidate) => candidate.id === event.feedId)
    const logged: LoggedEvent = {
      ...event,
      seq: ++this.seq,
      notification: decide(event, {
        notify: feed?.notify ?? 'smart',
        ...(feed?.mapping ? { mapping: feed.mapping } : {}),
        minPriority: feed?.minPriority ?? 1,
      }),
    }
    this.history.push(logged)
    if (this.history.length > 20_000) this.history.splice(0, 10_000)
    if (this.tracker.observe(logged)) this.tasksChanged = true
    const status = this.statuses.get(event.feedId)
    if (status) {
      status.lastEventAt = event.receivedAt
      status.lastEventId = event.id
      status.eventCount++
      this.feedsChanged = true
    }
    this.pending.push(logged)
    this.schedule()
  }

  private onState(change: FeedStateChange): void {
    const status = this.statuses.get(change.feedId)
    if (!status) return
    status.state = change.state
    status.since = change.at
    status.nextRetryAt =
      change.state.kind === 'reconnecting' ? change.at + change.state.delayMs : null
    this.feedsChanged = true
    this.schedule()
  }

  private schedule(): void {
    if (this.timer || !this.ready) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.flush()
    }, BATCH_MS)
  }

  private flush(): void {
    if (this.feedsChanged) {
      this.feedsChanged = false
      this.push('feeds', this.feedList())
    }
    if (this.tasksChanged) {
      this.tasksChanged = false
      this.push('tasks', this.tracker.list())
    }
    if (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH)
      this.push('events', batch)
      this.pushedSeq = batch.at(-1)!.seq
      for (const check of this.deliveryWaiters) check()
      if (this.pending.length > 0) this.schedule()
    }
  }

  private async testConnection(input: FeedSettingInput): Promise<TestConnectionResult> {
    const parsed = feedSettingSchema.safeParse(input)
    if (!parsed.success)
      return { ok: false, error: parsed.error.issues[0]?.message ?? 'Invalid feed.' }
    const feed = parsed.data
    const probe = new FeedManager()
    try {
      return await new Promise<TestConnectionResult>((resolve) => {
        const timer = setTimeout(() => resolve({ ok: true, status: 200, event: null }), 3000)
        const done = (result: TestConnectionResult): void => {
          clearTimeout(timer)
          resolve(result)
        }
        probe.on('event', (event) =>
          done({
            ok: true,
            status: 200,
            event: { type: event.type, data: event.data, id: event.id },
          }),
        )
        probe.on('state', ({ state }) => {
          if (state.kind === 'failed')
            done(
              state.status === undefined
                ? { ok: false, error: state.reason }
                : { ok: false, error: state.reason, status: state.status },
            )
          else if (state.kind === 'reconnecting') done({ ok: false, error: state.reason })
          else if (state.kind === 'stopped' && state.reason !== 'not started')
            done({ ok: false, error: state.reason })
        })
        probe.apply([
          {
            id: 'test',
            name: feed.name,
            url: feed.url,
            headers: Object.fromEntries(feed.headers.map((header) => [header.name, header.value])),
            idleTimeoutMs: 10_000,
          },
        ])
      })
    } finally {
      probe.dispose()
    }
  }
}
