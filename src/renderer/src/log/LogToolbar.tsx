// The Log's toolbar: search, filters, the count, export and clear.
import type { RefObject } from 'react'
import type { FeedStatus } from '../../../shared/ipc.ts'
import { EMPTY_FILTER, isFiltering, type KindFilter, type LogFilter } from './filter.ts'

const CLEAR_HINT = 'Hides these events in this window only; the history keeps them. Can be undone.'

const KIND_OPTIONS: { value: KindFilter; label: string }[] = [
  { value: 'any', label: 'Any kind' },
  { value: 'notified', label: 'Notified' },
  { value: 'none', label: 'Not notified' },
  { value: 'task-completed', label: 'Task completed' },
  { value: 'task-failed', label: 'Task failed' },
  { value: 'news', label: 'News' },
  { value: 'message', label: 'Message' },
]

export function LogToolbar(props: {
  filter: LogFilter
  onFilter(filter: LogFilter): void
  feeds: FeedStatus[]
  types: string[]
  searchRef: RefObject<HTMLInputElement | null>
  shown: number
  total: number
  onClear(): void
  onExport(): void
}): React.JSX.Element {
  const { filter, onFilter } = props
  const types =
    filter.type !== null && !props.types.includes(filter.type)
      ? [...props.types, filter.type]
      : props.types
  return (
    <div className="toolbar" role="toolbar" aria-label="Log tools">
      <input
        ref={props.searchRef}
        type="search"
        className="search"
        placeholder="Search events (Ctrl+F)"
        aria-label="Search events"
        value={filter.search}
        onChange={(event) => onFilter({ ...filter, search: event.target.value })}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && filter.search !== '') {
            event.preventDefault()
            onFilter({ ...filter, search: '' })
          }
        }}
      />
      <select
        aria-label="Filter by feed"
        value={filter.feedId ?? ''}
        onChange={(event) => onFilter({ ...filter, feedId: event.target.value || null })}
      >
        <option value="">All feeds</option>
        {props.feeds.map((feed) => (
          <option key={feed.id} value={feed.id}>
            {feed.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by type"
        value={filter.type ?? ''}
        onChange={(event) => onFilter({ ...filter, type: event.target.value || null })}
      >
        <option value="">All types</option>
        {types.map((type) => (
          <option key={type} value={type}>
            {type}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by notification kind"
        value={filter.kind}
        onChange={(event) => onFilter({ ...filter, kind: event.target.value as KindFilter })}
      >
        {KIND_OPTIONS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {isFiltering(filter) ? (
        <button type="button" onClick={() => onFilter(EMPTY_FILTER)}>
          Reset filters
        </button>
      ) : null}
      <span className="toolbar-spacer" />
      <span className="count" aria-live="off">
        {props.shown === props.total
          ? `${props.total.toLocaleString()} events`
          : `${props.shown.toLocaleString()} of ${props.total.toLocaleString()} events`}
      </span>
      <button type="button" onClick={props.onExport} disabled={props.shown === 0}>
        Export JSONL
      </button>
      <button
        type="button"
        onClick={props.onClear}
        disabled={props.total === 0}
        aria-describedby="log-clear-hint"
        title={CLEAR_HINT}
      >
        Clear
      </button>
      <span id="log-clear-hint" className="visually-hidden">
        {CLEAR_HINT}
      </span>
    </div>
  )
}
