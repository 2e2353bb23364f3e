import type { FeedStatus } from '../../../shared/ipc.ts'
import { isKeyringWait } from '../../../shared/secret-headers.ts'

export type Tone = 'ok' | 'busy' | 'bad' | 'off'

/** A short label and colour tone for a feed's state: the status chip, the one status light. */
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
      return { label: 'Stopped', tone: 'bad' }
  }
}

/** Failing or on its way back after a failure: shown first. */
export function needsAttention(status: Pick<FeedStatus, 'state' | 'enabled'>): boolean {
  const tone = stateLabel(status).tone
  return tone === 'bad' || status.state.kind === 'reconnecting'
}
