// Every renderer request passes here before a handler sees it: the sender must be the top frame
// of our own window showing our own page, and the arguments must match the channel's schema.
// Plain Node (no 'electron' import): ipc.ts only registers `handle` with ipcMain.
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

/**
 * Trusts only the top frame of `contents()` (our window's webContents) while it shows our
 * renderer: same file for file: URLs, same origin for the dev server.
 */
export function ownWindowGuard(
  contents: () => unknown,
  rendererUrl: () => string,
): (event: IpcSenderEvent) => boolean {
  return (event) => {
    const own = contents()
    const frame = event.senderFrame
    if (own === null || own === undefined || event.sender !== own) return false
    if (!frame || frame.parent !== null) return false
    return sameDocument(frame.url, rendererUrl())
  }
}

export function sameDocument(actual: string, expected: string): boolean {
  let a: URL
  let e: URL
  try {
    a = new URL(actual)
    e = new URL(expected)
  } catch {
    return false
  }
  if (a.protocol !== e.protocol) return false
  if (e.protocol === 'file:') return a.host === e.host && a.pathname === e.pathname
  if (e.protocol === 'http:' || e.protocol === 'https:') return a.origin === e.origin
  return false
}
