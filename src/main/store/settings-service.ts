// The settings as the app uses them: validated saves from the form (with per-field errors),
// internal updates (pause, snooze, enable, remove), the renderer's view without secrets, and
// the engine's FeedConfig list with secrets opened. Persistence is passed in (electron-store).
import type { FeedConfig } from '../../shared/feed.ts'
import type { SaveResult, SettingsView } from '../../shared/ipc.ts'
import { presetEngineOptions } from '../../shared/presets.ts'
import { fieldErrors, SETTINGS_VERSION, settingsSchema } from '../../shared/settings.ts'
import { openHeaders, sealSettings, settingsView, type SecretCipher } from './secrets.ts'
import type { StoredFeed, StoredSettings } from './settings-schema.ts'
import { silentReporter, type WriteReporter } from './write-health.ts'

export interface SettingsServiceOptions {
  initial: StoredSettings
  /** Writes the settings; may throw a file-system error (a full disk): retried with backoff. */
  persist(next: StoredSettings): void
  cipher: SecretCipher
  log?: (message: string) => void
  /** The file persist writes, for the reporter. */
  file?: string
  /** Told about each failed and each successful write (the tray shows a failing disk). */
  reporter?: WriteReporter
  /** Saves take effect but are never written (persist is not called): the form says so. */
  sessionOnly?: boolean
}

const RETRY_FIRST_MS = 1000
const RETRY_MAX_MS = 30_000

export type SettingsListener = (next: StoredSettings, previous: StoredSettings) => void

export class SettingsService {
  #current: StoredSettings
  #persist: (next: StoredSettings) => void
  #cipher: SecretCipher
  #log: (message: string) => void
  #encryption: boolean
  #listeners = new Set<SettingsListener>()
  #saving: Promise<unknown> = Promise.resolve()
  #file: string
  #reporter: WriteReporter
  /** Failed writes in a row; the settings in memory are the ones in effect meanwhile. */
  #failures = 0
  #retryTimer: NodeJS.Timeout | null = null
  /** Secrets opened this session, by sealed form (main process only, never persisted). */
  #opened = new Map<string, string>()
  #sessionOnly: boolean

  private constructor(options: SettingsServiceOptions, encryption: boolean) {
    this.#current = options.initial
    this.#persist = options.persist
    this.#cipher = options.cipher
    this.#log = options.log ?? (() => {})
    this.#encryption = encryption
    this.#file = options.file ?? 'settings.json'
    this.#reporter = options.reporter ?? silentReporter
    this.#sessionOnly = options.sessionOnly ?? false
  }

  static async create(options: SettingsServiceOptions): Promise<SettingsService> {
    const available = await options.cipher.isAvailable().catch(() => false)
    return new SettingsService(options, available)
  }

  get current(): StoredSettings {
    return this.#current
  }
  get cipher(): SecretCipher {
    return this.#cipher
  }
  get encryptionAvailable(): boolean {
    return this.#encryption
  }

  view(): SettingsView {
    return settingsView(this.#current, this.#encryption)
  }

  /** Asks the OS again: a keyring may unlock after the app started (login autostart). */
  async refreshEncryption(): Promise<boolean> {
    this.#encryption = await this.#cipher.isAvailable().catch(() => false)
    return this.#encryption
  }

  onChange(listener: SettingsListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Saves settings from the form. Saves run one at a time, in the order they came. */
  save(input: unknown): Promise<SaveResult> {
    const result = this.#saving.then(() => this.#save(input))
    this.#saving = result.catch(() => {})
    return result
  }

  /** An internal change (pause, snooze, enable, remove a finished feed). */
  update(change: (current: StoredSettings) => StoredSettings): StoredSettings {
    this.#commit(change(this.#current))
    return this.#current
  }

  updateFeed(feedId: string, change: (feed: StoredFeed) => StoredFeed): boolean {
    if (!this.#current.feeds.some((f) => f.id === feedId)) return false
    this.update((s) => ({ ...s, feeds: s.feeds.map((f) => (f.id === feedId ? change(f) : f)) }))
    return true
  }

  /**
   * The engine's configuration: secrets opened, units converted, URLs resolved. A live feed
   * whose secret headers cannot be opened (the keyring is locked) is left out, never sent
   * without them: `onLocked` hears of it, so the caller can show it and try again.
   */
  async feedConfigs(options: {
    resolveUrl(feed: StoredFeed): string | null
    lastEventId(feedId: string): string | undefined
    onLocked?(feed: StoredFeed, headers: string[], problems: string[]): void
  }): Promise<FeedConfig[]> {
    const configs: FeedConfig[] = []
    const resealed: Array<[string, Record<string, string>]> = []
    const sealedNow = new Set<string>()
    for (const feed of this.#current.feeds) {
      for (const header of feed.headers) if (header.sealed) sealedNow.add(header.sealed)
      const opened = await openHeaders(feed, this.#cipher, this.#opened)
      if (Object.keys(opened.resealed).length > 0) resealed.push([feed.id, opened.resealed])
      for (const again of Object.values(opened.resealed)) sealedNow.add(again)
      const url = options.resolveUrl(feed)
      const enabled = feed.enabled && url !== null
      if (opened.locked.length > 0 && enabled) {
        if (options.onLocked) options.onLocked(feed, opened.locked, opened.problems)
        else opened.problems.forEach((problem) => this.#log(`${problem} The feed waits.`))
        continue
      }
      const lastEventId = options.lastEventId(feed.id)
      configs.push({
        id: feed.id,
        name: feed.name,
        url: url ?? feed.url,
        headers: opened.headers,
        enabled,
        idleTimeoutMs: feed.idleTimeoutSec * 1000,
        maxEventSize: feed.maxEventSizeKiB * 1024,
        streamEndMeansFinished: feed.oneShot,
        ...(lastEventId !== undefined ? { lastEventId } : {}),
        ...(feed.trustedCertSha256 ? { trustedCertSha256: feed.trustedCertSha256 } : {}),
        // The preset's resume rule: ntfy resumes by ?since=, smee's ids are no positions.
        ...presetEngineOptions(feed.preset),
      })
    }
    // Secrets no feed holds any more are not kept in memory.
    for (const sealed of this.#opened.keys())
      if (!sealedNow.has(sealed)) this.#opened.delete(sealed)
    for (const [feedId, sealed] of resealed) this.#reseal(feedId, sealed)
    return configs
  }

  async #save(input: unknown): Promise<SaveResult> {
    const parsed = settingsSchema.safeParse(input)
    if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) }
    const sealed = await sealSettings(parsed.data, this.#current, this.#cipher)
    await this.refreshEncryption()
    if (!sealed.ok) return sealed
    this.#commit({ ...sealed.value, version: SETTINGS_VERSION })
    return { ok: true, settings: this.view(), ...(this.#sessionOnly ? { sessionOnly: true } : {}) }
  }

  /** Whether the settings in effect are not on disk yet (the disk refused them). */
  get unsaved(): boolean {
    return this.#failures > 0
  }

  /** Stops retrying a failed write; one last attempt is made first. */
  dispose(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer)
    this.#retryTimer = null
    if (this.#failures > 0) this.#write(this.#current)
    this.#listeners.clear()
  }

  #commit(next: StoredSettings): void {
    const previous = this.#current
    // A schema violation throws before anything changes; a refusing disk does not stop the
    // change taking effect (it is written once the disk takes it).
    this.#write(next)
    this.#current = next
    for (const listener of this.#listeners) listener(next, previous)
  }

  #write(next: StoredSettings): void {
    if (this.#sessionOnly) return
    try {
      this.#persist(next)
    } catch (error) {
      if (!isFileSystemError(error)) throw error
      if (this.#failures === 0)
        this.#log(
          `Settings: could not write ${this.#file} (in effect, retrying): ${(error as Error).message}`,
        )
      this.#reporter.failed(this.#file, error)
      this.#retryLater()
      return
    }
    if (this.#failures > 0) this.#log(`Settings: writing to ${this.#file} works again.`)
    this.#failures = 0
    if (this.#retryTimer) clearTimeout(this.#retryTimer)
    this.#retryTimer = null
    this.#reporter.written(this.#file)
  }

  #retryLater(): void {
    if (this.#retryTimer) return
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.#failures++)
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null
      this.#write(this.#current)
    }, delay)
    this.#retryTimer.unref?.()
  }

  /** Writes now when an earlier write failed (tests, and a flush before quitting). */
  retryWrite(): void {
    if (this.#failures > 0) this.#write(this.#current)
  }

  #reseal(feedId: string, sealed: Record<string, string>): void {
    this.updateFeed(feedId, (feed) => ({
      ...feed,
      headers: feed.headers.map((h) =>
        h.secret && sealed[h.name] !== undefined ? { ...h, sealed: sealed[h.name] } : h,
      ),
    }))
  }
}

function isFileSystemError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return typeof code === 'string' && /^E[A-Z]+$/.test(code)
}
