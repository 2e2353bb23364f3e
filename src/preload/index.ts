import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('tidings', { version: 1 })
