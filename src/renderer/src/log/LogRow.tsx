import { memo } from 'react'
import type { LogEntry } from '../state/event-store.ts'
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
  // Few elements: at the end of a fast log every row shown is laid out anew with every batch.
  const chip = kind
    ? { tone: KIND_TONES[kind], label: KIND_LABELS[kind] }
    : stream
      ? { tone: stream.done ? 'off' : 'info', label: stream.done ? 'stream' : 'streaming' }
      : null
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
      <span className="c-feed feed-badge" title={feed.name}>
        <span
          className="feed-dot"
          style={{ background: feed.color ?? 'var(--muted)' }}
          aria-hidden="true"
        />
        <span className="feed-name">{feed.name}</span>
      </span>
      <span className="c-type" title={event.type}>
        {event.type}
      </span>
      {chip ? (
        <span className={`c-kind chip tone-${chip.tone}`}>{chip.label}</span>
      ) : (
        <span className="c-kind" />
      )}
      <span className="c-summary">{stream ? streamSummary(stream) : summarize(event)}</span>
    </button>
  )
})
