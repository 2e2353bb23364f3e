// Tasks seen in events (builds, jobs, exports...), keyed by feed + task id, so the app can show
// running tasks, a taskbar progress bar, and say how long a finished task took.
import type { FieldMapping } from '../../shared/settings.ts'
import type { LoggedEvent, TaskStatus, TaskView } from '../../shared/ipc.ts'
import { EventReading, taskOutcome, typeTokens } from '../../shared/decide/decide.ts'
import { MAX_BODY, MAX_TITLE, humanizeType, plainText } from '../../shared/decide/text.ts'
import { streamChunk } from '../../shared/stream-chunk.ts'

export interface TaskTrackerOptions {
  /** Most tasks remembered; the least recently updated are forgotten first. Default 500. */
  maxTasks?: number
  /** The feed's field mapping, if it has one. */
  mapping?: (feedId: string) => FieldMapping | undefined
  now?: () => number
  /** A running task without news for this long no longer counts as running (its end was
   *  probably missed). Default 6 hours. */
  staleAfterMs?: number
}

/** Event types that say a task is alive without saying how it ended. */
const RUNNING_TYPES = new Set([
  'start',
  'started',
  'running',
  'progress',
  'queued',
  'pending',
  'begin',
  'began',
])
const ANONYMOUS_TASK = 'task'

interface Task extends TaskView {
  /** The task's start was seen, so its duration is known once it ends. */
  startSeen: boolean
  updatedAt: number
}

export class TaskTracker {
  readonly #tasks = new Map<string, Task>()
  readonly #maxTasks: number
  readonly #mapping: (feedId: string) => FieldMapping | undefined
  readonly #now: () => number
  readonly #staleAfterMs: number

  constructor(options: TaskTrackerOptions = {}) {
    this.#maxTasks = Math.max(1, options.maxTasks ?? 500)
    this.#mapping = options.mapping ?? (() => undefined)
    this.#now = options.now ?? Date.now
    this.#staleAfterMs = options.staleAfterMs ?? 6 * 60 * 60 * 1000
  }

  /** Updates the task this event belongs to (if any) and returns it. Observing the same event
   *  twice (same or older seq) changes nothing. `reading` is the event's data as the caller
   *  reads it already (decide), so it is parsed once between them, or not at all. */
  observe(event: LoggedEvent, reading?: EventReading): TaskView | null {
    const tokens = typeTokens(event.type)
    const last = tokens.at(-1) ?? ''
    const mapping = this.#mapping(event.feedId)
    const data = reading ?? new EventReading(event.data)
    // Without a status, a progress or a telling type, an event is no task: seen without parsing.
    if (!RUNNING_TYPES.has(last) && taskOutcome(event.type, undefined) === null)
      if (!data.mayMatter(mapping)) return null
    const read = data.read(mapping).fields
    const outcome = taskOutcome(event.type, read.status)
    const isTask =
      outcome !== null ||
      read.status !== undefined ||
      read.progress !== undefined ||
      RUNNING_TYPES.has(last)
    if (!isTask) return null
    // A token stream's chunks and its end (`done`) are the stream's, not a task's.
    if (isStreamPart(event)) return null

    // Without an id, the task is named by its title, else by the type without its last part
    // ("build.started" and "build.done" are the same task), else it is the feed's one task.
    const typePrefix = tokens.slice(0, -1).join('.')
    const taskId = read.taskId ?? read.title ?? (typePrefix || ANONYMOUS_TASK)
    const key = `${event.feedId}\u0000${taskId}`
    const status: TaskStatus = outcome ?? 'running'
    const at = Number.isFinite(event.receivedAt) ? event.receivedAt : this.#now()
    let task = this.#tasks.get(key)
    if (task && event.seq <= task.lastSeq) return view(task)

    if (!task || (task.status !== 'running' && status === 'running')) {
      // A new task, or a new run of one that had ended (a retry).
      task = {
        key,
        feedId: event.feedId,
        taskId,
        title: read.title ?? task?.title ?? defaultTitle(read.taskId, typePrefix),
        status: 'running',
        progress: null,
        startedAt: at,
        endedAt: null,
        durationMs: null,
        detail: null,
        lastSeq: event.seq,
        startSeen: status === 'running',
        updatedAt: at,
      }
    }
    if (read.title !== undefined) task.title = read.title
    if (read.body !== undefined) task.detail = plainText(read.body, MAX_BODY) || null
    if (read.progress !== undefined) task.progress = read.progress
    if (status !== 'running' && task.status === 'running') {
      task.status = status
      task.endedAt = at
      task.durationMs = task.startSeen ? Math.max(0, at - task.startedAt) : null
      if (status === 'completed') task.progress = 1
    }
    task.lastSeq = event.seq
    task.updatedAt = at
    this.#remember(task)
    return view(task)
  }

  get(feedId: string, taskId: string): TaskView | null {
    const task = this.#tasks.get(`${feedId}\u0000${taskId}`)
    return task ? view(task) : null
  }

  /** Most recently updated first. */
  list(): TaskView[] {
    return [...this.#tasks.values()].reverse().map(view)
  }

  /** Mean progress (0..1) of running tasks that report one; null when none does. */
  runningProgress(): number | null {
    const known = this.#running().filter((task) => task.progress !== null)
    if (known.length === 0) return null
    return known.reduce((sum, task) => sum + (task.progress ?? 0), 0) / known.length
  }

  runningCount(): number {
    return this.#running().length
  }

  /** Drops the tasks of a feed that was removed. */
  forgetFeed(feedId: string): void {
    for (const [key, task] of this.#tasks) if (task.feedId === feedId) this.#tasks.delete(key)
  }

  dispose(): void {
    this.#tasks.clear()
  }

  #running(): Task[] {
    const freshAfter = this.#now() - this.#staleAfterMs
    return [...this.#tasks.values()].filter(
      (task) => task.status === 'running' && task.updatedAt >= freshAfter,
    )
  }

  #remember(task: Task): void {
    // Re-inserting keeps the Map in update order, so the first entry is the stalest.
    this.#tasks.delete(task.key)
    this.#tasks.set(task.key, task)
    while (this.#tasks.size > this.#maxTasks) {
      const oldest = this.#tasks.keys().next().value as string
      this.#tasks.delete(oldest)
    }
  }
}

function isStreamPart(event: LoggedEvent): boolean {
  const chunk = streamChunk(event.type, event.data)
  return chunk !== null && (chunk.piece !== null || chunk.named)
}

function defaultTitle(taskId: string | undefined, typePrefix: string): string {
  if (taskId !== undefined) return plainText(taskId, MAX_TITLE)
  return humanizeType(typePrefix) || 'Task'
}

function view(task: Task): TaskView {
  return {
    key: task.key,
    feedId: task.feedId,
    taskId: task.taskId,
    title: task.title,
    status: task.status,
    progress: task.progress,
    startedAt: task.startedAt,
    endedAt: task.endedAt,
    durationMs: task.durationMs,
    detail: task.detail,
    lastSeq: task.lastSeq,
  }
}
