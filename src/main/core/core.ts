// The app's logic without Electron: it runs the engine on the configured feeds, numbers and
// logs every event, asks the notification policy what to show, keeps feeds, tasks and pause
// state, persists history and resume ids, and answers the window's requests. The Electron layer
// (main.ts) gives it a way to show notifications and a push queue to the window, and draws the
// tray from what it reports.
import type { FeedEvent, FeedStateChange } from '../../shared/feed.ts'
import type {
  LoggedEvent,
  PauseRequest,
  SaveResult,
  SettingsView,
  Snapshot,
  StorageProblem,
  TestConnectionResult,
} from '../../shared/ipc.ts'
import { feedSettingSchema } from '../../shared/settings.ts'
import type { FeedManager, FeedPositionChange, FetchLike } from '../feeds/index.ts'
import {
  isCertificateError,
  probeCertificate,
  type PresentedCertificate,
} from '../feeds/tls-probe.ts'
import {
  decide,
  EventReading,
  isPresetHealthEvent,
  NotificationCenter,
  policyFromSettings,
  TaskTracker,
  type CenterTiming,
  type DecideOptions,
  type NotifyPolicy,
  type OutgoingNotification,
} from '../notify/index.ts'
import { FeedBoard } from './feed-board.ts'
import type { EventHistory } from '../store/history.ts'
import { activePause, pauseFor } from './pause.ts'
import type { PushQueue } from './push-queue.ts'
import { openHeaders } from '../store/secrets.ts'
import { keyringReason, sameOrigin, secretMovedMessage } from '../../shared/secret-headers.ts'
import { DEMO_FEED_URL, type StoredFeed, type StoredSettings } from '../store/settings-schema.ts'
import { presetEngineOptions } from '../../shared/presets.ts'
import type { SettingsService } from '../store/settings-service.ts'
import type { StateFile } from '../store/state-file.ts'
import { testConnection } from './test-connection.ts'
import type { TrayMenuModel } from './tray-model.ts'
import type { WriteHealth } from '../store/write-health.ts'

export interface CoreOptions {
  settings: SettingsService
  history: EventHistory
  state: StateFile
  /** Which writes to the data folder fail (shown in the tray and the window until they work). */
  writeHealth?: Pick<WriteHealth, 'current' | 'onChange'>
  engine: FeedManager
  push: PushQueue
  /** Shows one notification the policy let through. */
  show(notification: OutgoingNotification): void
  /** For "Test connection": the engine's own network, so it fails or succeeds as the feed would. */
  fetch: FetchLike
  /** The running demo server's SSE URL, or null when it could not start. */
  demoUrl: string | null
  now?: () => number
  log?: (message: string) => void
  centerTiming?: CenterTiming
  /** Reads the certificate an https server presents (Test connection's TLS failures). */
  probeCertificate?: (url: string) => Promise<PresentedCertificate | null>
}

/** Longest single timer Node keeps (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1
/** A feed waiting for the keyring tries again after 2 s, 4 s, … at most every minute. */
const KEYRING_RETRY_FIRST_MS = 2000
const KEYRING_RETRY_MAX_MS = 60_000

export class TidingsCore {
  readonly board: FeedBoard
  readonly tasks: TaskTracker
  readonly center: NotificationCenter
  readonly #o: CoreOptions
  readonly #now: () => number
  readonly #log: (message: string) => void
  readonly #listeners = new Set<() => void>()
  #seq: number
  #applying: Promise<void> = Promise.resolve()
  #pauseTimer: NodeJS.Timeout | null = null
  #snoozeTimer: NodeJS.Timeout | null = null
  #unsubscribe: () => void = () => {}
  #feedIndex: { source: readonly StoredFeed[]; byId: Map<string, StoredFeed> } = {
    source: [],
    byId: new Map(),
  }
  #policyCache: { source: StoredSettings; value: NotifyPolicy } | null = null
  /** Each feed's decide() options, made once per version of its settings. */
  readonly #decideOptions = new WeakMap<StoredFeed, DecideOptions>()
  #disposed = false
  /** Feeds held back from the engine until their secret headers can be opened. */
  readonly #waiting = new Map<string, { attempt: number; timer: NodeJS.Timeout | null }>()
  /** Feeds configured when the app started, and feeds that have been open this session:
   *  their next `open` may bring a replay of missed events (see #onState). */
  readonly #mayReplay = new Set<string>()
  // Computed when a push goes out, not per event.
  readonly #feedList = () => this.board.list()
  readonly #taskList = () => this.tasks.list()

  constructor(options: CoreOptions) {
    this.#o = options
    this.#now = options.now ?? Date.now
    this.#log = options.log ?? (() => {})
    this.#seq = Math.max(options.history.lastSeq(), options.state.lastSeq)
    this.board = new FeedBoard(this.#now)
    const mapping = (feedId: string) => this.#feed(feedId)?.mapping
    this.tasks = new TaskTracker({ mapping, now: this.#now })
    // Tasks seen before a restart are shown again (their durations too); no notifications.
    for (const event of options.history.events()) this.tasks.observe(event)
    this.center = new NotificationCenter({
      show: (notification) => options.show(notification),
      now: this.#now,
      policy: () => this.#policy(),
      mapping,
      ...(options.centerTiming ? { timing: options.centerTiming } : {}),
    })
    this.#syncBoard()
  }

  /** Connects the configured feeds. */
  async start(): Promise<void> {
    const { engine, settings } = this.#o
    const onEvent = (event: FeedEvent) => this.#onEvent(event)
    const onState = (change: FeedStateChange) => this.#onState(change)
    // A position that moved without an event (a block with an id and no data), or was dropped.
    const onPosition = ({ feedId, lastEventId }: FeedPositionChange) =>
      this.#o.state.record(feedId, lastEventId, this.#seq)
    engine.on('event', onEvent)
    engine.on('state', onState)
    engine.on('position', onPosition)
    const stopSettings = settings.onChange((next, previous) => this.#onSettings(next, previous))
    const stopHealth = this.#o.writeHealth?.onChange(() => this.#onHealthChange()) ?? (() => {})
    this.#unsubscribe = () => {
      engine.off('event', onEvent)
      engine.off('state', onState)
      engine.off('position', onPosition)
      stopSettings()
      stopHealth()
    }
    for (const feed of settings.current.feeds) this.#mayReplay.add(feed.id)
    this.#schedulePauseEnd()
    this.#scheduleSnoozeEnd()
    await this.#apply()
  }

  /** Told after anything the tray shows changed (feed states, tasks, pause, settings). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  // --- what the window and the tray read ----------------------------------------------------

  snapshot(): Snapshot {
    this.#o.push.snapshotTaken()
    return {
      feeds: this.board.list(),
      events: this.#o.history.events(),
      tasks: this.tasks.list(),
      pause: this.pause,
      storage: this.storageProblem,
    }
  }

  /** A write to the data folder that fails right now, or null. */
  get storageProblem(): StorageProblem | null {
    return this.#o.writeHealth?.current() ?? null
  }

  get pause(): StoredSettings['pause'] {
    return activePause(this.#o.settings.current.pause, this.#now())
  }

  async settingsView(): Promise<SettingsView> {
    await this.#o.settings.refreshEncryption()
    return this.#o.settings.view()
  }

  trayModel(): TrayMenuModel {
    return {
      feeds: this.board.list(),
      tasks: { running: this.tasks.runningCount(), progress: this.tasks.runningProgress() },
      pause: this.pause,
      now: this.#now(),
      startAtLogin: this.#o.settings.current.startAtLogin,
      storage: this.storageProblem,
    }
  }

  // --- what the window and the tray ask for -------------------------------------------------

  saveSettings(input: unknown): Promise<SaveResult> {
    return this.#o.settings.save(input)
  }

  /**
   * No id: every feed (wake from sleep, network change). An id: that feed, even if failed; a
   * paused one is resumed (asked to connect, it connects).
   */
  reconnect(feedId?: string): Promise<void> {
    if (feedId !== undefined && this.#feed(feedId)?.enabled === false) {
      this.setFeedEnabled(feedId, true)
      return Promise.resolve()
    }
    this.#o.engine.reconnectNow(feedId)
    // A feed waiting for the keyring is not in the engine: try to open its secrets now.
    if (feedId === undefined ? this.#waiting.size > 0 : this.#waiting.has(feedId))
      return this.#apply()
    return Promise.resolve()
  }

  setFeedEnabled(feedId: string, enabled: boolean): void {
    this.#o.settings.updateFeed(feedId, (feed) => ({ ...feed, enabled }))
  }

  snoozeFeed(feedId: string, until: number | null): void {
    this.#o.settings.updateFeed(feedId, (feed) => ({ ...feed, snoozedUntil: until }))
  }

  pauseNotifications(request: PauseRequest): void {
    const pause = pauseFor(request, this.#now())
    this.#o.settings.update((settings) => ({ ...settings, pause }))
  }

  setStartAtLogin(enabled: boolean): void {
    this.#o.settings.update((settings) => ({ ...settings, startAtLogin: enabled }))
  }

  async testConnection(input: unknown): Promise<TestConnectionResult> {
    const parsed = feedSettingSchema.safeParse(input)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return {
        ok: false,
        error: `${issue?.path.join('.') || 'feed'}: ${issue?.message ?? 'invalid'}`,
      }
    }
    const form = parsed.data
    const stored = this.#feed(form.id)
    // A feed pointed at another origin takes no stored secret there (issue 12): the form must
    // hold them again, entered for the new address.
    if (stored && !sameOrigin(stored.url, form.url)) {
      const reused = form.headers.filter((h) => h.secret && h.value === '' && h.stored !== false)
      if (reused.some((h) => sealedFor(stored, h.name) !== undefined))
        return {
          ok: false,
          error: secretMovedMessage(form.url, 'the secret header values'),
        }
    }
    // Secrets left blank in the form are the stored ones.
    const headers: StoredFeed['headers'] = form.headers.map((header) =>
      header.secret && header.value === '' && header.stored !== false
        ? (stored?.headers.find(
            (h) => h.secret && h.name.toLowerCase() === header.name.trim().toLowerCase(),
          ) ?? { name: header.name, value: '', secret: false })
        : { name: header.name.trim(), value: header.value, secret: false },
    )
    const opened = await openHeaders({ ...form, headers }, this.#o.settings.cipher)
    if (opened.locked.length > 0)
      return {
        ok: false,
        error:
          `The keyring is locked, so the stored ${opened.locked.join(', ')} cannot be read: ` +
          'unlock it (or enter the value again) and test again.',
      }
    const url = this.#resolveUrl(form)
    if (url === null) return { ok: false, error: 'The demo feed is not running.' }
    // The form's fingerprint is trusted for this test's own requests only. The first event is
    // the first the log would show (not a preset's health event), with its notification.
    const rules = {
      notify: form.notify,
      mapping: form.mapping,
      minPriority: form.minPriority,
      ...(form.preset !== undefined ? { preset: form.preset } : {}),
    }
    const result = await testConnection({
      url,
      headers: opened.headers,
      fetch: this.#o.fetch,
      engine: presetEngineOptions(form.preset),
      skip: (event) => isPresetHealthEvent(form.preset, event),
      decide: (event) => decide(event, rules),
      ...(form.trustedCertSha256 ? { trustedCertSha256: form.trustedCertSha256 } : {}),
    })
    if (result.ok || !url.startsWith('https:') || !isCertificateError(result.error)) return result
    // Show the certificate the server presents, so the user can compare and trust it by hash.
    const certificate = await (this.#o.probeCertificate ?? probeCertificate)(url).catch(() => null)
    return certificate ? { ...result, certificate } : result
  }

  // --- lifecycle ----------------------------------------------------------------------------

  /** Writes history and resume ids now (the session is ending; there may be no quit). */
  async flush(): Promise<void> {
    this.#o.settings.retryWrite()
    await Promise.all([this.#o.history.flush(), this.#o.state.flush()])
  }

  /**
   * The same with synchronous calls, for Windows `session-end`: the OS does not wait for a
   * promise, so pending history lines and resume ids are on disk when this returns.
   */
  flushSync(): void {
    this.#o.history.flushSync()
    this.#o.state.flushSync()
  }

  /** Stops the feeds and writes everything down. */
  async dispose(): Promise<void> {
    if (this.#disposed) return
    this.#disposed = true
    // Closing the feeds may still report positions read from their last bytes: listen till then.
    this.#o.engine.dispose()
    this.#unsubscribe()
    if (this.#pauseTimer) clearTimeout(this.#pauseTimer)
    if (this.#snoozeTimer) clearTimeout(this.#snoozeTimer)
    for (const { timer } of this.#waiting.values()) if (timer) clearTimeout(timer)
    this.#waiting.clear()
    this.center.dispose()
    this.tasks.dispose()
    this.#o.push.dispose()
    this.#listeners.clear()
    await Promise.all([this.#o.history.close(), this.#o.state.close()])
  }

  // --- internals ----------------------------------------------------------------------------

  #onHealthChange(): void {
    if (this.#disposed) return
    this.#o.push.latest('storage', () => this.storageProblem)
    this.#changed()
  }

  #onEvent(event: FeedEvent): void {
    const feed = this.#feed(event.feedId)
    if (!feed || this.#disposed) return
    // One reading of the data for the decision, the task and the center: parsed at most once,
    // and not at all when no rule can apply to it.
    const reading = new EventReading(event.data)
    if (isPresetHealthEvent(feed.preset, event, reading)) {
      this.#onHealth(event)
      return
    }
    const seq = ++this.#seq
    const notification = decide(event, this.#decideOptionsOf(feed), reading)
    const logged: LoggedEvent = {
      feedId: event.feedId,
      type: event.type,
      data: event.data,
      id: event.id,
      receivedAt: event.receivedAt,
      seq,
      notification,
    }
    const { history, state, push } = this.#o
    history.append(logged)
    state.record(event.feedId, event.resumeId ?? event.id, seq)
    this.board.onEvent(event)
    const task = this.tasks.observe(logged, reading)
    this.center.onEvent(logged, { task, reading })
    push.event(logged)
    // Its count and last event time: a few times a second is enough for the window.
    push.latestSoon('feeds', this.#feedList)
    if (task) {
      push.latest('tasks', this.#taskList)
      this.#changed()
    }
  }

  /**
   * A health event (ntfy keepalive, smee ping, Firebase keep-alive) says the feed is alive: it
   * shows as the feed's last sign of life, but is neither logged nor notified nor a task, so a
   * keepalive every 30 s does not push real events out of the history.
   */
  #onHealth(event: FeedEvent): void {
    const position = event.resumeId ?? event.id
    if (position !== '') this.#o.state.record(event.feedId, position, this.#seq)
    if (this.board.onHealth(event)) this.#o.push.latest('feeds', this.#feedList)
  }

  #onState(change: FeedStateChange): void {
    if (this.#disposed || !this.board.onState(change)) return
    // A first burst is a catch-up only at start-up, after a reconnect, or when resuming from an
    // id (at `open` no event has arrived yet, so a known id is the one sent). A feed the user
    // just added, such as a job to watch, notifies its first events as themselves.
    let resuming = true
    if (change.state.kind === 'open') {
      resuming =
        this.#mayReplay.has(change.feedId) ||
        this.#o.engine.getLastEventId(change.feedId) !== undefined
      this.#mayReplay.add(change.feedId)
    }
    this.center.onFeedState(change, resuming)
    this.#o.push.latest('feeds', this.#feedList)
    this.#changed()
    const feed = this.#feed(change.feedId)
    if (
      change.state.kind === 'stopped' &&
      change.state.reason === 'finished' &&
      feed?.removeWhenFinished
    )
      // Not from inside the engine's callback: removing the feed disposes its connection.
      setImmediate(() => {
        if (this.#disposed) return
        this.#o.settings.update((s) => ({ ...s, feeds: s.feeds.filter((f) => f.id !== feed.id) }))
      })
  }

  #onSettings(next: StoredSettings, previous: StoredSettings): void {
    if (this.#disposed) return
    const kept = new Set(next.feeds.map((feed) => feed.id))
    for (const feed of previous.feeds)
      if (!kept.has(feed.id)) {
        this.center.forgetFeed(feed.id)
        this.tasks.forgetFeed(feed.id)
        this.#o.state.forget(feed.id)
      }
    if (next.historySize !== previous.historySize) this.#o.history.setLimit(next.historySize)
    this.#syncBoard()
    this.#schedulePauseEnd()
    this.#scheduleSnoozeEnd()
    this.#o.push.latest('settings', () => this.#o.settings.view())
    this.#o.push.latest('feeds', this.#feedList)
    this.#o.push.latest('tasks', this.#taskList)
    this.center.policyChanged()
    this.#changed()
    if (JSON.stringify(next.feeds) !== JSON.stringify(previous.feeds)) void this.#apply()
  }

  /** Hands the engine the current feeds; one apply at a time, each with the latest settings. */
  #apply(): Promise<void> {
    this.#applying = this.#applying.then(async () => {
      if (this.#disposed) return
      const locked = new Map<string, { names: string[]; problems: string[] }>()
      const configs = await this.#o.settings.feedConfigs({
        resolveUrl: (feed) => this.#resolveUrl(feed),
        lastEventId: (feedId) =>
          this.#o.engine.getLastEventId(feedId) ?? this.#o.state.lastEventId(feedId),
        onLocked: (feed, names, problems) => locked.set(feed.id, { names, problems }),
      })
      if (this.#disposed) return
      this.#o.engine.apply(configs)
      this.#holdBack(locked)
    })
    this.#applying = this.#applying.catch((error: Error) =>
      this.#log(`Feeds: could not apply the settings: ${error.message}`),
    )
    return this.#applying
  }

  /**
   * Feeds whose secret headers could not be opened (the keyring is still locked just after
   * login) never reach the engine, so they never connect without them: they show "waiting for
   * the keyring" and try again with backoff, on Reconnect, and on any settings change.
   */
  #holdBack(locked: Map<string, { names: string[]; problems: string[] }>): void {
    let changed = false
    for (const [feedId, entry] of this.#waiting) {
      if (locked.has(feedId)) continue
      if (entry.timer) clearTimeout(entry.timer)
      this.#waiting.delete(feedId)
      if (this.#feed(feedId)) this.#log(`Feeds: "${this.#feed(feedId)?.name}" has its secrets now.`)
    }
    for (const [feedId, { names, problems }] of locked) {
      const entry = this.#waiting.get(feedId) ?? { attempt: 0, timer: null }
      if (entry.attempt === 0)
        this.#log(`${problems.join(' ')} The feed waits for the keyring and tries again.`)
      entry.attempt++
      const delayMs = Math.min(
        KEYRING_RETRY_MAX_MS,
        KEYRING_RETRY_FIRST_MS * 2 ** Math.min(entry.attempt - 1, 16),
      )
      if (entry.timer) clearTimeout(entry.timer)
      entry.timer = setTimeout(() => void this.#apply(), delayMs)
      entry.timer.unref?.()
      this.#waiting.set(feedId, entry)
      const state = {
        kind: 'reconnecting',
        attempt: entry.attempt,
        delayMs,
        reason: keyringReason(names),
      } as const
      changed = this.board.onState({ feedId, state, at: this.#now() }) || changed
    }
    if (!changed) return
    this.#o.push.latest('feeds', this.#feedList)
    this.#changed()
  }

  #syncBoard(): void {
    this.board.sync(this.#o.settings.current.feeds, {
      url: (feed) => this.#resolveUrl(feed) ?? feed.url,
      lastEventId: (feedId) => this.#o.state.lastEventId(feedId),
    })
  }

  /** The demo feed's stored address stands for the demo server of this run. */
  #resolveUrl(feed: Pick<StoredFeed, 'preset' | 'url'>): string | null {
    if (feed.preset === 'demo' && feed.url === DEMO_FEED_URL) return this.#o.demoUrl
    return feed.url
  }

  #schedulePauseEnd(): void {
    if (this.#pauseTimer) clearTimeout(this.#pauseTimer)
    this.#pauseTimer = null
    const until = this.#o.settings.current.pause?.until
    if (until === undefined || until === null) return
    const wait = until - this.#now()
    if (wait <= 0) {
      // Ended while the app was not running or asleep: clear it so the held digest goes out.
      setImmediate(() => this.#endPause())
      return
    }
    this.#pauseTimer = setTimeout(() => this.#endPause(), Math.min(wait, MAX_TIMER_MS))
    this.#pauseTimer.unref?.()
  }

  /** When the next feed snooze ends, the tray and the Feeds view show it (nothing is stored). */
  #scheduleSnoozeEnd(): void {
    if (this.#snoozeTimer) clearTimeout(this.#snoozeTimer)
    this.#snoozeTimer = null
    const now = this.#now()
    const ends = this.#o.settings.current.feeds
      .map((feed) => feed.snoozedUntil)
      .filter((until): until is number => until !== null && until > now)
    if (ends.length === 0) return
    const wait = Math.min(...ends) - now
    this.#snoozeTimer = setTimeout(
      () => {
        if (this.#disposed) return
        this.#o.push.latest('feeds', this.#feedList)
        this.#changed()
        this.#scheduleSnoozeEnd()
      },
      Math.min(wait + 1, MAX_TIMER_MS),
    )
    this.#snoozeTimer.unref?.()
  }

  #endPause(): void {
    if (this.#disposed) return
    const pause = this.#o.settings.current.pause
    if (pause && activePause(pause, this.#now()) === null)
      this.#o.settings.update((settings) => ({ ...settings, pause: null }))
    else this.#schedulePauseEnd()
  }

  /** Call when the machine wakes: timers may have slept through their moment. */
  wake(): void {
    this.#schedulePauseEnd()
    this.#scheduleSnoozeEnd()
    this.center.policyChanged()
  }

  /** The policy, derived again only when the settings changed (it is read several times per event). */
  #policy(): NotifyPolicy {
    const current = this.#o.settings.current
    if (this.#policyCache?.source !== current)
      this.#policyCache = { source: current, value: policyFromSettings(current) }
    return this.#policyCache.value
  }

  #decideOptionsOf(feed: StoredFeed): DecideOptions {
    let options = this.#decideOptions.get(feed)
    if (!options) {
      options = { notify: feed.notify, mapping: feed.mapping, minPriority: feed.minPriority }
      if (feed.preset !== undefined) options.preset = feed.preset
      this.#decideOptions.set(feed, options)
    }
    return options
  }

  #feed(feedId: string): StoredFeed | undefined {
    const feeds = this.#o.settings.current.feeds
    if (this.#feedIndex.source !== feeds)
      this.#feedIndex = { source: feeds, byId: new Map(feeds.map((feed) => [feed.id, feed])) }
    return this.#feedIndex.byId.get(feedId)
  }

  #changed(): void {
    for (const listener of this.#listeners) listener()
  }
}

function sealedFor(feed: StoredFeed, name: string): string | undefined {
  const lower = name.trim().toLowerCase()
  return feed.headers.find((h) => h.secret && h.name.toLowerCase() === lower)?.sealed
}
