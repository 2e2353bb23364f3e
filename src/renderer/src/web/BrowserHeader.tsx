// The tray, for a window in a browser (tidings ui has no tray icon): how the feeds are, reconnect,
// snooze, pause, Settings, and whether this browser shows the notifications; plus the link to
// tidings ui itself when it drops.
import { useEffect, useState } from 'react'
import type { FeedStatus, TaskView, TidingsApi } from '../../../shared/ipc.ts'
import {
  isSnoozed,
  SNOOZE_CHOICES,
  snoozeUntil,
  type SnoozeChoice,
} from '../../../shared/snooze.ts'
import { PauseControl } from '../PauseControl.tsx'
import type { BrowserNotifications, ConnectionState, WebControls } from './http-api.ts'
import './browser-header.css'

export function BrowserHeader(props: {
  api: TidingsApi
  web: WebControls
  feeds: FeedStatus[]
  tasks: TaskView[]
  pause: { until: number | null } | null
  onShowSettings(): void
}): React.JSX.Element {
  const { api, web, feeds } = props
  const [connection, setConnection] = useState<ConnectionState>(web.connection())
  const [notifications, setNotifications] = useState<BrowserNotifications>(web.notifications())
  const [error, setError] = useState('')
  useEffect(() => web.onConnection(setConnection), [web])

  const act = (promise: Promise<unknown>): void => {
    setError('')
    promise.catch((reason: unknown) => setError(String(reason)))
  }
  const live = feeds.filter((feed) => feed.enabled)
  const open = live.filter((feed) => feed.state.kind === 'open').length
  const running = props.tasks.filter((task) => task.status === 'running').length
  const now = Date.now()

  return (
    <header className="browser-header" aria-label="Tidings controls">
      <p className="browser-summary" aria-live="polite">
        {live.length === 0
          ? 'No feeds'
          : `${open} of ${live.length} feed${live.length === 1 ? '' : 's'} connected`}
        {running > 0 ? ` · ${running} task${running === 1 ? '' : 's'} running` : ''}
      </p>
      <select
        aria-label="Reconnect"
        value=""
        disabled={live.length === 0}
        onChange={(event) => {
          const choice = event.target.value
          const targets = choice === '*' ? live : live.filter((feed) => feed.id === choice)
          act(Promise.all(targets.map((feed) => api.reconnectFeed(feed.id))))
        }}
      >
        <option value="">Reconnect…</option>
        <option value="*">All feeds now</option>
        {live.map((feed) => (
          <option key={feed.id} value={feed.id}>
            {feed.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Snooze a feed"
        value=""
        disabled={feeds.length === 0}
        onChange={(event) => {
          const [feedId, choice] = event.target.value.split('\u0000') as [string, string]
          const until = choice === 'off' ? null : snoozeUntil(choice as SnoozeChoice, Date.now())
          act(api.snoozeFeed(feedId, until))
        }}
      >
        <option value="">Snooze…</option>
        {feeds.map((feed) =>
          isSnoozed(feed.snoozedUntil, now) ? (
            <option key={feed.id} value={`${feed.id}\u0000off`}>
              Unsnooze {feed.name}
            </option>
          ) : (
            <optgroup key={feed.id} label={feed.name}>
              {SNOOZE_CHOICES.map(({ choice, label }) => (
                <option key={choice} value={`${feed.id}\u0000${choice}`}>
                  {feed.name}: {label.toLowerCase()}
                </option>
              ))}
            </optgroup>
          ),
        )}
      </select>
      <PauseControl api={api} pause={props.pause} />
      <button type="button" onClick={props.onShowSettings}>
        Settings
      </button>
      <NotificationsToggle
        state={notifications}
        onEnable={() => act(web.enableNotifications().then(setNotifications))}
        onDisable={() => {
          web.disableNotifications()
          setNotifications(web.notifications())
        }}
      />
      {connection.kind === 'lost' || connection.kind === 'ended' ? (
        <p className="browser-connection toned tone-bad" role="alert">
          {connection.kind === 'lost'
            ? 'Lost the connection to tidings ui; trying again…'
            : 'tidings ui stopped or was restarted: open the address it printed.'}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </header>
  )
}

function NotificationsToggle(props: {
  state: BrowserNotifications
  onEnable(): void
  onDisable(): void
}): React.JSX.Element | null {
  if (props.state === 'unsupported') return null
  const blocked = props.state === 'denied'
  return (
    <label
      className="browser-notify"
      title={
        blocked
          ? "This browser blocks notifications from this page: allow them in the browser's site settings."
          : 'Off: notifications go to the desktop of the machine tidings ui runs on.'
      }
    >
      <input
        type="checkbox"
        checked={props.state === 'on'}
        disabled={blocked}
        onChange={(event) => (event.target.checked ? props.onEnable() : props.onDisable())}
      />
      {blocked ? 'Browser notifications blocked' : 'Notify in this browser'}
    </label>
  )
}
