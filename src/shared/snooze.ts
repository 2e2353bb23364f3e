// Per-feed snooze: the choices the tray menu and the Feeds view offer, as times. "Until
// tomorrow" ends at 08:00 local time the next day, like pausing all notifications does.

export type SnoozeChoice = 'half-hour' | 'hour' | 'until-tomorrow'

export const SNOOZE_CHOICES: ReadonlyArray<{ choice: SnoozeChoice; label: string }> = [
  { choice: 'half-hour', label: '30 minutes' },
  { choice: 'hour', label: '1 hour' },
  { choice: 'until-tomorrow', label: 'Until tomorrow' },
]

const TOMORROW_HOUR = 8

/** Epoch ms at which a snooze chosen `now` ends. */
export function snoozeUntil(choice: SnoozeChoice, now: number): number {
  switch (choice) {
    case 'half-hour':
      return now + 30 * 60_000
    case 'hour':
      return now + 60 * 60_000
    case 'until-tomorrow': {
      const date = new Date(now)
      date.setDate(date.getDate() + 1)
      date.setHours(TOMORROW_HOUR, 0, 0, 0)
      return date.getTime()
    }
  }
}

/** Whether a feed's snooze is still running. */
export function isSnoozed(snoozedUntil: number | null | undefined, now: number): boolean {
  return typeof snoozedUntil === 'number' && snoozedUntil > now
}
