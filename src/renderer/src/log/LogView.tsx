import {
  useCallback,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type RefObject,
} from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { FeedStatus, TidingsApi } from '../../../shared/ipc.ts'
import type { EventStore } from '../state/event-store.ts'
import { FilteredLog } from '../state/filtered-log.ts'
import { lowerBoundBySeq } from '../state/event-store.ts'
import { downloadText, fileStamp } from '../ui/download.ts'
import {
  EMPTY_FILTER,
  isFiltering,
  makePredicate,
  type KindFilter,
  type LogFilter,
} from './filter.ts'
import { eventAsJson } from './format.ts'
import { LogRow, type RowFeed } from './LogRow.tsx'
import './log.css'

export const ROW_HEIGHT = 30
/** Within this many pixels of the bottom counts as "at the bottom": the log follows. */
const FOLLOW_SLACK = 48

export interface FocusRequest {
  seq: number
  nonce: number
}

interface LogViewProps {
  api: TidingsApi
  store: EventStore
  feeds: FeedStatus[]
  /** The panel is shown; while hidden the scroll box has no layout. */
  active: boolean
  searchRef: RefObject<HTMLInputElement | null>
  focusRequest: FocusRequest | null
}

export function LogView(props: LogViewProps): React.JSX.Element {
  const { api, store, feeds, focusRequest } = props
  const version = useSyncExternalStore(store.subscribe, store.getVersion)
  const [filter, setFilter] = useState<LogFilter>(EMPTY_FILTER)
  const deferredFilter = useDeferredValue(filter)
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set())
  const [highlight, setHighlight] = useState<number | null>(null)
  const [notice, setNotice] = useState('')

  const feedsById = useMemo(() => {
    const map = new Map<string, RowFeed>()
    for (const feed of feeds) map.set(feed.id, { name: feed.name, color: feed.color })
    return map
  }, [feeds])
  // Read through a ref so feed updates (frequent) do not rebuild the filtered rows.
  const feedsRef = useRef(feedsById)
  feedsRef.current = feedsById
  const predicate = useMemo(
    () => makePredicate(deferredFilter, (id) => feedsRef.current.get(id)?.name),
    [deferredFilter],
  )

  const filtered = useMemo(() => new FilteredLog(store), [store])
  const pendingTrim = useRef(0)
  const { rows, trimmed } = filtered.sync(predicate)
  pendingTrim.current += trimmed
  const rowsRef = useRef(rows)
  rowsRef.current = rows

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: useCallback((index: number) => rowsRef.current[index]?.seq ?? -index, []),
    overscan: 10,
  })

  // Following: newest at the bottom unless the user scrolled up.
  const followRef = useRef(true)
  const [following, setFollowing] = useState(true)
  const [leftAtSeq, setLeftAtSeq] = useState(-Infinity)
  const onScroll = useCallback(() => {
    const element = scrollRef.current
    if (!element) return
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= FOLLOW_SLACK
    if (atBottom === followRef.current) return
    followRef.current = atBottom
    setFollowing(atBottom)
    if (!atBottom) setLeftAtSeq(rowsRef.current.at(-1)?.seq ?? -Infinity)
  }, [])

  // A hidden panel loses its scroll offset: restore it (or the bottom) when shown again.
  const savedScroll = useRef(0)
  useLayoutEffect(() => {
    const element = scrollRef.current
    if (!element) return
    if (!props.active) return
    element.scrollTop = followRef.current ? element.scrollHeight : savedScroll.current
    const remember = (): void => {
      savedScroll.current = element.scrollTop
    }
    element.addEventListener('scroll', remember, { passive: true })
    return () => element.removeEventListener('scroll', remember)
  }, [props.active])

  useLayoutEffect(() => {
    const element = scrollRef.current
    if (!element) return
    const trimmedRows = pendingTrim.current
    pendingTrim.current = 0
    if (followRef.current) element.scrollTop = element.scrollHeight
    else if (trimmedRows > 0) element.scrollTop -= trimmedRows * ROW_HEIGHT
  }, [version, predicate, rows.length])

  const newCount = following ? 0 : rows.length - lowerBoundBySeq(rows, leftAtSeq + 1)

  const jumpToBottom = useCallback(() => {
    followRef.current = true
    setFollowing(true)
    const element = scrollRef.current
    if (element) element.scrollTop = element.scrollHeight
  }, [])

  // Inspecting a row (focus, expand) holds the view still; the "N new" pill resumes following.
  const holdView = useCallback(() => {
    if (!followRef.current) return
    followRef.current = false
    setFollowing(false)
    setLeftAtSeq(rowsRef.current.at(-1)?.seq ?? -Infinity)
  }, [])

  const toggle = useCallback(
    (seq: number) => {
      holdView()
      setExpanded((old) => {
        const next = new Set(old)
        if (!next.delete(seq)) next.add(seq)
        return next
      })
    },
    [holdView],
  )
  const openLink = useCallback((url: string) => void api.openLink(url), [api])

  const focusRow = useCallback(
    (index: number) => {
      const count = rowsRef.current.length
      if (count === 0) return
      const target = Math.max(0, Math.min(count - 1, index))
      const find = (): HTMLButtonElement | null | undefined =>
        scrollRef.current?.querySelector<HTMLButtonElement>(`[data-index="${target}"] .row-head`)
      const rendered = find()
      if (rendered) {
        // Already in the DOM: move focus now, so fast key repeats count from the right row.
        rendered.focus({ preventScroll: true })
        rendered.scrollIntoView({ block: 'nearest' })
        return
      }
      virtualizer.scrollToIndex(target, { align: 'auto' })
      let tries = 0
      const attempt = (): void => {
        const button = find()
        if (button) button.focus({ preventScroll: true })
        else if (tries++ < 10) requestAnimationFrame(attempt)
      }
      requestAnimationFrame(attempt)
    },
    [virtualizer],
  )

  const onListKeyDown = (event: React.KeyboardEvent<HTMLDivElement>): void => {
    const item = (event.target as HTMLElement).closest<HTMLElement>('[data-index]')
    if (!item || !(event.target as HTMLElement).classList.contains('row-head')) return
    const index = Number(item.dataset.index)
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1)
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: rowsRef.current.length - 1,
    }
    const next = moves[event.key]
    if (next === undefined) return
    event.preventDefault()
    focusRow(next)
  }

  // A notification without a link was clicked: show its event.
  useEffect(() => {
    if (!focusRequest) return
    const { seq } = focusRequest
    if (!store.findBySeq(seq)) {
      setNotice(`Event #${seq} is no longer in this window's log.`)
      return
    }
    setNotice('')
    if (!rowsRef.current.some((row) => row.seq === seq)) setFilter(EMPTY_FILTER)
    followRef.current = false
    setFollowing(false)
    setLeftAtSeq(seq)
    setExpanded((old) => new Set(old).add(seq))
    setHighlight(seq)
  }, [focusRequest, store])
  useEffect(() => {
    if (highlight === null) return
    const index = lowerBoundBySeq(rowsRef.current, highlight)
    if (rowsRef.current[index]?.seq === highlight) focusRow(index)
  }, [highlight, predicate, focusRow])

  const exportRows = (): void => {
    const lines = rowsRef.current.map((event) =>
      eventAsJson(event, feedsById.get(event.feedId)?.name),
    )
    downloadText(
      `tidings-log-${fileStamp()}.jsonl`,
      lines.join('\n') + (lines.length ? '\n' : ''),
      'application/x-ndjson',
    )
    setNotice(`Exported ${lines.length.toLocaleString()} events.`)
  }

  const items = virtualizer.getVirtualItems()
  const filtering = isFiltering(filter)
  return (
    <section className="view log-view" aria-label="Log">
      <h1 className="visually-hidden">Log</h1>
      <LogToolbar
        filter={filter}
        onFilter={setFilter}
        feeds={feeds}
        types={store.seenTypes()}
        searchRef={props.searchRef}
        shown={rows.length}
        total={store.size}
        onClear={() => {
          store.clear()
          setExpanded(new Set())
          setNotice('Log cleared. New events will keep arriving.')
        }}
        onExport={exportRows}
      />
      {notice ? (
        <p className="log-notice tinted tone-info" role="status">
          {notice}
        </p>
      ) : null}
      <div className="log-columns" aria-hidden="true">
        <span className="c-time">Time</span>
        <span className="c-feed">Feed</span>
        <span className="c-type">Type</span>
        <span className="c-kind">Kind</span>
        <span className="c-summary">Summary</span>
      </div>
      <div className="log-scroll" ref={scrollRef} onScroll={onScroll}>
        {rows.length === 0 ? (
          <p className="empty">
            {filtering
              ? 'No events match the filter.'
              : 'No events yet. They appear here as feeds send them.'}
          </p>
        ) : null}
        <div
          className="log-list"
          role="list"
          aria-label="Events"
          onKeyDown={onListKeyDown}
          onFocus={(event) => {
            if ((event.target as HTMLElement).classList.contains('row-head')) holdView()
          }}
          style={{ height: virtualizer.getTotalSize() }}
        >
          {items.map((item) => {
            const event = rows[item.index]
            if (!event) return null
            return (
              <div
                key={item.key}
                role="listitem"
                aria-posinset={item.index + 1}
                aria-setsize={rows.length}
                className="log-row"
                data-index={item.index}
                ref={virtualizer.measureElement}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <LogRow
                  event={event}
                  feed={feedsById.get(event.feedId) ?? { name: event.feedId, color: undefined }}
                  expanded={expanded.has(event.seq)}
                  highlighted={highlight === event.seq}
                  onToggle={toggle}
                  onOpenLink={openLink}
                />
              </div>
            )
          })}
        </div>
      </div>
      {newCount > 0 ? (
        <button type="button" className="new-pill" onClick={jumpToBottom}>
          ↓ {newCount.toLocaleString()} new
        </button>
      ) : null}
    </section>
  )
}

const KIND_OPTIONS: { value: KindFilter; label: string }[] = [
  { value: 'any', label: 'Any kind' },
  { value: 'notified', label: 'Notified' },
  { value: 'none', label: 'Not notified' },
  { value: 'task-completed', label: 'Task completed' },
  { value: 'task-failed', label: 'Task failed' },
  { value: 'news', label: 'News' },
  { value: 'message', label: 'Message' },
]

function LogToolbar(props: {
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
      <button type="button" onClick={props.onClear} disabled={props.total === 0}>
        Clear
      </button>
    </div>
  )
}
