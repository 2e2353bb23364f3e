// Pausing notifications: what each menu choice means as a time, and how it reads.
import type { PauseRequest } from '../../shared/ipc.ts'
import type { Settings } from '../../shared/settings.ts'

/** "Until tomorrow" ends at this local hour of the next day. */
export const TOMORROW_HOUR = 8

/** The settings' pause value for a request (null = not paused). */
export function pauseFor(request: PauseRequest, now: number): Settings['pause'] {
  switch (request.kind) {
    case 'for-minutes':
      return { until: now + request.minutes * 60_000 }
    case 'until-tomorrow': {
      const date = new Date(now)
      date.setDate(date.getDate() + 1)
      date.setHours(TOMORROW_HOUR, 0, 0, 0)
      return { until: date.getTime() }
    }
    case 'until-resumed':
      return { until: null }
    case 'resume':
      return null
  }
}

/** A pause that has run out counts as no pause. */
export function activePause(pause: Settings['pause'], now: number): Settings['pause'] {
  if (!pause) return null
  return pause.until === null || pause.until > now ? pause : null
}

/** "until 14:05", "until tomorrow 08:00", "until Mon 08:00", or "until resumed". */
export function describePause(pause: NonNullable<Settings['pause']>, now: number): string {
  if (pause.until === null) return 'until resumed'
  const end = new Date(pause.until)
  const time = `${pad(end.getHours())}:${pad(end.getMinutes())}`
  const days = dayNumber(end) - dayNumber(new Date(now))
  if (days <= 0) return `until ${time}`
  if (days === 1) return `until tomorrow ${time}`
  return `until ${end.toLocaleDateString('en', { weekday: 'short' })} ${time}`
}

function dayNumber(date: Date): number {
  return Math.floor(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / 86_400_000)
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
