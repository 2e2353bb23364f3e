import { memo } from 'react'

/** A feed's colour dot and name. */
export const FeedBadge = memo(function FeedBadge(props: {
  name: string
  color: string | undefined
}): React.JSX.Element {
  return (
    <span className="feed-badge" title={props.name}>
      <span
        className="feed-dot"
        style={{ background: props.color ?? 'var(--muted)' }}
        aria-hidden="true"
      />
      <span className="feed-name">{props.name}</span>
    </span>
  )
})
