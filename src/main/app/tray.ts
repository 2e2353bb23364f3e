// The tray icon, tooltip and context menu, drawn from the plain model in tray-model.ts.
// Updates are coalesced (events can arrive by the hundred) and the menu is rebuilt only when
// what it shows changed, so an open menu is not yanked away by an unrelated event.
import { Menu, nativeImage, Tray, type NativeImage } from 'electron'
import {
  trayIconPath,
  trayMenu,
  trayState,
  trayTooltip,
  type MenuItemModel,
  type TrayActions,
  type TrayMenuModel,
  type TrayState,
} from '../core/tray-model.ts'

export interface TrayOptions {
  /** The folder holding tray/ (resources/). */
  resources: string
  actions: TrayActions
  platform?: NodeJS.Platform
  /** Most updates per second. Default 4. */
  maxPerSecond?: number
}

export class TrayController {
  readonly #options: TrayOptions
  readonly #platform: NodeJS.Platform
  readonly #tray: Tray
  readonly #images = new Map<TrayState, NativeImage>()
  #state: TrayState | null = null
  #tooltip = ''
  #menuKey = ''
  #pending: TrayMenuModel | null = null
  #timer: NodeJS.Timeout | null = null

  constructor(options: TrayOptions, initial: TrayMenuModel) {
    this.#options = options
    this.#platform = options.platform ?? process.platform
    const state = trayState(initial.feeds, initial.pause !== null, Boolean(initial.storage))
    this.#tray = new Tray(this.#image(state))
    this.#state = state
    // A left click opens the log. Not on macOS: there a click opens the context menu, and a
    // click handler would also toggle the window. Linux may never deliver it; the menu has
    // "Open log" for that reason.
    if (this.#platform !== 'darwin') this.#tray.on('click', () => options.actions.openLog())
    this.#draw(initial)
  }

  get state(): TrayState | null {
    return this.#state
  }

  /** Schedules a redraw with this model (the latest one wins). */
  update(model: TrayMenuModel): void {
    this.#pending = model
    if (this.#timer) return
    this.#timer = setTimeout(
      () => {
        this.#timer = null
        const next = this.#pending
        this.#pending = null
        if (next) this.#draw(next)
      },
      1000 / (this.#options.maxPerSecond ?? 4),
    )
    this.#timer.unref?.()
  }

  /** Redraws now (tests, and right after a menu action so the menu reflects it). */
  updateNow(model: TrayMenuModel): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    this.#pending = null
    this.#draw(model)
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#tray.destroy()
  }

  #draw(model: TrayMenuModel): void {
    const state = trayState(model.feeds, model.pause !== null, Boolean(model.storage))
    if (state !== this.#state) {
      this.#tray.setImage(this.#image(state))
      this.#state = state
    }
    const tooltip = trayTooltip(model)
    if (tooltip !== this.#tooltip) {
      this.#tray.setToolTip(tooltip)
      this.#tooltip = tooltip
    }
    const template = trayMenu(model, this.#options.actions)
    const key = menuKey(template)
    if (key !== this.#menuKey) {
      this.#tray.setContextMenu(Menu.buildFromTemplate(template))
      this.#menuKey = key
    }
  }

  #image(state: TrayState): NativeImage {
    let image = this.#images.get(state)
    if (!image) {
      image = nativeImage.createFromPath(
        trayIconPath(this.#options.resources, state, this.#platform),
      )
      if (this.#platform === 'darwin') image.setTemplateImage(true)
      this.#images.set(state, image)
    }
    return image
  }
}

/** What the menu shows, without its click handlers. */
function menuKey(items: MenuItemModel[]): string {
  return JSON.stringify(items, (key, value: unknown) => (key === 'click' ? undefined : value))
}
