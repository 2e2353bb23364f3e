import type { FeedState } from '../../../shared/feed.ts'
import type { FeedStatus } from '../../../shared/ipc.ts'
import { isKeyringWait } from '../../../shared/secret-headers.ts'

export type Tone = 'ok' | 'busy' | 'bad' | 'off'

/** A short label and colour tone for a feed's state. */
export function stateLabel(status: Pick<FeedStatus, 'state' | 'enabled'>): {
  label: string
  tone: Tone
} {
  const { state } = status
  switch (state.kind) {
    case 'open':
      return { label: 'Open', tone: 'ok' }
    case 'connecting':
      return { label: 'Connecting', tone: 'busy' }
    case 'reconnecting':
      return isKeyringWait(state.reason)
        ? { label: 'Waiting for the keyring', tone: 'busy' }
        : { label: 'Reconnecting', tone: 'busy' }
    case 'failed':
      return { label: 'Failed', tone: 'bad' }
    case 'stopped':
      if (!status.enabled || state.reason === 'disabled') return { label: 'Paused', tone: 'off' }
      if (state.reason === 'finished') return { label: 'Finished', tone: 'off' }
      return { label: 'Stopped', tone: 'off' }
  }
}

/** The exact problem, as the engine reported it, or null when there is none to show. */
export function stateProblem(state: FeedState): string | null {
  switch (state.kind) {
    case 'failed':
      return state.status !== undefined && !state.reason.includes(String(state.status))
        ? `HTTP ${state.status}: ${state.reason}`
        : state.reason
    case 'reconnecting':
      return state.reason
    case 'stopped':
      return state.reason === 'disabled' || state.reason === 'finished' ? null : state.reason
    default:
      return null
  }
}
