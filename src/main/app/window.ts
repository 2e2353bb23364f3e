// The log window: created hidden at start (so it can take events and carry the progress bar),
// hidden instead of closed, recreated if it is ever destroyed. Locked down per Electron's
// security checklist: isolated, sandboxed, no Node, no navigation, no new windows.
import { BrowserWindow, type WebContents } from 'electron'
import type { IpcPushes } from '../../shared/ipc.ts'
import type { RendererLocation } from '../core/ipc-router.ts'

export interface WindowOptions {
  /** The bundled, sandbox-compatible preload (out/preload/index.cjs). */
  preload: string
  /** The renderer: a file path (production) or the dev server's URL. */
  renderer: RendererLocation
  icon?: string
  /** The page is (re)loading or gone: pushes must wait for its next `ready`. */
  onNotReady(): void
  /** Windows is logging off or shutting down: no quit will follow. */
  onSessionEnd?(): void
  log?: (message: string) => void
}

export class WindowManager {
  readonly #options: WindowOptions
  #window: BrowserWindow | null = null
  #quitting = false
  #progress: number | null = null

  constructor(options: WindowOptions) {
    this.#options = options
  }

  /** Where our page comes from, for checking IPC senders. */
  get renderer(): RendererLocation {
    return this.#options.renderer
  }

  get window(): BrowserWindow | null {
    return this.#window && !this.#window.isDestroyed() ? this.#window : null
  }

  /** The webContents IPC must come from (null while there is no window). */
  contents(): WebContents | null {
    return this.window?.webContents ?? null
  }

  /** Creates the window if needed; shows and focuses it when asked. */
  open(show: boolean): BrowserWindow {
    const window = this.window ?? this.#create()
    if (show) {
      if (window.isMinimized()) window.restore()
      window.show()
      window.focus()
    }
    return window
  }

  send<C extends keyof IpcPushes>(channel: C, payload: IpcPushes[C]): void {
    const contents = this.contents()
    if (!contents || contents.isDestroyed()) return
    contents.send(channel, payload)
  }

  /** Taskbar/dock progress: 0..1, 'busy' for running tasks of unknown progress, null for none. */
  setProgress(progress: number | 'busy' | null): void {
    const value =
      progress === null ? -1 : progress === 'busy' ? 2 : Math.min(1, Math.max(0, progress))
    if (value === this.#progress) return
    this.#progress = value
    this.window?.setProgressBar(value)
  }

  /** From now on closing really closes (the app is quitting). */
  allowClose(): void {
    this.#quitting = true
  }

  destroy(): void {
    this.#quitting = true
    this.window?.destroy()
    this.#window = null
  }

  #create(): BrowserWindow {
    const { preload, renderer, icon } = this.#options
    const window = new BrowserWindow({
      width: 1000,
      height: 700,
      minWidth: 480,
      minHeight: 360,
      show: false,
      title: 'Tidings',
      ...(icon ? { icon } : {}),
      autoHideMenuBar: true,
      webPreferences: {
        preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
      },
    })
    this.#window = window
    lockDown(window.webContents, this.#options.log)
    window.on('close', (event) => {
      if (this.#quitting) return
      event.preventDefault()
      window.hide()
    })
    window.on('closed', () => {
      if (this.#window === window) this.#window = null
      this.#options.onNotReady()
    })
    window.on('session-end', () => this.#options.onSessionEnd?.())
    window.webContents.on('did-start-loading', () => this.#options.onNotReady())
    window.webContents.on('render-process-gone', (_event, details) => {
      this.#options.log?.(`Window: renderer gone (${details.reason}); reloading.`)
      this.#options.onNotReady()
      if (details.reason !== 'clean-exit') void window.webContents.reload()
    })
    if (this.#progress !== null) window.setProgressBar(this.#progress)
    const load = 'url' in renderer ? window.loadURL(renderer.url) : window.loadFile(renderer.file)
    load.catch((error: Error) => this.#options.log?.(`Window: could not load: ${error.message}`))
    return window
  }
}

/** No navigation away, no new windows, no webviews: the page is ours and stays ours. */
export function lockDown(contents: WebContents, log?: (message: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    log?.(`Window: blocked window.open(${url.slice(0, 200)})`)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event, url) => {
    log?.(`Window: blocked navigation to ${String(url).slice(0, 200)}`)
    event.preventDefault()
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
