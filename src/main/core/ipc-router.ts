// Every renderer request passes here before a handler sees it: the sender must be the top frame
// of our own window showing our own page, and the arguments must match the channel's schema.
// Plain Node (no 'electron' import): ipc.ts only registers `handle` with ipcMain.
import { posix, win32 } from 'node:path'
import type { IpcRequestChannel, IpcRequests } from '../../shared/ipc.ts'
import { isRequestChannel, parseRequestArgs } from './ipc-schemas.ts'

/** The parts of Electron's IpcMainInvokeEvent the checks look at. */
export interface IpcSenderEvent {
  sender: unknown
  senderFrame: { url: string; parent: unknown } | null
}

export type RequestHandlers = {
  [C in IpcRequestChannel]: (
    ...args: IpcRequests[C]['args']
  ) => IpcRequests[C]['result'] | Promise<IpcRequests[C]['result']>
}

/** A request refused before any handler ran. */
export class IpcRejection extends Error {
  override name = 'IpcRejection'
}

export interface IpcRouterOptions {
  handlers: RequestHandlers
  isTrustedSender(event: IpcSenderEvent): boolean
  /** Told about every refused request (never about its payload, which may be large). */
  onRejected?(channel: string, reason: string): void
}

export interface IpcRouter {
  readonly channels: IpcRequestChannel[]
  handle(channel: string, event: IpcSenderEvent, args: unknown[]): Promise<unknown>
}

export function createIpcRouter(options: IpcRouterOptions): IpcRouter {
  const reject = (channel: string, reason: string): never => {
    options.onRejected?.(channel, reason)
    throw new IpcRejection(reason)
  }
  return {
    channels: Object.keys(options.handlers) as IpcRequestChannel[],
    async handle(channel, event, args) {
      if (!isRequestChannel(channel)) return reject(String(channel), 'Unknown channel')
      if (!options.isTrustedSender(event)) return reject(channel, 'Untrusted sender')
      const parsed = parseRequestArgs(channel, args)
      if (!parsed.ok) return reject(channel, parsed.error)
      const handler = options.handlers[channel] as (...args: unknown[]) => unknown
      return handler(...parsed.args)
    },
  }
}

/** Where our renderer comes from: the installed index.html, or the dev server. */
export type RendererLocation = { file: string } | { url: string }

/**
 * Trusts only the top frame of `contents()` (our window's webContents) while it shows our
 * renderer: the same file for a file: page, the same origin for the dev server.
 */
export function ownWindowGuard(
  contents: () => unknown,
  renderer: () => RendererLocation,
  platform: NodeJS.Platform = process.platform,
): (event: IpcSenderEvent) => boolean {
  return (event) => {
    const own = contents()
    const frame = event.senderFrame
    if (own === null || own === undefined || event.sender !== own) return false
    if (!frame || frame.parent !== null) return false
    return showsRenderer(frame.url, renderer(), platform)
  }
}

/**
 * Whether a frame's URL is our renderer. File pages are compared as file paths: Electron's
 * loadFile leaves `%`, `[`, `]`, `|`, `~` as they are in the URL while Node's pathToFileURL
 * escapes them, so two URLs of the same file need not be equal strings.
 */
export function showsRenderer(
  frameUrl: string,
  renderer: RendererLocation,
  platform: NodeJS.Platform = process.platform,
): boolean {
  let actual: URL
  try {
    actual = new URL(frameUrl)
  } catch {
    return false
  }
  if ('url' in renderer) {
    let expected: URL
    try {
      expected = new URL(renderer.url)
    } catch {
      return false
    }
    if (expected.protocol !== 'http:' && expected.protocol !== 'https:') return false
    return actual.origin === expected.origin
  }
  if (actual.protocol !== 'file:') return false
  const path = filePathOfUrl(actual, platform)
  if (path === null) return false
  const paths = platform === 'win32' ? win32 : posix
  const a = paths.resolve(path)
  const e = paths.resolve(renderer.file)
  return platform === 'win32' ? a.toLowerCase() === e.toLowerCase() : a === e
}

/**
 * The file a file: URL names, as Chromium opens it: valid %XX escapes decoded (as UTF-8), a
 * stray `%` kept. Null for a file on another host where this platform has no such paths.
 */
export function filePathOfUrl(url: URL, platform: NodeJS.Platform): string | null {
  const path = url.pathname.replace(/(?:%[0-9a-f]{2})+/gi, (run) =>
    Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'),
  )
  if (platform !== 'win32') return url.host === '' ? path : null
  const backslashed = path.replaceAll('/', '\\')
  if (url.host !== '') return `\\\\${url.host}${backslashed}`
  // "/C:/Program Files/…" -> "C:\Program Files\…"
  return /^\\[a-z]:/i.test(backslashed) ? backslashed.slice(1) : null
}
