// The rows of a long list of one fixed height to render for its scroll box: O(1) per render, and
// already the last ones while the list follows its end. A general virtualizer (it was TanStack's)
// measures every row: on a log of 100,000 events growing 20 times a second, rebuilding that
// measurement list was a tenth of the page's work, and it learned of the scroll to the end only
// from the scroll event, so each batch was rendered and laid out twice, for the old position
// first.
import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { flushSync } from 'react-dom'

export interface FixedRow {
  index: number
  /** Its top, in pixels from the list's top. */
  start: number
}

export interface FixedRows {
  items: FixedRow[]
  totalSize: number
  /** Scrolls the least that shows the row whole. */
  scrollToIndex(index: number): void
}

interface Options {
  count: number
  rowHeight: number
  /** Rows rendered beyond each edge of the box. */
  overscan: number
  scrollRef: RefObject<HTMLElement | null>
  /** The list follows its end: show the last rows, whatever the box's scroll offset says yet. */
  atEnd: boolean
}

export function useFixedRows(options: Options): FixedRows {
  const { count, rowHeight, overscan, scrollRef, atEnd } = options
  /** The box's first visible row and how many fit; a render is asked for only when it matters. */
  const viewRef = useRef({ first: 0, visible: 0 })
  const [, rerender] = useState(0)
  const atEndRef = useRef(atEnd)
  atEndRef.current = atEnd

  useLayoutEffect(() => {
    const element = scrollRef.current
    if (!element) return
    let height = element.clientHeight
    const update = (sync: boolean): void => {
      const next = {
        first: Math.floor(element.scrollTop / rowHeight),
        visible: Math.ceil(height / rowHeight),
      }
      const old = viewRef.current
      if (next.first === old.first && next.visible === old.visible) return
      viewRef.current = next
      // Following, the rows shown do not depend on the offset (our own scroll to the end).
      if (atEndRef.current && next.visible === old.visible) return
      // While the user scrolls, the rows for the new offset come in the same frame.
      if (sync) flushSync(() => rerender((n) => n + 1))
      else rerender((n) => n + 1)
    }
    const onScroll = (): void => update(true)
    const resize = new ResizeObserver(([entry]) => {
      height = entry?.contentRect.height ?? element.clientHeight
      update(false)
    })
    element.addEventListener('scroll', onScroll, { passive: true })
    resize.observe(element)
    update(false)
    return () => {
      element.removeEventListener('scroll', onScroll)
      resize.disconnect()
    }
  }, [scrollRef, rowHeight])

  const view = viewRef.current
  const first = atEnd ? Math.max(0, count - view.visible) : Math.min(view.first, count)
  const start = Math.max(0, first - overscan)
  const end = Math.min(count, first + view.visible + overscan)
  const items: FixedRow[] = []
  for (let index = start; index < end; index++) items.push({ index, start: index * rowHeight })

  const scrollToIndex = useCallback(
    (index: number) => {
      const element = scrollRef.current
      if (!element) return
      const top = index * rowHeight
      const bottom = top + rowHeight
      if (top < element.scrollTop) element.scrollTop = top
      else if (bottom > element.scrollTop + element.clientHeight)
        element.scrollTop = bottom - element.clientHeight
    },
    [scrollRef, rowHeight],
  )

  return { items, totalSize: count * rowHeight, scrollToIndex }
}

/**
 * A key for each row shown, stable while the row stays shown, taken over from rows that left:
 * React then reuses their elements (new text in the same nodes) instead of removing a row and
 * creating another for each that scrolls by, which at the end of a fast log is every row of
 * every batch. Keyed by the row's own id, so a focused row keeps its element (and its focus)
 * however the rows around it change.
 */
export function useRecycledKeys(ids: readonly number[]): number[] {
  const slots = useRef(new Map<number, number>())
  const { keys, next } = recycleKeys(slots.current, ids)
  slots.current = next
  return keys
}

/** The keys for `ids` given the keys the rows shown before had (`previous`, id -> key). */
export function recycleKeys(
  previous: ReadonlyMap<number, number>,
  ids: readonly number[],
): { keys: number[]; next: Map<number, number> } {
  const next = new Map<number, number>()
  const taken = new Set<number>()
  for (const id of ids) {
    const slot = previous.get(id)
    if (slot !== undefined && !next.has(id)) {
      next.set(id, slot)
      taken.add(slot)
    }
  }
  let free = 0
  const keys = ids.map((id) => {
    let slot = next.get(id)
    if (slot === undefined) {
      while (taken.has(free)) free++
      slot = free
      taken.add(slot)
      next.set(id, slot)
    }
    return slot
  })
  return { keys, next }
}
