// The renderer's whole view of main: intents and subscriptions, never ipcRenderer itself.
// Listeners get payloads only (never the IPC event, which would leak `sender`), and every
// subscription returns its own unsubscribe. Which intent is which channel: src/shared/api.ts.
import type { IpcRenderer } from 'electron'
import { apiOver } from '../shared/api.ts'
import type { IpcPushes, TidingsApi } from '../shared/ipc.ts'

export function createApi(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): TidingsApi {
  return apiOver(
    (channel, ...args) => ipc.invoke(channel, ...args),
    (channel, listener) => {
      const handler = (_event: unknown, payload: IpcPushes[typeof channel]) => listener(payload)
      ipc.on(channel, handler)
      return () => {
        ipc.removeListener(channel, handler)
      }
    },
  )
}
