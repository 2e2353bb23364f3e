// Per-feed snooze in the Feeds view: 30 minutes, 1 hour or until tomorrow, and unsnooze.
import { useId } from 'react'
import {
  isSnoozed,
  SNOOZE_CHOICES,
  snoozeUntil,
  type SnoozeChoice,
} from '../../../../shared/snooze.ts'
import './presets.css'

export function SnoozeMenu(props: {
  feedName: string
  snoozedUntil: number | null
  now: number
  onSnooze(until: number | null): void
}): React.JSX.Element {
  const id = useId()
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
    <span className="snooze-menu">
      <label htmlFor={id} className="visually-hidden">
        Snooze notifications of {props.feedName}
      </label>
      <select
        id={id}
        value=""
        onChange={(event) => {
          const choice = event.target.value as SnoozeChoice | ''
          if (choice !== '') props.onSnooze(snoozeUntil(choice, Date.now()))
        }}
      >
        <option value="">Snooze…</option>
        {SNOOZE_CHOICES.map(({ choice, label }) => (
          <option key={choice} value={choice}>
            {label}
          </option>
        ))}
      </select>
    </span>
  )
}
