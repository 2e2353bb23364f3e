// Custom field mapping per feed: which JSON fields (dotted paths) give the title, body, link,
// task id, status and progress, with a live preview on the feed's last received event: the value
// each path finds, and the notification the app would raise for that event with this mapping.
import { useId } from 'react'
// The very decision main makes (a pure module), so the preview cannot drift from the app.
import { decide } from '../../../../shared/decide/decide.ts'
import type { LoggedEvent } from '../../../../shared/ipc.ts'
import { jsonPaths, presetById, valueAtPath } from '../../../../shared/presets.ts'
import type { FeedSetting, FieldMapping } from '../../../../shared/settings.ts'
import { clip } from '../../log/format.ts'
import './presets.css'

const FIELDS: ReadonlyArray<{ key: keyof FieldMapping; label: string; example: string }> = [
  { key: 'title', label: 'Title', example: 'title' },
  { key: 'body', label: 'Body', example: 'message' },
  { key: 'url', label: 'Link', example: 'html_url' },
  { key: 'taskId', label: 'Task id', example: 'job.id' },
  { key: 'status', label: 'Status', example: 'status' },
  { key: 'progress', label: 'Progress', example: 'percent' },
]

export function MappingEditor(props: {
  feed: FeedSetting
  /** The feed's last received event, for the preview; null before any arrived. */
  lastEvent: Pick<LoggedEvent, 'type' | 'data'> | null
  errors?: Partial<Record<keyof FieldMapping, string>>
  onChange(mapping: FieldMapping | undefined): void
}): React.JSX.Element {
  const { feed, lastEvent } = props
  const listId = useId()
  const mapping = feed.mapping ?? {}
  const data = parse(lastEvent?.data)
  const paths = data === undefined ? [] : jsonPaths(data)
  const defaults = presetById(feed.preset).mapping
  const set = (key: keyof FieldMapping, path: string): void => {
    const next: FieldMapping = { ...mapping, [key]: path }
    if (path.trim() === '') delete next[key]
    props.onChange(Object.keys(next).length === 0 ? undefined : next)
  }

  return (
    <fieldset className="mapping" aria-label="Field mapping">
      <legend>Field mapping</legend>
      <p className="hint">
        Dotted JSON paths (e.g. <code>build.status</code>, <code>items.0.name</code>) that override
        the fields Tidings finds by itself.
      </p>
      <datalist id={listId}>
        {paths.map((path) => (
          <option key={path} value={path} />
        ))}
      </datalist>
      {FIELDS.map(({ key, label, example }) => {
        const id = `mapping-${key}`
        const path = mapping[key] ?? ''
        const error = props.errors?.[key]
        return (
          <div className="mapping-row" key={key}>
            <label htmlFor={id}>{label}</label>
            <input
              id={id}
              value={path}
              list={listId}
              placeholder={defaults[key] ?? example}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={Boolean(error)}
              aria-describedby={`${id}-value`}
              onChange={(event) => set(key, event.target.value)}
            />
            <PathValue id={`${id}-value`} data={data} path={path} hasEvent={lastEvent !== null} />
            {error ? <p className="field-error">{error}</p> : null}
          </div>
        )
      })}
      {Object.keys(defaults).length > 0 ? (
        <button type="button" onClick={() => props.onChange({ ...defaults })}>
          Reset to the {presetById(feed.preset).label} mapping
        </button>
      ) : null}
      <Preview feed={feed} lastEvent={lastEvent} />
    </fieldset>
  )
}

function PathValue(props: {
  id: string
  data: unknown
  path: string
  hasEvent: boolean
}): React.JSX.Element {
  if (!props.hasEvent || props.path.trim() === '')
    return <span id={props.id} className="mapping-value missing" />
  const value = valueAtPath(props.data, props.path.trim())
  if (value === undefined)
    return (
      <span id={props.id} className="mapping-value missing">
        not in the last event
      </span>
    )
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return (
    <span id={props.id} className="mapping-value" title={clip(text, 500)}>
      {clip(text, 200)}
    </span>
  )
}

function Preview(props: {
  feed: FeedSetting
  lastEvent: Pick<LoggedEvent, 'type' | 'data'> | null
}): React.JSX.Element {
  const { feed, lastEvent } = props
  if (!lastEvent)
    return (
      <p className="mapping-preview muted" role="status" aria-label="Preview">
        The preview uses the feed’s last event: none has arrived yet.
      </p>
    )
  const notification = decide(lastEvent, {
    notify: feed.notify,
    ...(feed.mapping ? { mapping: feed.mapping } : {}),
    minPriority: feed.minPriority,
    ...(feed.preset ? { preset: feed.preset } : {}),
  })
  return (
    <div className="mapping-preview" role="status" aria-label="Preview">
      <div className="hint">
        Last event: <code>{clip(lastEvent.type, 80)}</code>
      </div>
      {notification ? (
        <>
          <div className="notification-title">{notification.title}</div>
          {notification.body ? <div>{notification.body}</div> : null}
          {notification.url ? <div className="hint">Opens {notification.url}</div> : null}
        </>
      ) : (
        <div className="muted">Would only be logged, without a notification.</div>
      )}
    </div>
  )
}

function parse(data: string | undefined): unknown {
  if (data === undefined) return undefined
  try {
    return JSON.parse(data) as unknown
  } catch {
    return undefined
  }
}
