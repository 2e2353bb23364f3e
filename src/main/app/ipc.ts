// Registers the IPC router with ipcMain: one handler per request channel, nothing else.
import { ipcMain } from 'electron'
import type { IpcRouter } from '../core/ipc-router.ts'

/** Returns the function that removes the handlers again. */
export function registerIpc(router: IpcRouter): () => void {
  for (const channel of router.channels)
    ipcMain.handle(channel, (event, ...args: unknown[]) => router.handle(channel, event, args))
  return () => {
    for (const channel of router.channels) ipcMain.removeHandler(channel)
  }
}
