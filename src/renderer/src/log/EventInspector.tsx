// The selected row's details, docked under the list (the list never moves to make room): the
// data pretty-printed, the notification it raised, copy and open-link actions. A stream's row
// shows the whole text so far.
import { useState } from 'react'
import { isHttpUrl } from '../../../shared/validate.ts'
import type { LogEntry } from '../state/event-store.ts'
import { copyText } from '../ui/clipboard.ts'
import { eventAsJson, prettyData } from './format.ts'

export const INSPECTOR_ID = 'log-inspector'

export function EventInspector(props: {
  event: LogEntry
  feedName: string
  onOpenLink(url: string): void
  onClose(): void
}): React.JSX.Element {
  const { event } = props
  const stream = event.stream
  const [status, setStatus] = useState('')
  const pretty = stream ? { text: stream.text, json: false } : prettyData(event.data)
  const url = event.notification?.url
  const copy = (text: string, what: string): void => {
    copyText(text).then(
      (ok) => setStatus(ok ? `${what} copied.` : `Could not copy ${what.toLowerCase()}.`),
      () => setStatus(`Could not copy ${what.toLowerCase()}.`),
    )
  }
  const lastSeq = stream ? stream.events.at(-1)!.seq : event.seq
  return (
    <section className="log-inspector" id={INSPECTOR_ID} aria-label={`Event ${event.seq} details`}>
      <div className="detail-bar">
        <span className="detail-meta">
          {stream ? (
            <>
              #{event.seq}–{lastSeq} · stream {stream.streamId} · {stream.tokens.toLocaleString()}{' '}
              {stream.tokens === 1 ? 'token' : 'tokens'}
              {stream.done ? ', done' : ', streaming'} · {stream.text.length.toLocaleString()} chars
            </>
          ) : (
            <>
              #{event.seq} · id {event.id === '' ? '(none)' : event.id} ·{' '}
              {new Date(event.receivedAt).toISOString()} · {pretty.json ? 'JSON' : 'text'},{' '}
              {event.data.length.toLocaleString()} chars
            </>
          )}
        </span>
        <span className="detail-actions">
          <span className="detail-status toned tone-ok" role="status">
            {status}
          </span>
          <button type="button" onClick={() => copy(pretty.text, stream ? 'Text' : 'Data')}>
            {stream ? 'Copy text' : 'Copy data'}
          </button>
          <button
            type="button"
            onClick={() =>
              copy(
                (stream?.events ?? [event])
                  .map((one) => eventAsJson(one, props.feedName))
                  .join('\n'),
                stream ? 'Events' : 'Event',
              )
            }
          >
            {stream ? 'Copy events' : 'Copy event'}
          </button>
          {isHttpUrl(url) ? (
            <button type="button" onClick={() => props.onOpenLink(url)} title={url}>
              Open link
            </button>
          ) : null}
          <button type="button" onClick={props.onClose} aria-keyshortcuts="Escape">
            Close
          </button>
        </span>
      </div>
      {event.notification ? (
        <p className="detail-notification">
          <strong>{event.notification.title}</strong>
          {event.notification.body ? ` — ${event.notification.body}` : ''}
        </p>
      ) : null}
      <pre className="detail-data" tabIndex={0} aria-label={stream ? 'Stream text' : 'Event data'}>
        {pretty.text}
        {stream?.truncated ? ' …(truncated)' : ''}
      </pre>
    </section>
  )
}
