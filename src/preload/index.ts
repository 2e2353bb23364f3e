// The preload runs sandboxed (bundled into one CommonJS file): it may only use 'electron'.
import { contextBridge, ipcRenderer } from 'electron'
import { createApi } from './api.ts'

contextBridge.exposeInMainWorld('tidings', createApi(ipcRenderer))
