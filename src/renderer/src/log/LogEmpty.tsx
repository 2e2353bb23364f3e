// What the Log says when it has nothing to show, and on a first run with only the demo feed: it
// leads on to adding one's own feed.

export function LogEmpty(props: {
  filtering: boolean
  hasFeeds: boolean
  onAddFeed(): void
}): React.JSX.Element {
  if (props.filtering) return <p className="empty">No events match the filter.</p>
  if (props.hasFeeds)
    return <p className="empty">No events yet. They appear here as feeds send them.</p>
  return (
    <div className="empty">
      <p>No feeds yet: Tidings shows the events of the feeds you add.</p>
      <button type="button" className="primary" onClick={props.onAddFeed}>
        Add your first feed
      </button>
    </div>
  )
}

export function DemoNote(props: { onAddFeed(): void }): React.JSX.Element {
  return (
    <div className="log-notice tinted tone-news demo-note" role="note" aria-label="Demo feed">
      <p>
        <strong>These events come from the built-in demo feed,</strong> so there is something to
        look at. Add the address of your own event stream (Server-Sent Events) and pause or remove
        the demo in Settings.
      </p>
      <button type="button" onClick={props.onAddFeed}>
        Add your own feed
      </button>
    </div>
  )
}
