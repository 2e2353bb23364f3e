import { memo, useState } from 'react'
import type { FeedStatus, TidingsApi } from '../../../shared/ipc.ts'
import { useNow } from '../ui/use-now.ts'
import { ago, formatDuration, shortDateTime } from '../log/format.ts'
import { SnoozeMenu } from './SnoozeMenu.tsx'
import { stateLabel, stateProblem } from './feed-state.ts'
import './feeds.css'

export function FeedsView(props: {
  api: TidingsApi
  feeds: FeedStatus[]
  loaded: boolean
  onShowSettings(): void
}): React.JSX.Element {
  const now = useNow(1000)
  const open = props.feeds.filter((feed) => feed.state.kind === 'open').length
  return (
    <section className="view page feeds-view" aria-label="Feeds">
      <header className="view-header">
        <h1>Feeds</h1>
        <p className="muted">
          {props.feeds.length === 0
            ? props.loaded
              ? 'No feeds yet.'
              : 'Loading…'
            : `${open} of ${props.feeds.length} open`}
        </p>
      </header>
      {props.feeds.length === 0 && props.loaded ? (
        <p>
          <button type="button" className="primary" onClick={props.onShowSettings}>
            Add a feed in Settings
          </button>
        </p>
      ) : null}
      <ul className="card-list" aria-label="Feeds">
        {props.feeds.map((feed) => (
          <FeedCard key={feed.id} feed={feed} api={props.api} now={now} />
        ))}
      </ul>
    </section>
  )
}

const FeedCard = memo(function FeedCard(props: {
  feed: FeedStatus
  api: TidingsApi
  now: number
}): React.JSX.Element {
  const { feed, api, now } = props
  const [error, setError] = useState('')
  const { label, tone } = stateLabel(feed)
  const problem = stateProblem(feed.state)
  const snoozed = feed.snoozedUntil !== null && feed.snoozedUntil > now
  const act = (action: Promise<unknown>): void => {
    setError('')
    action.catch((reason: unknown) => setError(String(reason)))
  }
  const headingId = `feed-${feed.id}-name`
  return (
    <li className={`card feed-card tone-${tone}`} aria-labelledby={headingId}>
      <div className="feed-card-head">
        <span className="feed-dot large" style={{ background: feed.color }} aria-hidden="true" />
        <h2 id={headingId} className="feed-card-name">
          {feed.name}
        </h2>
        <span className={`chip tone-${tone}`}>{label}</span>
        <span className="muted">since {ago(feed.since, now)}</span>
        <span className="toolbar-spacer" />
        <button
          type="button"
          onClick={() => act(api.reconnectFeed(feed.id))}
          aria-label={`Reconnect now: ${feed.name}`}
        >
          Reconnect now
        </button>
        <button
          type="button"
          onClick={() => act(api.setFeedEnabled(feed.id, !feed.enabled))}
          aria-label={`${feed.enabled ? 'Pause' : 'Resume'} ${feed.name}`}
        >
          {feed.enabled ? 'Pause' : 'Resume'}
        </button>
        <SnoozeMenu
          feedName={feed.name}
          snoozedUntil={feed.snoozedUntil}
          now={now}
          onSnooze={(until) => act(api.snoozeFeed(feed.id, until))}
        />
      </div>
      <p className="feed-url" title={feed.url}>
        {feed.url}
      </p>
      <dl className="feed-stats">
        <div>
          <dt>Last event</dt>
          <dd>{feed.lastEventAt === null ? 'none yet' : ago(feed.lastEventAt, now)}</dd>
        </div>
        {feed.lastAliveAt != null && feed.lastAliveAt !== feed.lastEventAt ? (
          <div>
            <dt>Alive</dt>
            <dd>{ago(feed.lastAliveAt, now)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Events</dt>
          <dd>{feed.eventCount.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Last id</dt>
          <dd className="mono">{feed.lastEventId || '—'}</dd>
        </div>
        {feed.state.kind === 'reconnecting' ? (
          <div>
            <dt>Attempt</dt>
            <dd>
              {feed.state.attempt}
              {feed.nextRetryAt !== null ? (
                <>
                  {' · next try '}
                  <span className="countdown toned tone-busy">
                    {feed.nextRetryAt > now
                      ? `in ${formatDuration(Math.ceil((feed.nextRetryAt - now) / 1000) * 1000)}`
                      : 'now'}
                  </span>
                </>
              ) : null}
            </dd>
          </div>
        ) : null}
        {snoozed ? (
          <div>
            <dt>Snoozed</dt>
            <dd>until {shortDateTime(feed.snoozedUntil ?? now, now)}</dd>
          </div>
        ) : null}
      </dl>
      {problem ? (
        <p className={`feed-problem tinted tone-${tone}`}>
          <span className="problem-label">
            {feed.state.kind === 'failed' ? 'Error' : 'Reason'}:
          </span>{' '}
          {problem}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  )
})
