// Whether notifications are held back right now (pause, quiet hours) and until when.
import type { NotifyPolicy } from './types.ts'

export type HoldReason = 'paused' | 'quiet'

type QuietHours = NotifyPolicy['quietHours']

/** Minutes since local midnight for "HH:MM", or null when it is not a valid time. */
export function clockMinutes(text: string): number | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(typeof text === 'string' ? text.trim() : '')
  return match ? Number(match[1]) * 60 + Number(match[2]) : null
}

/** Quiet hours in local time; start > end wraps midnight (22:00-07:00); start = end is never. */
export function isQuietTime(now: number, quiet: QuietHours | null | undefined): boolean {
  if (!quiet?.enabled) return false
  const start = clockMinutes(quiet.start)
  const end = clockMinutes(quiet.end)
  if (start === null || end === null || start === end) return false
  const date = new Date(now)
  const minutes = date.getHours() * 60 + date.getMinutes()
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end
}

export function isPaused(now: number, pause: NotifyPolicy['pause'] | undefined): boolean {
  if (!pause) return false
  return pause.until === null || now < pause.until
}

export function holdReason(now: number, policy: NotifyPolicy): HoldReason | null {
  if (isPaused(now, policy.pause)) return 'paused'
  if (isQuietTime(now, policy.quietHours)) return 'quiet'
  return null
}

/** When the current hold may end (epoch ms), or null when only the user can end it. Callers
 *  re-check then: quiet hours may follow a pause, and the clock may have moved. */
export function holdEndsAt(now: number, policy: NotifyPolicy): number | null {
  if (isPaused(now, policy.pause)) return policy.pause?.until ?? null
  if (!isQuietTime(now, policy.quietHours)) return now
  const end = clockMinutes(policy.quietHours.end) ?? 0
  const date = new Date(now)
  date.setHours(Math.floor(end / 60), end % 60, 0, 0)
  // setDate keeps local wall-clock time across a daylight-saving change.
  if (date.getTime() <= now) date.setDate(date.getDate() + 1)
  return date.getTime()
}
