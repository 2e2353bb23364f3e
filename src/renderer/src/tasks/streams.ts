// Token-by-token streams: events whose JSON carries a `delta` or `token` for one stream id are
// joined into one growing text per stream, so the Tasks view shows a sentence, not a row per token.
import type { LoggedEvent } from '../../../shared/ipc.ts'

export interface StreamView {
  key: string
  feedId: string
  streamId: string
  text: string
  tokens: number
  startedAt: number
  updatedAt: number
  done: boolean
  /** True once the text hit the size cap and stopped growing. */
  truncated: boolean
}

const ID_FIELDS = ['stream', 'streamId', 'stream_id', 'id', 'taskId', 'task_id', 'jobId', 'job_id']
const DONE_TYPES = new Set(['done', 'end', 'complete', 'completed', 'finished', 'stop'])

type Listener = () => void

export class StreamTracker {
  private readonly maxStreams: number
  private readonly maxChars: number
  private readonly streams = new Map<string, StreamView>()
  private version = 0
  private listeners = new Set<Listener>()
  private cached: StreamView[] | null = null

  constructor(options: { maxStreams?: number; maxChars?: number } = {}) {
    this.maxStreams = options.maxStreams ?? 200
    this.maxChars = options.maxChars ?? 100_000
  }

  observe(events: readonly LoggedEvent[]): void {
    let changed = false
    for (const event of events) changed = this.observeOne(event) || changed
    if (changed) {
      this.cached = null
      this.version++
      for (const listener of this.listeners) listener()
    }
  }

  /** Newest activity first. */
  list(): StreamView[] {
    this.cached ??= [...this.streams.values()].sort((a, b) => b.updatedAt - a.updatedAt)
    return this.cached
  }

  getVersion = (): number => this.version

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private observeOne(event: LoggedEvent): boolean {
    const data = event.data
    // Cheap pre-check so ordinary events are never parsed here.
    if (!data.includes('"delta"') && !data.includes('"token"') && !data.includes('"done"'))
      return false
    let value: unknown
    try {
      value = JSON.parse(data)
    } catch {
      return false
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) return false
    const fields = value as Record<string, unknown>
    const streamId = ID_FIELDS.map((name) => fields[name]).find(
      (id): id is string | number =>
        (typeof id === 'string' && id !== '') || typeof id === 'number',
    )
    if (streamId === undefined) return false
    const piece = tokenOf(fields)
    const key = `${event.feedId}\u0000${streamId}`
    const existing = this.streams.get(key)
    const done = fields.done === true || DONE_TYPES.has(event.type)
    if (piece === null && !(done && existing)) return false
    const stream: StreamView = existing
      ? { ...existing }
      : {
          key,
          feedId: event.feedId,
          streamId: String(streamId),
          text: '',
          tokens: 0,
          startedAt: event.receivedAt,
          updatedAt: event.receivedAt,
          done: false,
          truncated: false,
        }
    if (piece !== null) {
      stream.tokens++
      if (stream.text.length + piece.length <= this.maxChars) stream.text += piece
      else stream.truncated = true
    }
    stream.updatedAt = event.receivedAt
    stream.done = stream.done || done
    this.streams.delete(key)
    this.streams.set(key, stream)
    // Map order is least recently updated first: evict from the front.
    while (this.streams.size > this.maxStreams) {
      const oldest = this.streams.keys().next().value
      if (oldest === undefined) break
      this.streams.delete(oldest)
    }
    return true
  }
}

/** `delta`/`token` as a string, or OpenAI-style `delta.content` / `choices[0].delta.content`. */
function tokenOf(fields: Record<string, unknown>): string | null {
  const { delta, token } = fields
  if (typeof delta === 'string') return delta
  if (typeof token === 'string') return token
  if (delta && typeof delta === 'object') {
    const content = (delta as Record<string, unknown>).content
    if (typeof content === 'string') return content
  }
  const choices = fields.choices
  if (Array.isArray(choices) && choices[0] && typeof choices[0] === 'object') {
    const inner = (choices[0] as Record<string, unknown>).delta
    if (inner && typeof inner === 'object') {
      const content = (inner as Record<string, unknown>).content
      if (typeof content === 'string') return content
    }
  }
  return null
}
