// The Settings view's list of configured feeds: pick one to edit, reorder, and the ways to add
// feeds (blank, from a preset, a job to watch, an import) or export them.
import { useRef } from 'react'
import type { FeedSetting, FieldErrors } from '../../../shared/settings.ts'
import { feedErrors } from './draft.ts'

export function FeedList(props: {
  feeds: FeedSetting[]
  errors: FieldErrors
  /** The selected feed's index. */
  index: number
  /** Colours main assigned to feeds without one of their own. */
  colors: ReadonlyMap<string, string>
  /** Saved feeds there are to export. */
  canExport: boolean
  onSelect(index: number): void
  onMove(from: number, to: number): void
  onAdd(): void
  onAddPreset(): void
  onWatchJob(): void
  onImport(file: File): void
  onExport(): void
}): React.JSX.Element {
  const { feeds, errors, index, colors } = props
  const fileRef = useRef<HTMLInputElement>(null)
  return (
    <div className="settings-feeds-list">
      <h2 className="section-title">Feeds</h2>
      {feeds.length === 0 ? <p className="muted">No feeds. Add one to start.</p> : null}
      <ol className="feed-picker" aria-label="Configured feeds">
        {feeds.map((item, at) => {
          const hasError = Object.keys(feedErrors(errors, at)).length > 0
          return (
            <li key={item.id} className={at === index ? 'selected' : ''}>
              <button
                type="button"
                className="feed-pick"
                aria-current={at === index ? 'true' : undefined}
                onClick={() => props.onSelect(at)}
              >
                <span
                  className="feed-dot"
                  style={{ background: item.color ?? colors.get(item.id) ?? 'var(--muted)' }}
                  aria-hidden="true"
                />
                <span className="feed-pick-text">
                  <span className="feed-pick-name">
                    {item.name.trim() || '(unnamed)'}
                    {hasError ? <span className="error-mark"> — needs fixing</span> : null}
                    {!item.enabled ? <span className="muted"> · paused</span> : null}
                  </span>
                  <span className="feed-pick-url">{item.url || 'no URL yet'}</span>
                </span>
              </button>
              <span className="reorder">
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move ${item.name || 'feed'} up`}
                  disabled={at === 0}
                  onClick={() => props.onMove(at, at - 1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move ${item.name || 'feed'} down`}
                  disabled={at === feeds.length - 1}
                  onClick={() => props.onMove(at, at + 1)}
                >
                  ↓
                </button>
              </span>
            </li>
          )
        })}
      </ol>
      <div className="button-row">
        <button type="button" className="primary" onClick={props.onAdd}>
          Add feed
        </button>
        <button type="button" onClick={props.onAddPreset}>
          Add from a preset…
        </button>
        <button type="button" onClick={props.onWatchJob}>
          Watch a job…
        </button>
        <button type="button" onClick={() => fileRef.current?.click()}>
          Import…
        </button>
        <button type="button" disabled={!props.canExport} onClick={props.onExport}>
          Export
        </button>
        <input
          ref={fileRef}
          type="file"
          accept="application/json,.json"
          aria-label="Import feeds from a JSON file"
          className="visually-hidden"
          tabIndex={-1}
          onChange={(event) => {
            const file = event.target.files?.[0]
            event.target.value = ''
            if (file) props.onImport(file)
          }}
        />
      </div>
    </div>
  )
}
