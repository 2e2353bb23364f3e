// Token-by-token streams (src/shared/stream-chunk.ts): the chunks of one stream id are joined
// into one growing text per stream, so the Tasks view shows a sentence, not a card per token.
import type { LoggedEvent } from '../../../shared/ipc.ts'
import { streamChunk } from '../../../shared/stream-chunk.ts'

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
    const chunk = streamChunk(event.type, event.data)
    if (chunk === null) return false
    const { streamId, piece, done } = chunk
    const key = `${event.feedId}\u0000${streamId}`
    const existing = this.streams.get(key)
    if (piece === null && !existing) return false
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
