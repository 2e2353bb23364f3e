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
import type { FeedStatus, TidingsApi } from '../../../shared/ipc.ts'
import type { EventStore, LogEntry } from '../state/event-store.ts'
import { FilteredLog } from '../state/filtered-log.ts'
import { lowerBoundBySeq } from '../state/event-store.ts'
import { downloadText, fileStamp } from '../ui/download.ts'
import { useNotice } from '../ui/use-notice.ts'
import { EMPTY_FILTER, isFiltering, makePredicate, type LogFilter } from './filter.ts'
import { EventInspector } from './EventInspector.tsx'
import { eventAsJson } from './format.ts'
import { LogEmpty, DemoNote } from './LogEmpty.tsx'
import { LogRow, type RowFeed } from './LogRow.tsx'
import { LogToolbar } from './LogToolbar.tsx'
import { useFixedRows, useRecycledKeys } from './use-fixed-rows.ts'
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
  /** Saved feeds are only the built-in demo: say so, and how to add one's own. */
  demoOnly: boolean
  /** Opens Settings on a new feed. */
  onAddFeed(): void
}

export function LogView(props: LogViewProps): React.JSX.Element {
  const { api, store, feeds, focusRequest } = props
  const version = useSyncExternalStore(store.subscribe, store.getVersion)
  const [filter, setFilter] = useState<LogFilter>(EMPTY_FILTER)
  const deferredFilter = useDeferredValue(filter)
  /** The row whose details the inspector shows (by seq). */
  const [selected, setSelected] = useState<number | null>(null)
  const selectedRef = useRef(selected)
  selectedRef.current = selected
  const [highlight, setHighlight] = useState<number | null>(null)
  const [notice, setNotice] = useNotice()
  const [clearNotice, setClearNotice] = useNotice(15_000)

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
  // Following: newest at the bottom unless the user scrolled up or is inspecting a row.
  const followRef = useRef(true)
  const [following, setFollowing] = useState(true)
  const virtual = useFixedRows({
    count: rows.length,
    rowHeight: ROW_HEIGHT,
    // Following, every batch replaces the rows shown: rows out of sight above are laid out for
    // nothing. Scrolled, rows beyond the edges keep a fast scroll from showing gaps.
    overscan: following ? 2 : 10,
    scrollRef,
    atEnd: following,
  })
  const [leftAtSeq, setLeftAtSeq] = useState(-Infinity)
  const hold = useCallback(() => {
    if (!followRef.current) return
    followRef.current = false
    setFollowing(false)
    setLeftAtSeq(rowsRef.current.at(-1)?.seq ?? -Infinity)
  }, [])
  const onScroll = useCallback(() => {
    const element = scrollRef.current
    if (!element) return
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= FOLLOW_SLACK
    if (atBottom === followRef.current) return
    if (!atBottom) hold()
    // Inspecting a row holds the list until Resume, even at the bottom.
    else if (selectedRef.current === null) {
      followRef.current = true
      setFollowing(true)
    }
  }, [hold])

  // A hidden panel loses its scroll offset: restore it (or the bottom) when shown again. It is
  // read as the panel is hidden (this cleanup runs before the panel's hidden attribute is set),
  // not on every scroll, where reading it could force a layout of rows just rendered.
  const savedScroll = useRef(0)
  useLayoutEffect(() => {
    const element = scrollRef.current
    if (!element) return
    if (!props.active) return
    element.scrollTop = followRef.current ? element.scrollHeight : savedScroll.current
    return () => {
      savedScroll.current = element.scrollTop
    }
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

  const resume = useCallback(() => {
    followRef.current = true
    setFollowing(true)
    const element = scrollRef.current
    if (element) element.scrollTop = element.scrollHeight
  }, [])

  const rowButton = (index: number): HTMLButtonElement | null | undefined =>
    scrollRef.current?.querySelector<HTMLButtonElement>(`[data-index="${index}"] .row-head`)

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
      virtual.scrollToIndex(target)
      let tries = 0
      const attempt = (): void => {
        const button = find()
        if (button) button.focus({ preventScroll: true })
        else if (tries++ < 10) requestAnimationFrame(attempt)
      }
      requestAnimationFrame(attempt)
    },
    [virtual.scrollToIndex],
  )

  const toggle = useCallback(
    (seq: number) => {
      hold()
      setSelected((old) => (old === seq ? null : seq))
    },
    [hold],
  )
  const openLink = useCallback((url: string) => void api.openLink(url), [api])

  /** Closes the details and gives focus back to their row. */
  const closeInspector = (): void => {
    const seq = selected
    setSelected(null)
    if (seq === null) return
    const index = lowerBoundBySeq(rowsRef.current, seq)
    if (rowsRef.current[index]?.seq === seq) focusRow(index)
  }

  // The inspector takes room under the list: the selected row stays in sight above it.
  useLayoutEffect(() => {
    if (selected === null) return
    const index = lowerBoundBySeq(rowsRef.current, selected)
    if (rowsRef.current[index]?.seq === selected)
      rowButton(index)?.scrollIntoView({ block: 'nearest' })
  }, [selected])

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
    const row = store.findBySeq(focusRequest.seq)
    if (!row) {
      setNotice({ text: `Event #${focusRequest.seq} is no longer in this window's log.` })
      return
    }
    // A stream's end shows in its stream's row.
    const seq = row.seq
    setNotice(null)
    if (!rowsRef.current.some((row) => row.seq === seq)) setFilter(EMPTY_FILTER)
    followRef.current = false
    setFollowing(false)
    setLeftAtSeq(seq)
    setSelected(seq)
    setHighlight(seq)
  }, [focusRequest, store, setNotice])
  useEffect(() => {
    if (highlight === null) return
    const index = lowerBoundBySeq(rowsRef.current, highlight)
    if (rowsRef.current[index]?.seq === highlight) focusRow(index)
  }, [highlight, predicate, focusRow])

  const exportRows = (): void => {
    const lines: string[] = []
    for (const row of rowsRef.current)
      for (const event of row.stream?.events ?? [row])
        lines.push(eventAsJson(event, feedsById.get(event.feedId)?.name))
    downloadText(
      `tidings-log-${fileStamp()}.jsonl`,
      lines.join('\n') + (lines.length ? '\n' : ''),
      'application/x-ndjson',
    )
    setNotice({ text: `Exported ${lines.length.toLocaleString()} events.` })
  }

  const clear = (): void => {
    const hidden = store.clear()
    setSelected(null)
    setNotice(null)
    const count = `${hidden.toLocaleString()} ${hidden === 1 ? 'event' : 'events'}`
    setClearNotice({
      text: `Cleared ${count} from this window; the history keeps them. New events keep arriving.`,
      action: {
        label: 'Undo',
        run: () => {
          store.undoClear()
          setClearNotice(null)
          setNotice({ text: `Brought back ${count}.` })
        },
      },
    })
  }

  const inspected: LogEntry | undefined =
    selected === null ? undefined : (store.findBySeq(selected) ?? undefined)
  const items = virtual.items
  const keys = useRecycledKeys(items.map((item) => rows[item.index]?.seq ?? -1))
  const filtering = isFiltering(filter)
  const shown = [clearNotice, notice].filter((one) => one !== null)
  return (
    <section
      className="view log-view"
      aria-label="Log"
      tabIndex={-1}
      onKeyDown={(event) => {
        if (
          event.key === 'Escape' &&
          selected !== null &&
          !(event.target as HTMLElement).matches('input, select, textarea')
        ) {
          event.preventDefault()
          closeInspector()
        }
      }}
    >
      <h1 className="visually-hidden">Log</h1>
      <LogToolbar
        filter={filter}
        onFilter={setFilter}
        feeds={feeds}
        types={store.seenTypes()}
        searchRef={props.searchRef}
        shown={rows.length}
        total={store.size}
        onClear={clear}
        onExport={exportRows}
      />
      {shown.map((one) => (
        <p className="log-notice tinted tone-info" role="status" key={one.text}>
          {one.text}
          {one.action ? (
            <>
              {' '}
              <button type="button" className="link-button" onClick={one.action.run}>
                {one.action.label}
              </button>
            </>
          ) : null}
        </p>
      ))}
      {props.demoOnly ? <DemoNote onAddFeed={props.onAddFeed} /> : null}
      <div className="log-columns" aria-hidden="true">
        <span className="c-time">Time</span>
        <span className="c-feed">Feed</span>
        <span className="c-type">Type</span>
        <span className="c-kind">Kind</span>
        <span className="c-summary">Summary</span>
      </div>
      <div className="log-body">
        <div className="log-scroll" ref={scrollRef} onScroll={onScroll}>
          {rows.length === 0 ? (
            <LogEmpty
              filtering={filtering}
              hasFeeds={feeds.length > 0}
              onAddFeed={props.onAddFeed}
            />
          ) : null}
          <div
            className="log-list"
            role="list"
            aria-label="Events"
            onKeyDown={onListKeyDown}
            onFocus={(event) => {
              if ((event.target as HTMLElement).classList.contains('row-head')) hold()
            }}
            style={{ height: virtual.totalSize }}
          >
            {items.map((item, position) => {
              const event = rows[item.index]
              if (!event) return null
              return (
                <div
                  key={keys[position]}
                  role="listitem"
                  aria-posinset={item.index + 1}
                  aria-setsize={rows.length}
                  className="log-row"
                  data-index={item.index}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <LogRow
                    event={event}
                    revision={event.stream?.revision ?? 0}
                    feed={feedsById.get(event.feedId) ?? { name: event.feedId, color: undefined }}
                    selected={selected === event.seq}
                    highlighted={highlight === event.seq}
                    onToggle={toggle}
                  />
                </div>
              )
            })}
          </div>
        </div>
        {following ? null : (
          <div className="follow-bar" role="region" aria-label="Following paused">
            <strong>Paused</strong>
            <span aria-live="off">
              {newCount > 0
                ? `${newCount.toLocaleString()} new ${newCount === 1 ? 'event' : 'events'} below`
                : 'New events are added below'}
            </span>
            <button type="button" className="primary" onClick={resume}>
              Resume
            </button>
          </div>
        )}
        {inspected ? (
          <EventInspector
            key={inspected.seq}
            event={inspected}
            feedName={feedsById.get(inspected.feedId)?.name ?? inspected.feedId}
            onOpenLink={openLink}
            onClose={closeInspector}
          />
        ) : null}
      </div>
    </section>
  )
}
