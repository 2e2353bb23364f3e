// The window's TidingsApi when it runs in a browser, served by `tidings ui` (there is no Electron
// preload): each request is a POST of its arguments to /api/<channel>, and every push arrives on
// one EventSource stream that resumes with Last-Event-ID after a drop, so nothing is missed.
// As with the preload, pushes wait until the window says it is ready; state pushes older than the
// snapshot the window loaded are dropped (each answer says which push it is as new as).
import type {
  IpcPushChannel,
  IpcPushes,
  IpcRequestChannel,
  IpcRequests,
  LoggedEvent,
  TidingsApi,
  Unsubscribe,
} from '../../../shared/ipc.ts'
import { apiOver } from '../../../shared/api.ts'
import { isHttpUrl } from '../../../shared/validate.ts'

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'open' }
  /** The stream dropped; the browser is trying again. */
  | { kind: 'lost' }
  /** The server refused us (it was restarted or stopped): a new sign-in is needed. */
  | { kind: 'ended' }

export type BrowserNotifications = 'unsupported' | 'denied' | 'ask' | 'on' | 'off'

/** What only a browser window has: its link to the server and its own notifications. */
export interface WebControls {
  connection(): ConnectionState
  onConnection(listener: (state: ConnectionState) => void): Unsubscribe
  notifications(): BrowserNotifications
  /** Asks the browser's permission if needed, then shows notifications here. */
  enableNotifications(): Promise<BrowserNotifications>
  /** Back to the OS notifier of the machine tidings ui runs on. */
  disableNotifications(): void
}

/** A notification the server asks this page to show. */
interface PageNotification {
  key: string
  title: string
  body: string
  url?: string
  eventSeq?: number
}

export interface HttpApi {
  api: TidingsApi & { readonly lastSeq: number }
  web: WebControls
  close(): void
}

interface Push {
  id: number
  channel: IpcPushChannel
  payload: unknown
}

const STATE_FROM_SNAPSHOT: ReadonlySet<IpcPushChannel> = new Set([
  'events',
  'feeds',
  'tasks',
  'storage',
])
const PREFERENCE = 'tidings-browser-notifications'

export interface HttpApiOptions {
  /** The server's origin; the page's own by default. */
  base?: string
  EventSource?: typeof EventSource
  fetch?: typeof fetch
  Notification?: typeof Notification
  storage?: Pick<Storage, 'getItem' | 'setItem'>
  openWindow?(url: string): void
  focusWindow?(): void
}

export function createHttpApi(options: HttpApiOptions = {}): HttpApi {
  const base = options.base ?? ''
  const Source = options.EventSource ?? globalThis.EventSource
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const Notify: typeof Notification | undefined =
    options.Notification ?? (globalThis as { Notification?: typeof Notification }).Notification
  const storage = options.storage ?? globalThis.localStorage
  const openWindow =
    options.openWindow ?? ((url: string) => void window.open(url, '_blank', 'noopener,noreferrer'))
  const focusWindow = options.focusWindow ?? (() => window.focus())

  const listeners = new Map<IpcPushChannel, Set<(payload: never) => void>>()
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  let connection: ConnectionState = { kind: 'connecting' }
  let source: EventSource | null = null
  let lastId: string | null = null
  let ready = false
  let held: Push[] = []
  /** The push each kind of state the window holds is as new as. */
  const stamps = { snapshot: 0, settings: 0 }
  /** The newest event handed to the window: pushed, or in a snapshot it has taken. */
  let lastSeq = 0
  /** The newest event of the last snapshot, counted once the window took it (ready or resync). */
  let snapshotSeq = 0
  let resyncing: Promise<void> | null = null
  let connected!: () => void
  let refused!: (error: Error) => void
  const hello = new Promise<void>((resolve, reject) => {
    connected = resolve
    refused = reject
  })

  function setConnection(state: ConnectionState): void {
    if (state.kind === connection.kind) return
    connection = state
    for (const listener of connectionListeners) listener(state)
  }

  function dispatch(channel: IpcPushChannel, payload: unknown): void {
    if (channel === 'events')
      for (const event of payload as LoggedEvent[]) lastSeq = Math.max(lastSeq, event.seq)
    for (const listener of listeners.get(channel) ?? []) (listener as (p: unknown) => void)(payload)
  }

  function take(push: Push): void {
    if (!ready) held.push(push)
    else dispatch(push.channel, push.payload)
  }

  /** Hands over what waited, minus what the loaded state already has. */
  function release(): void {
    const waiting = held
    held = []
    ready = true
    for (const push of waiting) {
      const stamp = STATE_FROM_SNAPSHOT.has(push.channel)
        ? stamps.snapshot
        : push.channel === 'settings'
          ? stamps.settings
          : 0
      if (push.id > stamp) dispatch(push.channel, push.payload)
    }
  }

  function numberOf(eventId: string): number {
    const match = /-(\d+)$/.exec(eventId)
    return match ? Number(match[1]) : 0
  }

  function open(): void {
    const query = new URLSearchParams()
    if (notificationsOn()) query.set('notify', '1')
    // A stream opened anew cannot send Last-Event-ID: say where to go on from instead.
    if (lastId !== null) query.set('after', lastId)
    const text = query.toString()
    const stream = new Source(`${base}/api/pushes${text ? `?${text}` : ''}`)
    source = stream
    stream.addEventListener('open', () => setConnection({ kind: 'open' }))
    stream.addEventListener('error', () => {
      const ended = stream.readyState === Source.CLOSED
      setConnection({ kind: ended ? 'ended' : 'lost' })
      // Refused (this sign-in is from another run): the window cannot load; say so.
      if (ended)
        refused(new Error('tidings ui did not accept this page: open the address it printed.'))
    })
    stream.addEventListener('hello', (event) => {
      lastId = (event as MessageEvent).lastEventId
      connected()
    })
    stream.addEventListener('push', (event) => {
      const message = event as MessageEvent<string>
      lastId = message.lastEventId
      const { channel, payload } = JSON.parse(message.data) as {
        channel: IpcPushChannel
        payload: unknown
      }
      take({ id: numberOf(message.lastEventId), channel, payload })
    })
    stream.addEventListener('reset', (event) => {
      lastId = (event as MessageEvent).lastEventId
      connected()
      void resync()
    })
    stream.addEventListener('notification', (event) =>
      show(JSON.parse((event as MessageEvent<string>).data) as PageNotification),
    )
  }

  function reopen(): void {
    source?.close()
    open()
  }

  async function request<C extends IpcRequestChannel>(
    channel: C,
    args: IpcRequests[C]['args'],
  ): Promise<{ result: IpcRequests[C]['result']; stamp: number }> {
    const response = await doFetch(`${base}/api/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
      credentials: 'same-origin',
    })
    const body = (await response.json().catch(() => ({}))) as { result?: unknown; error?: string }
    if (!response.ok) {
      if (response.status === 401 || response.status === 403) setConnection({ kind: 'ended' })
      throw new Error(body.error ?? `tidings ui answered HTTP ${response.status}`)
    }
    const stamp = Number(response.headers.get('X-Tidings-Push') ?? 0)
    return { result: (body.result ?? undefined) as IpcRequests[C]['result'], stamp }
  }

  const invoke = async <C extends IpcRequestChannel>(
    channel: C,
    ...args: IpcRequests[C]['args']
  ): Promise<IpcRequests[C]['result']> => (await request(channel, args)).result

  async function getSnapshot() {
    await hello
    const { result, stamp } = await request('snapshot:get', [])
    stamps.snapshot = Math.max(stamps.snapshot, stamp)
    for (const event of result.events) snapshotSeq = Math.max(snapshotSeq, event.seq)
    return result
  }

  async function getSettings() {
    await hello
    const { result, stamp } = await request('settings:get', [])
    stamps.settings = Math.max(stamps.settings, stamp)
    return result
  }

  /** The stream fell too far behind to replay: load the state again and go on from there. */
  function resync(): Promise<void> {
    resyncing ??= (async () => {
      const wasReady = ready
      ready = false
      try {
        const [snapshot, settings] = await Promise.all([getSnapshot(), getSettings()])
        dispatch('events', snapshot.events)
        dispatch('feeds', snapshot.feeds)
        dispatch('tasks', snapshot.tasks)
        dispatch('settings', settings)
      } finally {
        resyncing = null
        if (wasReady) release()
      }
    })()
    return resyncing
  }

  // --- notifications shown by this page -----------------------------------------------------

  function notificationsOn(): boolean {
    return notifications() === 'on'
  }

  function notifications(): BrowserNotifications {
    if (!Notify) return 'unsupported'
    if (Notify.permission === 'denied') return 'denied'
    if (Notify.permission !== 'granted') return 'ask'
    return storage?.getItem(PREFERENCE) === 'off' ? 'off' : 'on'
  }

  function show(notification: PageNotification): void {
    if (!Notify || Notify.permission !== 'granted') return
    // The same tag in every tab of this origin: one notification, however many tabs are open.
    const shown = new Notify(notification.title, { body: notification.body, tag: notification.key })
    shown.onclick = () => {
      shown.close()
      focusWindow()
      if (notification.url && isHttpUrl(notification.url)) openWindow(notification.url)
      else if (notification.eventSeq !== undefined) dispatch('focus-event', notification.eventSeq)
    }
  }

  const subscribe =
    <C extends IpcPushChannel>(channel: C) =>
    (listener: (payload: IpcPushes[C]) => void): Unsubscribe => {
      let set = listeners.get(channel)
      if (!set) listeners.set(channel, (set = new Set()))
      set.add(listener as (payload: never) => void)
      return () => {
        set.delete(listener as (payload: never) => void)
      }
    }

  open()

  const generic = apiOver(invoke, (channel, listener) => subscribe(channel)(listener))
  const api: HttpApi['api'] = {
    ...generic,
    get lastSeq() {
      return lastSeq
    },
    async ready() {
      // The window took its snapshot's events before it says it is ready.
      lastSeq = Math.max(lastSeq, snapshotSeq)
      await invoke('window:ready')
      release()
    },
    getSnapshot,
    getSettings,
    async openLink(url) {
      // Main decides (http and https only), the browser opens it: a tab of its own.
      const allowed = isHttpUrl(url) && (await invoke('link:open', url))
      if (allowed) openWindow(url)
      return allowed
    },
  }

  const web: WebControls = {
    connection: () => connection,
    onConnection(listener) {
      connectionListeners.add(listener)
      return () => {
        connectionListeners.delete(listener)
      }
    },
    notifications,
    async enableNotifications() {
      if (!Notify) return 'unsupported'
      if (Notify.permission !== 'granted') await Notify.requestPermission()
      if (Notify.permission === 'granted') {
        storage?.setItem(PREFERENCE, 'on')
        reopen()
      }
      return notifications()
    },
    disableNotifications() {
      storage?.setItem(PREFERENCE, 'off')
      reopen()
    },
  }

  return { api: Object.freeze(api), web, close: () => source?.close() }
}
