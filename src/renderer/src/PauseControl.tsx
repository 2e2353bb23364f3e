import { useState } from 'react'
import type { PauseRequest, TidingsApi } from '../../shared/ipc.ts'
import { shortDateTime } from './log/format.ts'

const CHOICES: Record<string, PauseRequest> = {
  '60': { kind: 'for-minutes', minutes: 60 },
  '240': { kind: 'for-minutes', minutes: 240 },
  tomorrow: { kind: 'until-tomorrow' },
  resumed: { kind: 'until-resumed' },
}

/** Pause notifications for a while (events keep arriving and are logged), or resume. */
export function PauseControl(props: {
  api: TidingsApi
  pause: { until: number | null } | null
}): React.JSX.Element {
  const [error, setError] = useState('')
  const send = (request: PauseRequest): void => {
    setError('')
    props.api.pauseNotifications(request).catch((reason: unknown) => setError(String(reason)))
  }
  const { pause } = props
  return (
    <div className="pause-control">
      {pause ? (
        <>
          <p className="pause-state toned tone-busy" role="status">
            Notifications paused
            {pause.until === null ? '' : ` until ${shortDateTime(pause.until)}`}
          </p>
          <button type="button" onClick={() => send({ kind: 'resume' })}>
            Resume notifications
          </button>
        </>
      ) : (
        <select
          aria-label="Pause notifications"
          value=""
          onChange={(event) => {
            const request = CHOICES[event.target.value]
            if (request) send(request)
          }}
        >
          <option value="">Notifications on</option>
          <option value="60">Pause for 1 hour</option>
          <option value="240">Pause for 4 hours</option>
          <option value="tomorrow">Pause until tomorrow</option>
          <option value="resumed">Pause until resumed</option>
        </select>
      )}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}
