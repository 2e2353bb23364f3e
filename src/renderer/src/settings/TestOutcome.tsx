// What Test connection found: the first event the log would show with the notification it would
// raise, or the failure in plain words (the engine's own words one click away), with a
// certificate to check and trust when that is what failed.
import { describeFailure } from '../../../shared/feed-problem.ts'
import type { TestConnectionResult } from '../../../shared/ipc.ts'
import { clip } from '../log/format.ts'
import { CertificateTrust } from './CertificateTrust.tsx'

export interface TestState {
  pending: boolean
  result: TestConnectionResult | null
  /** The test could not run (a URL that is not one, the app refused). */
  error?: string
}

export function TestOutcome(props: {
  state: TestState
  url: string
  trusted: string | undefined
  onTrust(sha256: string): void
}): React.JSX.Element | null {
  const { result, error, pending } = props.state
  if (pending)
    return (
      <p className="test-result tinted" role="status">
        Connecting…
      </p>
    )
  if (error)
    return (
      <p className="test-result tinted tone-bad" role="status">
        Test failed: {error}
      </p>
    )
  if (!result) return null
  if (!result.ok) {
    const problem = describeFailure(result.error, result.facts, {
      url: props.url,
      retrying: false,
    })
    return (
      <div className="test-result tinted tone-bad" role="status">
        <p>
          <strong>Connection failed: {problem.summary}</strong>
          {problem.next ? ` ${problem.next}` : ''}
        </p>
        {problem.detail !== problem.summary ? (
          <details>
            <summary>Details</summary>
            <p className="mono">
              {result.status !== undefined && !problem.detail.includes(String(result.status))
                ? `HTTP ${result.status}: `
                : ''}
              {problem.detail}
            </p>
          </details>
        ) : null}
        {result.certificate ? (
          <CertificateTrust
            certificate={result.certificate}
            trusted={props.trusted}
            onTrust={props.onTrust}
          />
        ) : null}
      </div>
    )
  }
  const event = result.event
  const notification = event?.notification
  return (
    <div className="test-result tinted tone-ok" role="status">
      <p>
        <strong>Connected (HTTP {result.status}).</strong>{' '}
        {event ? (
          <>
            First event the log would show: <code>{event.type}</code>
            {event.id ? (
              <>
                {' '}
                id <code>{event.id}</code>
              </>
            ) : null}
          </>
        ) : (
          'No event arrived during the test.'
        )}
      </p>
      {event ? (
        <>
          <pre className="detail-data">{clip(event.data, 2000)}</pre>
          {notification === undefined ? null : notification ? (
            <p className="test-notification">
              It would notify: <strong>{notification.title}</strong>
              {notification.body ? ` — ${notification.body}` : ''}
            </p>
          ) : (
            <p className="test-notification">It would only be logged, without a notification.</p>
          )}
        </>
      ) : null}
    </div>
  )
}
