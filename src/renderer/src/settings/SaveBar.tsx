// The Settings view's footer: what is wrong (one click away), the save status, Revert and Save.
import type { FieldErrors } from '../../../shared/settings.ts'
import { describePath, type Draft } from './draft.ts'
import type { SettingsStatus } from './use-settings-draft.ts'

export function SaveBar(props: {
  draft: Draft
  errors: FieldErrors
  status: SettingsStatus | null
  dirty: boolean
  saving: boolean
  onRevert(): void
  onSave(): void
}): React.JSX.Element {
  const { draft, status, dirty, saving } = props
  const errorList = Object.entries(props.errors)
  return (
    <footer className="settings-footer">
      {errorList.length > 0 ? (
        <details className="error-summary">
          <summary>
            {errorList.length} {errorList.length === 1 ? 'problem' : 'problems'}
          </summary>
          <ul>
            {errorList.map(([path, message]) => (
              <li key={path}>
                {describePath(path, (at) => draft.feeds[at]?.name)}: {message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <p className={`save-status toned${status ? ` tone-${status.tone}` : ''}`} role="status">
        {status?.text ?? (dirty ? 'Unsaved changes.' : '')}
      </p>
      <span className="toolbar-spacer" />
      <button type="button" onClick={props.onRevert} disabled={!dirty || saving}>
        Revert
      </button>
      <button type="button" className="primary" onClick={props.onSave} disabled={!dirty || saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>
    </footer>
  )
}
