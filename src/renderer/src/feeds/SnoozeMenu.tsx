// Per-feed snooze in the Feeds view: 30 minutes, 1 hour or until tomorrow, and unsnooze. Plain
// buttons (one click, reachable by keyboard, each with a full accessible name).
import { isSnoozed, SNOOZE_CHOICES, snoozeUntil } from '../../../shared/snooze.ts'

// The visible words come first in each button's name, as they read (WCAG 2.5.3).
const SHORT: Record<string, string> = {
  'half-hour': '30 minutes',
  hour: '1 hour',
  'until-tomorrow': 'Tomorrow',
}

export function SnoozeMenu(props: {
  feedName: string
  snoozedUntil: number | null
  now: number
  onSnooze(until: number | null): void
}): React.JSX.Element {
  if (isSnoozed(props.snoozedUntil, props.now))
    return (
      <button
        type="button"
        aria-label={`Unsnooze notifications of ${props.feedName}`}
        onClick={() => props.onSnooze(null)}
      >
        Unsnooze
      </button>
    )
  return (
    <span
      className="snooze-menu"
      role="group"
      aria-label={`Snooze notifications of ${props.feedName}`}
    >
      <span className="muted" aria-hidden="true">
        Snooze
      </span>
      {SNOOZE_CHOICES.map(({ choice, label }) => (
        <button
          key={choice}
          type="button"
          aria-label={`Snooze notifications of ${props.feedName} ${
            choice === 'until-tomorrow' ? 'until tomorrow' : `for ${label}`
          }`}
          onClick={() => props.onSnooze(snoozeUntil(choice, Date.now()))}
        >
          {SHORT[choice]}
        </button>
      ))}
    </span>
  )
}
