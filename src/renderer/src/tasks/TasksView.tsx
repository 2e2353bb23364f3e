import { memo, useMemo, useSyncExternalStore } from 'react'
import type { FeedStatus, TaskView } from '../../../shared/ipc.ts'
import { FeedBadge } from '../ui/FeedBadge.tsx'
import { useNow } from '../ui/use-now.ts'
import { formatDuration, shortDateTime } from '../log/format.ts'
import type { StreamTracker, StreamView } from './streams.ts'
import './tasks.css'

const STATUS_LABELS = { running: 'Running', completed: 'Completed', failed: 'Failed' } as const
const STATUS_TONES = { running: 'info', completed: 'ok', failed: 'bad' } as const

export function TasksView(props: {
  tasks: TaskView[]
  feeds: FeedStatus[]
  streams: StreamTracker
}): React.JSX.Element {
  const now = useNow(1000)
  useSyncExternalStore(props.streams.subscribe, props.streams.getVersion)
  const streams = props.streams.list()
  const feeds = useMemo(() => new Map(props.feeds.map((feed) => [feed.id, feed])), [props.feeds])
  const tasks = useMemo(
    () =>
      [...props.tasks].sort(
        (a, b) =>
          Number(b.status === 'running') - Number(a.status === 'running') || b.lastSeq - a.lastSeq,
      ),
    [props.tasks],
  )
  const running = tasks.filter((task) => task.status === 'running').length
  // A stream that is still growing is what the user is watching: it comes first.
  const streaming = streams.some((stream) => !stream.done)
  const streamSection = (
    <>
      <h2 className="section-title">Streams</h2>
      {streams.length === 0 ? (
        <p className="muted">
          Token-by-token streams (events with a <code>delta</code>, <code>token</code> or a stream
          id with <code>text</code>) show here as one growing text.
        </p>
      ) : (
        <ul className="card-list" aria-label="Streams">
          {streams.map((stream) => (
            <StreamItem key={stream.key} stream={stream} feed={feeds.get(stream.feedId)} />
          ))}
        </ul>
      )}
    </>
  )
  return (
    <section className="view page tasks-view" aria-label="Tasks" tabIndex={-1}>
      <header className="view-header">
        <h1>Tasks</h1>
        <p className="muted">
          {tasks.length === 0
            ? 'Tasks appear when events carry a task or job id.'
            : `${running} running · ${tasks.length - running} done`}
        </p>
      </header>
      {streaming ? streamSection : null}
      {tasks.length > 0 ? (
        <>
          {streaming ? <h2 className="section-title">Tasks</h2> : null}
          <ul className="card-list" aria-label="Tasks">
            {tasks.map((task) => (
              <TaskItem
                key={task.key}
                task={task}
                feed={feeds.get(task.feedId)}
                now={task.status === 'running' ? now : 0}
              />
            ))}
          </ul>
        </>
      ) : null}
      {streaming ? null : streamSection}
    </section>
  )
}

const TaskItem = memo(function TaskItem(props: {
  task: TaskView
  feed: FeedStatus | undefined
  now: number
}): React.JSX.Element {
  const { task, feed } = props
  const percent = task.progress === null ? null : Math.round(task.progress * 100)
  const duration =
    task.status === 'running'
      ? `running for ${formatDuration(Math.max(0, props.now - task.startedAt))}`
      : task.durationMs !== null
        ? `took ${formatDuration(task.durationMs)}`
        : `ended ${shortDateTime(task.endedAt ?? task.startedAt)}`
  return (
    <li
      className={`card task task-${task.status}`}
      aria-label={`${task.title}: ${STATUS_LABELS[task.status]}`}
    >
      <div className="task-line">
        <span className={`chip tone-${STATUS_TONES[task.status]}`}>
          {STATUS_LABELS[task.status]}
        </span>
        <span className="task-title">{task.title}</span>
        <span className="task-id" title="Task id">
          {task.taskId}
        </span>
      </div>
      <div className="task-line task-meta">
        <FeedBadge name={feed?.name ?? task.feedId} color={feed?.color} />
        <span>started {shortDateTime(task.startedAt)}</span>
        <span>{duration}</span>
      </div>
      {task.detail ? (
        <p className={`task-detail${task.status === 'failed' ? ' tone-bad' : ''}`}>{task.detail}</p>
      ) : null}
      {task.status === 'running' ? (
        <div
          className={`progress${percent === null ? ' indeterminate' : ''}`}
          role="progressbar"
          aria-label={`${task.title} progress`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
          aria-valuetext={percent === null ? 'In progress' : `${percent}%`}
        >
          <span
            className="progress-fill"
            style={{ width: percent === null ? undefined : `${percent}%` }}
          />
        </div>
      ) : null}
      {task.status === 'running' && percent !== null ? (
        <span className="progress-text">{percent}%</span>
      ) : null}
    </li>
  )
})

const StreamItem = memo(function StreamItem(props: {
  stream: StreamView
  feed: FeedStatus | undefined
}): React.JSX.Element {
  const { stream, feed } = props
  return (
    <li className="card stream" aria-label={`Stream ${stream.streamId}`}>
      <div className="task-line task-meta">
        <span className={`chip tone-${stream.done ? 'ok' : 'info'}`}>
          {stream.done ? 'Done' : 'Streaming'}
        </span>
        <span className="task-id">{stream.streamId}</span>
        <FeedBadge name={feed?.name ?? stream.feedId} color={feed?.color} />
        <span>
          {stream.tokens.toLocaleString()} {stream.tokens === 1 ? 'token' : 'tokens'}
        </span>
        <span>updated {shortDateTime(stream.updatedAt)}</span>
      </div>
      <p className="stream-text" tabIndex={0}>
        {stream.text}
        {stream.truncated ? ' …(truncated)' : ''}
      </p>
    </li>
  )
})
