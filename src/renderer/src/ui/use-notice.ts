import { useCallback, useEffect, useRef, useState } from 'react'

export interface Notice {
  text: string
  /** An action offered with it ("Undo"). */
  action?: { label: string; run(): void }
}

/** How long a confirmation stays: long enough to read, then it fades (it never goes stale). */
export const NOTICE_MS = 6000

/**
 * A status line that clears itself `ms` after it was set (a confirmation such as "Exported 12
 * events"); null clears it at once.
 */
export function useNotice(ms = NOTICE_MS): [Notice | null, (notice: Notice | null) => void] {
  const [notice, setNotice] = useState<Notice | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const show = useCallback(
    (next: Notice | null) => {
      clearTimeout(timer.current)
      setNotice(next)
      if (next) timer.current = setTimeout(() => setNotice(null), ms)
    },
    [ms],
  )
  useEffect(() => () => clearTimeout(timer.current), [])
  return [notice, show]
}
