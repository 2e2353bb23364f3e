import { memo } from 'react'
import type { LogEntry } from '../state/event-store.ts'
import { FeedBadge } from '../ui/FeedBadge.tsx'
import { KIND_LABELS, KIND_TONES, clockTime, streamSummary, summarize } from './format.ts'
import { INSPECTOR_ID } from './EventInspector.tsx'

export interface RowFeed {
  name: string
  color: string | undefined
}

interface LogRowProps {
  event: LogEntry
  /** A stream's row grows: its revision changes with every chunk. */
  revision: number
  feed: RowFeed
  selected: boolean
  highlighted: boolean
  onToggle(seq: number): void
}

/** One event (or one token stream) on one line: a button that shows its details below. */
export const LogRow = memo(function LogRow(props: LogRowProps): React.JSX.Element {
  const { event, feed, selected } = props
  const kind = event.notification?.kind
  const stream = event.stream
  const [clock, millis] = clockTime(event.receivedAt)
  return (
    <button
      type="button"
      className={`row-head${props.highlighted ? ' highlighted' : ''}`}
      aria-expanded={selected}
      aria-controls={selected ? INSPECTOR_ID : undefined}
      onClick={() => props.onToggle(event.seq)}
    >
      <span className="c-time">
        {clock}
        <span className="c-millis">{millis}</span>
      </span>
      <span className="c-feed">
        <FeedBadge name={feed.name} color={feed.color} />
      </span>
      <span className="c-type" title={event.type}>
        {event.type}
      </span>
      <span className="c-kind">
        {kind ? (
          <span className={`chip tone-${KIND_TONES[kind]}`}>{KIND_LABELS[kind]}</span>
        ) : stream ? (
          <span className={`chip tone-${stream.done ? 'off' : 'info'}`}>
            {stream.done ? 'stream' : 'streaming'}
          </span>
        ) : null}
      </span>
      <span className="c-summary">{stream ? streamSummary(stream) : summarize(event)}</span>
    </button>
  )
})
