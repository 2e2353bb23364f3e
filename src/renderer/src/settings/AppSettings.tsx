// Settings → App: history size, start at login, and (macOS) whether Tidings shows in the Dock.
import type { FieldErrors } from '../../../shared/settings.ts'
import { Check, Field, describedBy, numberValue, parseNumber } from '../ui/Field.tsx'
import type { Draft } from './draft.ts'

export function AppSettings(props: {
  draft: Draft
  errors: FieldErrors
  edit(next: Draft): void
}): React.JSX.Element {
  const { draft, errors, edit } = props
  return (
    <>
      <h2 className="section-title">App</h2>
      <div className="form-grid settings-group">
        <Field
          id="history-size"
          label="History size (events)"
          error={errors.historySize}
          hint="Events kept on disk across restarts."
        >
          <input
            {...describedBy('history-size', errors.historySize, true)}
            type="number"
            min={100}
            max={1000000}
            value={numberValue(draft.historySize)}
            onChange={(event) => edit({ ...draft, historySize: parseNumber(event.target.value) })}
          />
        </Field>
        <div className="field">
          <Check
            id="start-at-login"
            label="Start at login"
            checked={draft.startAtLogin}
            onChange={(startAtLogin) => edit({ ...draft, startAtLogin })}
          />
        </div>
        <div className="field">
          <Check
            id="show-in-dock"
            label="Show in Dock"
            hint="macOS: also in the Dock and the app switcher; off, Tidings lives in the menu bar only."
            checked={draft.showInDock}
            onChange={(showInDock) => edit({ ...draft, showInDock })}
          />
        </div>
      </div>
    </>
  )
}
