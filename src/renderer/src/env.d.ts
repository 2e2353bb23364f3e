/// <reference types="vite/client" />
import type { TidingsApi } from '../../shared/ipc.ts'

declare global {
  interface Window {
    /** The preload's intent API: the renderer's only way to talk to main. */
    readonly tidings: TidingsApi
  }
}

export {}
