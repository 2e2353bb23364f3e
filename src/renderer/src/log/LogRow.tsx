import { memo, useState } from 'react'
import type { LoggedEvent } from '../../../shared/ipc.ts'
import { isHttpUrl } from '../../../shared/validate.ts'
import { FeedBadge } from '../ui/FeedBadge.tsx'
import { copyText } from '../ui/clipboard.ts'
import { KIND_LABELS, KIND_TONES, clockTime, eventAsJson, prettyData, summarize } from './format.ts'

export interface RowFeed {
  name: string
  color: string | undefined
}

interface LogRowProps {
  event: LoggedEvent
  feed: RowFeed
  expanded: boolean
  highlighted: boolean
  onToggle(seq: number): void
  onOpenLink(url: string): void
}

/** One event: a one-line header button; expanded, the data pretty-printed with copy actions. */
export const LogRow = memo(function LogRow(props: LogRowProps): React.JSX.Element {
  const { event, feed, expanded } = props
  const kind = event.notification?.kind
  const detailId = `event-detail-${event.seq}`
  return (
    <>
      <button
        type="button"
        className={`row-head${props.highlighted ? ' highlighted' : ''}`}
        aria-expanded={expanded}
        aria-controls={expanded ? detailId : undefined}
        onClick={() => props.onToggle(event.seq)}
      >
        <span className="c-time">{clockTime(event.receivedAt)}</span>
        <span className="c-feed">
          <FeedBadge name={feed.name} color={feed.color} />
        </span>
        <span className="c-type" title={event.type}>
          {event.type}
        </span>
        <span className="c-kind">
          {kind ? (
            <span className={`chip tone-${KIND_TONES[kind]}`}>{KIND_LABELS[kind]}</span>
          ) : null}
        </span>
        <span className="c-summary">{summarize(event)}</span>
      </button>
      {expanded ? (
        <RowDetail
          key={event.seq}
          id={detailId}
          event={event}
          feedName={feed.name}
          onOpenLink={props.onOpenLink}
        />
      ) : null}
    </>
  )
})

function RowDetail(props: {
  id: string
  event: LoggedEvent
  feedName: string
  onOpenLink(url: string): void
}): React.JSX.Element {
  const { event } = props
  const [status, setStatus] = useState('')
  const pretty = prettyData(event.data)
  const url = event.notification?.url
  const copy = (text: string, what: string): void => {
    copyText(text).then(
      (ok) => setStatus(ok ? `${what} copied.` : `Could not copy ${what.toLowerCase()}.`),
      () => setStatus(`Could not copy ${what.toLowerCase()}.`),
    )
  }
  return (
    <div
      className="row-detail"
      id={props.id}
      role="region"
      aria-label={`Event ${event.seq} details`}
    >
      <div className="detail-bar">
        <span className="detail-meta">
          #{event.seq} · id {event.id === '' ? '(none)' : event.id} ·{' '}
          {new Date(event.receivedAt).toISOString()} · {pretty.json ? 'JSON' : 'text'},{' '}
          {event.data.length.toLocaleString()} chars
        </span>
        <span className="detail-actions">
          <button type="button" onClick={() => copy(pretty.text, 'Data')}>
            Copy data
          </button>
          <button type="button" onClick={() => copy(eventAsJson(event, props.feedName), 'Event')}>
            Copy event
          </button>
          {isHttpUrl(url) ? (
            <button type="button" onClick={() => props.onOpenLink(url)} title={url}>
              Open link
            </button>
          ) : null}
          <span className="detail-status toned tone-ok" role="status">
            {status}
          </span>
        </span>
      </div>
      {event.notification ? (
        <p className="detail-notification">
          <strong>{event.notification.title}</strong>
          {event.notification.body ? ` — ${event.notification.body}` : ''}
        </p>
      ) : null}
      <pre className="detail-data" tabIndex={0} aria-label="Event data">
        {pretty.text}
      </pre>
    </div>
  )
}
