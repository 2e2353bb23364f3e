import { memo, useMemo, useState } from 'react'
import { describeFeedState } from '../../../shared/feed-problem.ts'
import type { FeedStatus, TidingsApi } from '../../../shared/ipc.ts'
import { useNow } from '../ui/use-now.ts'
import { ago, formatDuration, shortDateTime } from '../log/format.ts'
import { SnoozeMenu } from './SnoozeMenu.tsx'
import { needsAttention, stateLabel } from './feed-state.ts'
import './feeds.css'

export function FeedsView(props: {
  api: TidingsApi
  feeds: FeedStatus[]
  loaded: boolean
  onAddFeed(): void
  /** Opens the feed in Settings; `test`: and runs Test connection there (a certificate to check). */
  onEditFeed(feedId: string, test: boolean): void
}): React.JSX.Element {
  const now = useNow(1000)
  const open = props.feeds.filter((feed) => feed.state.kind === 'open').length
  // Feeds that need the user come first; otherwise the order of Settings.
  const feeds = useMemo(
    () =>
      props.feeds
        .map((feed, at) => ({ feed, at, rank: needsAttention(feed) ? 0 : 1 }))
        .sort((a, b) => a.rank - b.rank || a.at - b.at)
        .map(({ feed }) => feed),
    [props.feeds],
  )
  return (
    <section className="view page feeds-view" aria-label="Feeds" tabIndex={-1}>
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
          <button type="button" className="primary" onClick={props.onAddFeed}>
            Add your first feed
          </button>
        </p>
      ) : null}
      <ul className="card-list" aria-label="Feeds">
        {feeds.map((feed) => (
          <FeedCard
            key={feed.id}
            feed={feed}
            api={props.api}
            now={now}
            onEdit={(test) => props.onEditFeed(feed.id, test)}
          />
        ))}
      </ul>
    </section>
  )
}

const FeedCard = memo(function FeedCard(props: {
  feed: FeedStatus
  api: TidingsApi
  now: number
  onEdit(test: boolean): void
}): React.JSX.Element {
  const { feed, api, now } = props
  const [error, setError] = useState('')
  const { label, tone } = stateLabel(feed)
  const nextTry =
    feed.state.kind === 'reconnecting' && feed.nextRetryAt !== null
      ? feed.nextRetryAt > now
        ? `in ${formatDuration(Math.ceil((feed.nextRetryAt - now) / 1000) * 1000)}`
        : 'now'
      : undefined
  const problem = describeFeedState(feed.state, {
    url: feed.url,
    ...(nextTry ? { nextTryIn: nextTry } : {}),
  })
  const snoozed = feed.snoozedUntil !== null && feed.snoozedUntil > now
  const act = (action: Promise<unknown>): void => {
    setError('')
    action.catch((reason: unknown) => setError(String(reason)))
  }
  const headingId = `feed-${feed.id}-name`
  return (
    <li className="card feed-card" aria-labelledby={headingId}>
      <div className="feed-card-head">
        <h2 id={headingId} className="feed-card-name">
          <span className="feed-tag" style={{ background: feed.color }} aria-hidden="true" />
          {feed.name}
        </h2>
        <span className={`chip tone-${tone}`}>{label}</span>
        <span className="muted">since {ago(feed.since, now)}</span>
        <span className="toolbar-spacer" />
        {problem?.fix ? (
          <button type="button" onClick={() => props.onEdit(problem.fix === 'trust')}>
            {problem.fix === 'trust' ? 'Check and trust the certificate…' : 'Edit feed'}
          </button>
        ) : null}
        <button
          type="button"
          onClick={() => act(api.reconnectFeed(feed.id))}
          aria-label={`Reconnect now: ${feed.name}`}
          title={feed.enabled ? undefined : 'The feed is paused: this resumes it.'}
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
              {nextTry ? (
                <>
                  {' · next try '}
                  <span className="countdown toned tone-busy">{nextTry}</span>
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
        <div className={`feed-problem tinted tone-${tone === 'ok' ? 'off' : tone}`}>
          <p className="problem-summary">{problem.summary}</p>
          {problem.next ? <p className="problem-next">{problem.next}</p> : null}
          {problem.detail !== problem.summary ? (
            <details>
              <summary>Details</summary>
              <p className="problem-detail">{problem.detail}</p>
            </details>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  )
})
