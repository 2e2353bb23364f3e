// The one fake of 'electron' for the app project (in the spirit of Electron Fiddle's mock).
// It keeps just enough behaviour to assert on: windows and their pushes, the tray and its menus,
// notifications shown/clicked/closed, ipcMain handlers invocable with a chosen sender frame,
// safeStorage's async round trip, powerMonitor events, app paths in a temp dir.
// Tests reach the controls through `fake` (import { fake } from './electron.ts').
import { EventEmitter } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { format as formatUrl } from 'node:url'
import { vi } from 'vitest'

vi.mock('electron', () => electronModule())

type Listener = (...args: never[]) => unknown

/** A frame as Electron exposes it on IPC events (`event.senderFrame`). */
export interface FakeFrame {
  url: string
  /** Top-level frame of its page; iframes have a parent. */
  parent: FakeFrame | null
  routingId: number
}

let nextId = 1

/**
 * Emits as Electron's native modules do (gin_helper::EventEmitter::Emit): the first argument is
 * an Event whose preventDefault() the listeners may call. Returns whether one did.
 */
function emitPreventable(emitter: EventEmitter, name: string, ...args: unknown[]): boolean {
  let prevented = false
  emitter.emit(name, { preventDefault: () => (prevented = true) }, ...args)
  return prevented
}

/** powerMonitor: `shutdown` waits for the app only if a listener calls preventDefault(). */
class FakePowerMonitor extends EventEmitter {
  emitPreventable(name: string, ...args: unknown[]): boolean {
    return emitPreventable(this, name, ...args)
  }
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++
  readonly sent: Array<{ channel: string; payload: unknown }> = []
  mainFrame: FakeFrame = { url: 'file:///app/out/renderer/index.html', parent: null, routingId: 1 }
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null
  destroyed = false
  readonly session = new FakeSession()

  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new Error('Object has been destroyed')
    this.sent.push({ channel, payload })
    this.emit('test:pushed', channel, payload)
  }
  reload(): void {
    this.emit('did-start-loading')
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  getURL(): string {
    return this.mainFrame.url
  }
  /** Pushes received on one channel, in order. */
  pushes(channel: string): unknown[] {
    return this.sent.filter((s) => s.channel === channel).map((s) => s.payload)
  }
  /** Emits an event that can be vetoed, returning whether it was. */
  emitPreventable(name: string, ...args: unknown[]): boolean {
    return emitPreventable(this, name, ...args)
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = []
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((w) => !w.destroyed)
  }
  readonly id = nextId++
  readonly webContents = new FakeWebContents()
  readonly options: Record<string, unknown>
  visible: boolean
  focused = false
  minimized = false
  destroyed = false
  loaded: { file?: string; url?: string } = {}
  progress: Array<{ progress: number; options?: unknown }> = []

  constructor(options: Record<string, unknown> = {}) {
    super()
    this.options = options
    this.visible = options['show'] !== false
    FakeBrowserWindow.instances.push(this)
  }
  loadFile(file: string): Promise<void> {
    this.loaded = { file }
    // As Electron's webContents.loadFile builds the URL (lib/browser/api/web-contents.ts): the
    // legacy url.format, which escapes only '#' and '?', unlike Node's pathToFileURL.
    this.webContents.mainFrame.url = formatUrl({
      protocol: 'file',
      slashes: true,
      pathname: resolve(process.cwd(), file),
    })
    return Promise.resolve()
  }
  loadURL(url: string): Promise<void> {
    this.loaded = { url }
    this.webContents.mainFrame.url = url
    return Promise.resolve()
  }
  show(): void {
    this.visible = true
    this.emit('show')
  }
  hide(): void {
    this.visible = false
    this.emit('hide')
  }
  focus(): void {
    this.focused = true
  }
  restore(): void {
    this.minimized = false
  }
  isMinimized(): boolean {
    return this.minimized
  }
  isVisible(): boolean {
    return this.visible
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  setProgressBar(progress: number, options?: unknown): void {
    this.progress.push({ progress, options })
  }
  /** Like a user closing the window: listeners may veto with preventDefault. */
  close(): void {
    let prevented = false
    this.emit('close', { preventDefault: () => (prevented = true) })
    if (!prevented) this.destroy()
  }
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.visible = false
    this.webContents.destroyed = true
    this.emit('closed')
  }
}

export interface FakeMenuItem {
  label?: string
  role?: string
  type?: string
  enabled?: boolean
  checked?: boolean
  submenu?: FakeMenuItem[]
  click?: (...args: unknown[]) => void
}

export class FakeMenu {
  readonly items: FakeMenuItem[]
  constructor(items: FakeMenuItem[]) {
    this.items = items
  }
  /** Labels at the top level (separators as '---'). */
  labels(): string[] {
    return this.items.map((i) => (i.type === 'separator' ? '---' : (i.label ?? '')))
  }
  /** Finds an item by its label path, each step a string or a RegExp. */
  find(...path: Array<string | RegExp>): FakeMenuItem {
    let items = this.items
    let found: FakeMenuItem | undefined
    for (const step of path) {
      found = items.find((i) =>
        typeof step === 'string' ? i.label === step : step.test(i.label ?? ''),
      )
      if (!found) throw new Error(`No menu item ${String(step)} in [${items.map((i) => i.label)}]`)
      items = found.submenu ?? []
    }
    if (!found) throw new Error('Empty menu path')
    return found
  }
  click(...path: Array<string | RegExp>): void {
    const item = this.find(...path)
    if (item.enabled === false) throw new Error(`Menu item ${item.label} is disabled`)
    if (!item.click) throw new Error(`Menu item ${item.label} has no click handler`)
    item.click()
  }
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = []
  image: FakeNativeImage
  tooltip = ''
  menu: FakeMenu | null = null
  destroyed = false
  readonly images: FakeNativeImage[] = []

  constructor(image: FakeNativeImage) {
    super()
    this.image = image
    this.images.push(image)
    FakeTray.instances.push(this)
  }
  setImage(image: FakeNativeImage): void {
    this.image = image
    this.images.push(image)
  }
  setToolTip(tooltip: string): void {
    this.tooltip = tooltip
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.menu = menu
  }
  destroy(): void {
    this.destroyed = true
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
}

export class FakeNativeImage {
  template = false
  readonly path: string
  constructor(path: string) {
    this.path = path
  }
  setTemplateImage(template: boolean): void {
    this.template = template
  }
  isEmpty(): boolean {
    return this.path === ''
  }
}

export class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = []
  /** Emits 'shown' with each notification whose show() was called. */
  static readonly events = new EventEmitter()
  static supported = true
  /** When false, `show()` never emits 'show' (as some Linux notification daemons do). */
  static autoShow = true
  static isSupported(): boolean {
    return FakeNotification.supported
  }
  readonly options: Record<string, unknown>
  shown = false
  closed = false

  constructor(options: Record<string, unknown> = {}) {
    super()
    this.options = options
    FakeNotification.instances.push(this)
  }
  get title(): string {
    return String(this.options['title'] ?? '')
  }
  get body(): string {
    return String(this.options['body'] ?? '')
  }
  show(): void {
    this.shown = true
    if (FakeNotification.autoShow) queueMicrotask(() => this.emit('show', {}))
    FakeNotification.events.emit('shown', this)
  }
  close(): void {
    if (this.closed) return
    this.closed = true
    this.emit('close', {})
  }
  /**
   * Windows: the toast left the screen by itself and went to the Action Center. Electron emits
   * `close` with reason 'timedOut' and keeps the toast, whose click still reaches this object
   * (shell/browser/notifications/win/windows_toast_notification.cc).
   */
  timeOut(): void {
    this.emit('close', { reason: 'timedOut' })
  }
  /** The OS refused it (macOS: an unsigned app; Windows: no app id). */
  fail(error: string): void {
    this.emit('failed', {}, error)
  }
  /** The user clicks the notification. */
  click(): void {
    this.emit('click', {})
  }
  static shownOnes(): FakeNotification[] {
    return FakeNotification.instances.filter((n) => n.shown)
  }
}

export interface FakeIpcEvent {
  sender: FakeWebContents
  senderFrame: FakeFrame | null
}

type Handler = (event: FakeIpcEvent, ...args: unknown[]) => unknown

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>()
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, handler)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  /** Invokes a handler as ipcRenderer.invoke would, from the given sender. */
  async invoke(channel: string, event: FakeIpcEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    return handler(event, ...args)
  }
}

/** The renderer side: invoke goes to ipcMain as the current window's main frame. */
class FakeIpcRenderer extends EventEmitter {
  sender: FakeWebContents = new FakeWebContents()
  readonly invoked: Array<{ channel: string; args: unknown[] }> = []
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args })
    return state.ipcMain.invoke(
      channel,
      { sender: this.sender, senderFrame: this.sender.mainFrame },
      ...args,
    )
  }
  /** Main pushes to this renderer (what webContents.send delivers). */
  push(channel: string, payload: unknown): void {
    this.emit(channel, { sender: null }, payload)
  }
}

export class FakeSession {
  permissionRequestHandler: Listener | null = null
  permissionCheckHandler: Listener | null = null
  headersReceived: Listener | null = null
  readonly webRequest = {
    onHeadersReceived: (handler: Listener | null) => {
      this.headersReceived = handler
    },
  }
  certificateVerifyProc: Listener | null = null
  setCertificateVerifyProc(proc: Listener | null): void {
    this.certificateVerifyProc = proc
  }
  /** What resolveProxy answers, in Chromium's PAC form; tests set it. */
  proxyFor: (url: string) => string = () => 'DIRECT'
  /** Every URL resolveProxy was asked about. */
  readonly proxyLookups: string[] = []
  resolveProxy(url: string): Promise<string> {
    this.proxyLookups.push(url)
    return Promise.resolve(this.proxyFor(url))
  }
  setPermissionRequestHandler(handler: Listener | null): void {
    this.permissionRequestHandler = handler
  }
  setPermissionCheckHandler(handler: Listener | null): void {
    this.permissionCheckHandler = handler
  }
}

class FakeApp extends EventEmitter {
  paths: Record<string, string> = {}
  appUserModelId: string | null = null
  /** The order of calls that matter (appUserModelId before any window or notification). */
  readonly calls: string[] = []
  singleInstance = true
  quitCalled = 0
  loginItem = { openAtLogin: false, openAsHidden: false }
  isPackaged = false
  /** macOS only in Electron (`app.dock` is undefined elsewhere); the fake always has it. */
  readonly dock = {
    badges: [] as string[],
    visible: true,
    /** show()/hide() calls in order. */
    calls: [] as string[],
    setBadge: (text: string) => this.dock.badges.push(text),
    hide: () => {
      this.dock.visible = false
      this.dock.calls.push('hide')
    },
    show: () => {
      this.dock.visible = true
      this.dock.calls.push('show')
      return Promise.resolve()
    },
    isVisible: () => this.dock.visible,
  }

  getPath(name: string): string {
    const existing = this.paths[name]
    if (existing) return existing
    const dir = mkdtempSync(join(tmpdir(), `tidings-fake-${name}-`))
    this.paths[name] = dir
    return dir
  }
  setPath(name: string, path: string): void {
    this.paths[name] = path
  }
  getVersion(): string {
    return '0.1.0'
  }
  getName(): string {
    return 'Tidings'
  }
  getAppPath(): string {
    return process.cwd()
  }
  whenReady(): Promise<void> {
    return Promise.resolve()
  }
  isReady(): boolean {
    return true
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id
    this.calls.push('setAppUserModelId')
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance
  }
  releaseSingleInstanceLock(): void {}
  setLoginItemSettings(settings: { openAtLogin?: boolean; openAsHidden?: boolean }): void {
    this.loginItem = { ...this.loginItem, ...settings }
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { ...this.loginItem }
  }
  quit(): void {
    this.quitCalled++
    let prevented = false
    this.emit('before-quit', { preventDefault: () => (prevented = true) })
    if (!prevented) this.emit('will-quit', { preventDefault: () => {} })
  }
  exit(): void {
    this.quitCalled++
  }
}

class FakeSafeStorage {
  available = true
  backend: string = 'gnome_libsecret'
  /** Pretend the OS key rotated: decrypting asks for re-encryption. */
  rotated = false
  /** Ciphertexts created, to check nothing is stored in clear. */
  readonly encrypted: Buffer[] = []
  isAsyncEncryptionAvailable(): Promise<boolean> {
    return Promise.resolve(this.available)
  }
  isEncryptionAvailable(): boolean {
    throw new Error('The sync safeStorage API is deprecated; use the async one')
  }
  getSelectedStorageBackend(): string {
    return this.backend
  }
  async encryptStringAsync(plain: string): Promise<Buffer> {
    if (!this.available) throw new Error('Encryption is not available.')
    // Reversible but not clear text: a marker and the bytes XOR-ed.
    const bytes = Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)
    const out = Buffer.concat([Buffer.from('FAKE1'), Buffer.from(bytes)])
    this.encrypted.push(out)
    return out
  }
  async decryptStringAsync(
    encrypted: Buffer,
  ): Promise<{ shouldReEncrypt: boolean; result: string }> {
    if (!this.available) throw new Error('Decryption is not available.')
    if (encrypted.subarray(0, 5).toString() !== 'FAKE1')
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
      )
    const bytes = Buffer.from(encrypted.subarray(5).map((b) => b ^ 0x5a))
    return { shouldReEncrypt: this.rotated, result: bytes.toString('utf8') }
  }
}

class FakeShell {
  readonly opened: string[] = []
  openExternal(url: string): Promise<void> {
    this.opened.push(url)
    return Promise.resolve()
  }
  openPath(path: string): Promise<string> {
    this.opened.push(path)
    return Promise.resolve('')
  }
}

/** dialog.showErrorBox records what it would show (it blocks until dismissed in Electron). */
class FakeDialog {
  readonly errorBoxes: Array<{ title: string; content: string }> = []
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content })
  }
}

class FakeNet {
  online = true
  fetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init)
  isOnline(): boolean {
    return this.online
  }
}

function createState() {
  return {
    app: new FakeApp(),
    ipcMain: new FakeIpcMain(),
    ipcRenderer: new FakeIpcRenderer(),
    powerMonitor: new FakePowerMonitor(),
    /** 'default' until the app sets one: Electron's default menu (with View: reload, DevTools). */
    applicationMenu: 'default' as FakeMenu | null | 'default',
    safeStorage: new FakeSafeStorage(),
    shell: new FakeShell(),
    dialog: new FakeDialog(),
    net: new FakeNet(),
    exposed: {} as Record<string, unknown>,
    defaultSession: new FakeSession(),
  }
}
let state = createState()

/** The fake modules of the current world, read live (a reset swaps them): shared by the test
 *  controls below and by the 'electron' module the code under test imports. */
const liveModules = {
  get app() {
    return state.app
  },
  get ipcMain() {
    return state.ipcMain
  },
  get ipcRenderer() {
    return state.ipcRenderer
  },
  get powerMonitor() {
    return state.powerMonitor
  },
  get safeStorage() {
    return state.safeStorage
  },
  get shell() {
    return state.shell
  },
  get net() {
    return state.net
  },
  get dialog() {
    return state.dialog
  },
}

/** Test controls: the current fake objects, and a reset between tests. */
const controls = {
  get session() {
    return state.defaultSession
  },
  /** The application menu the app set: 'default' while it set none (Electron's own). */
  get applicationMenu() {
    return state.applicationMenu
  },
  /** What the preload handed to contextBridge.exposeInMainWorld. */
  get exposed() {
    return state.exposed
  },
  windows: () => FakeBrowserWindow.instances,
  trays: () => FakeTray.instances,
  notifications: () => FakeNotification.instances,
  /** A fresh fake world: new app (new temp userData), no windows, handlers or notifications. */
  reset(): void {
    state = createState()
    FakeBrowserWindow.instances = []
    FakeTray.instances = []
    FakeNotification.instances = []
    FakeNotification.autoShow = true
    FakeNotification.supported = true
    FakeNotification.events.removeAllListeners()
  },
}
export const fake = withLive(controls)

// The module object: getters so a reset swaps what 'electron' hands out.
function electronModule(): Record<string, unknown> {
  const module = withLive({
    get session() {
      return { defaultSession: state.defaultSession }
    },
    get contextBridge() {
      return {
        exposeInMainWorld: (key: string, api: unknown) => {
          state.exposed[key] = api
        },
      }
    },
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Notification: FakeNotification,
    Menu: {
      buildFromTemplate: (template: FakeMenuItem[]) => new FakeMenu(template),
      setApplicationMenu: (menu: FakeMenu | null) => {
        state.applicationMenu = menu
      },
      getApplicationMenu: () =>
        state.applicationMenu === 'default' ? null : state.applicationMenu,
    },
    nativeImage: {
      createFromPath: (path: string) => new FakeNativeImage(path),
      createEmpty: () => new FakeNativeImage(''),
    },
  })
  const exports = descriptorsOf(module)
  exports['default'] = module
  return exports
}

/** `object` with the live module getters added (defined, not spread, so they stay live). */
function withLive<T extends object>(object: T): T & typeof liveModules {
  return Object.defineProperties(object, Object.getOwnPropertyDescriptors(liveModules)) as T &
    typeof liveModules
}

// Spreading would freeze the getters' current values; keep them live instead.
function descriptorsOf(object: object): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(object)) {
    Object.defineProperty(out, key, {
      enumerable: true,
      get: () => (object as Record<string, unknown>)[key],
    })
  }
  return out
}
