// The Settings view's footer: what is wrong (one click away), the save status, Revert and Save.
import type { FieldErrors } from '../../../shared/settings.ts'
import { describePath, type Draft } from './draft.ts'
import { STATUS_ID, type SettingsStatus } from './use-settings-draft.ts'

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
  const count = errorList.length
  const text = status?.invalid
    ? count > 0
      ? `Nothing was saved: ${count} ${count === 1 ? 'field needs' : 'fields need'} fixing.`
      : 'Everything is fixed: Save to keep the changes.'
    : (status?.text ?? (dirty ? 'Unsaved changes.' : ''))
  const tone = status?.invalid && count === 0 ? 'info' : status?.tone
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
      <p
        id={STATUS_ID}
        className={`save-status toned${tone ? ` tone-${tone}` : ''}`}
        role="status"
        tabIndex={-1}
      >
        {text}
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
