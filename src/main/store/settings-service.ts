// The settings as the app uses them: validated saves from the form (with per-field errors),
// internal updates (pause, snooze, enable, remove), the renderer's view without secrets, and
// the engine's FeedConfig list with secrets opened. Persistence is passed in (electron-store).
import type { FeedConfig } from '../../shared/feed.ts'
import type { SaveResult, SettingsView } from '../../shared/ipc.ts'
import { presetEngineOptions } from '../../shared/presets.ts'
import { fieldErrors, SETTINGS_VERSION, settingsSchema } from '../../shared/settings.ts'
import { openHeaders, sealSettings, settingsView, type SecretCipher } from './secrets.ts'
import type { StoredFeed, StoredSettings } from './settings-schema.ts'

export interface SettingsServiceOptions {
  initial: StoredSettings
  persist(next: StoredSettings): void
  cipher: SecretCipher
  log?: (message: string) => void
}

export type SettingsListener = (next: StoredSettings, previous: StoredSettings) => void

export class SettingsService {
  #current: StoredSettings
  #persist: (next: StoredSettings) => void
  #cipher: SecretCipher
  #log: (message: string) => void
  #encryption: boolean
  #listeners = new Set<SettingsListener>()
  #saving: Promise<unknown> = Promise.resolve()

  private constructor(options: SettingsServiceOptions, encryption: boolean) {
    this.#current = options.initial
    this.#persist = options.persist
    this.#cipher = options.cipher
    this.#log = options.log ?? (() => {})
    this.#encryption = encryption
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

  /** The engine's configuration: secrets opened, units converted, URLs resolved. */
  async feedConfigs(options: {
    resolveUrl(feed: StoredFeed): string | null
    lastEventId(feedId: string): string | undefined
  }): Promise<FeedConfig[]> {
    const configs: FeedConfig[] = []
    const resealed: Array<[string, Record<string, string>]> = []
    for (const feed of this.#current.feeds) {
      const opened = await openHeaders(feed, this.#cipher)
      opened.problems.forEach((problem) => this.#log(problem))
      if (Object.keys(opened.resealed).length > 0) resealed.push([feed.id, opened.resealed])
      const url = options.resolveUrl(feed)
      const lastEventId = options.lastEventId(feed.id)
      configs.push({
        id: feed.id,
        name: feed.name,
        url: url ?? feed.url,
        headers: opened.headers,
        enabled: feed.enabled && url !== null,
        idleTimeoutMs: feed.idleTimeoutSec * 1000,
        maxEventSize: feed.maxEventSizeKiB * 1024,
        streamEndMeansFinished: feed.oneShot,
        ...(lastEventId !== undefined ? { lastEventId } : {}),
        // The preset's resume rule: ntfy resumes by ?since=, smee's ids are no positions.
        ...presetEngineOptions(feed.preset),
      })
    }
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
    return { ok: true, settings: this.view() }
  }

  #commit(next: StoredSettings): void {
    const previous = this.#current
    this.#persist(next)
    this.#current = next
    for (const listener of this.#listeners) listener(next, previous)
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
