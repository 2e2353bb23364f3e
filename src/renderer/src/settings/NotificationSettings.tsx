// Settings → Notifications: whether they reach the user, quiet hours, rate limit and the
// disconnect alert.
import type { TidingsApi } from '../../../shared/ipc.ts'
import type { FieldErrors } from '../../../shared/settings.ts'
import { Check, Field, describedBy, numberValue, parseNumber } from '../ui/Field.tsx'
import type { Draft } from './draft.ts'
import { NotificationHealthPanel } from './NotificationHealthPanel.tsx'

export function NotificationSettings(props: {
  api: TidingsApi
  draft: Draft
  errors: FieldErrors
  edit(next: Draft): void
}): React.JSX.Element {
  const { draft, errors, edit } = props
  const quiet = draft.quietHours
  return (
    <>
      <h2 className="section-title">Notifications</h2>
      <div className="form-grid settings-group">
        <NotificationHealthPanel api={props.api} />
        <div className="field span-all">
          <Check
            id="quiet-enabled"
            label="Quiet hours"
            checked={quiet.enabled}
            onChange={(enabled) => edit({ ...draft, quietHours: { ...quiet, enabled } })}
          />
        </div>
        <Field
          id="quiet-start"
          label="Quiet from"
          error={errors['quietHours.start']}
          className="narrow"
        >
          <input
            {...describedBy('quiet-start', errors['quietHours.start'])}
            value={quiet.start}
            placeholder="22:00"
            onChange={(event) =>
              edit({ ...draft, quietHours: { ...quiet, start: event.target.value } })
            }
          />
        </Field>
        <Field
          id="quiet-end"
          label="Quiet until"
          error={errors['quietHours.end']}
          className="narrow"
        >
          <input
            {...describedBy('quiet-end', errors['quietHours.end'])}
            value={quiet.end}
            placeholder="07:00"
            onChange={(event) =>
              edit({ ...draft, quietHours: { ...quiet, end: event.target.value } })
            }
          />
        </Field>
        <div className="field span-2">
          <Check
            id="quiet-failures"
            label="Task failures break through quiet hours and pause"
            checked={quiet.failuresBreakThrough}
            onChange={(failuresBreakThrough) =>
              edit({ ...draft, quietHours: { ...quiet, failuresBreakThrough } })
            }
          />
        </div>
        <Field
          id="rate-limit"
          label="Rate limit (per feed per minute)"
          error={errors.rateLimitPerMinute}
          hint="Beyond this, one summary says how many more arrived."
        >
          <input
            {...describedBy('rate-limit', errors.rateLimitPerMinute, true)}
            type="number"
            min={1}
            max={600}
            value={numberValue(draft.rateLimitPerMinute)}
            onChange={(event) =>
              edit({ ...draft, rateLimitPerMinute: parseNumber(event.target.value) })
            }
          />
        </Field>
        <Field
          id="disconnect-alert"
          label="Disconnect alert (minutes)"
          error={errors.disconnectAlertMinutes}
          hint="Notify once when a feed stays down this long; 0 = never."
        >
          <input
            {...describedBy('disconnect-alert', errors.disconnectAlertMinutes, true)}
            type="number"
            min={0}
            max={1440}
            value={numberValue(draft.disconnectAlertMinutes)}
            onChange={(event) =>
              edit({ ...draft, disconnectAlertMinutes: parseNumber(event.target.value) })
            }
          />
        </Field>
      </div>
    </>
  )
}
