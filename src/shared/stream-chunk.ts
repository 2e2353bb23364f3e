// Token streams: an AI answer, a build log line by line… sent as one event per chunk (`delta`,
// `token` or `text`) for one stream id. The window shows such a stream as one growing text (one
// row in the Log, one card in Tasks), and its end (`done`) is the stream's, not a task's.
// Pure: main's task tracker and the renderer read events with the same rules.

/** Fields that name a stream outright. */
const STREAM_FIELDS = ['stream', 'streamId', 'stream_id']
/** Fields a chunk with a `delta` or `token` may be keyed by instead (OpenAI-style `id`…). */
const CHUNK_ID_FIELDS = ['id', 'taskId', 'task_id', 'jobId', 'job_id']
const DONE_TYPES = new Set(['done', 'end', 'complete', 'completed', 'finished', 'stop'])

export interface StreamChunk {
  streamId: string
  /** The text this event adds, or null (an end without text). */
  piece: string | null
  /** The event says the stream ended (`"done": true`, or a done/end… type). */
  done: boolean
  /** Named by a stream field (not a generic id): its end is surely the stream's. */
  named: boolean
}

/** Cheap check before any parsing: most events are not chunks. */
export function mayBeChunk(data: string): boolean {
  return (
    data.charCodeAt(0) === 0x7b /* { */ &&
    (data.includes('"delta"') ||
      data.includes('"token"') ||
      data.includes('"stream') ||
      data.includes('"choices"'))
  )
}

/** The stream chunk this event is, or null. */
export function streamChunk(type: string, data: string): StreamChunk | null {
  if (!mayBeChunk(data)) return null
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return null
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null
  const fields = value as Record<string, unknown>
  const named = idOf(fields, STREAM_FIELDS)
  const piece = pieceOf(fields, named !== undefined)
  const streamId = named ?? (piece !== null ? idOf(fields, CHUNK_ID_FIELDS) : undefined)
  if (streamId === undefined) return null
  const done = fields.done === true || DONE_TYPES.has(type)
  if (piece === null && !done) return null
  return { streamId, piece, done, named: named !== undefined }
}

function idOf(fields: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const id = fields[name]
    if ((typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id)))
      return String(id)
  }
  return undefined
}

/** `delta`/`token` as a string, OpenAI-style `delta.content` / `choices[0].delta.content`, or
 *  (for a named stream only: `text` is an ordinary field elsewhere) `text`. */
function pieceOf(fields: Record<string, unknown>, named: boolean): string | null {
  const { delta, token, text } = fields
  if (typeof delta === 'string') return delta
  if (typeof token === 'string') return token
  if (named && typeof text === 'string') return text
  const content = (holder: unknown): string | null => {
    if (!holder || typeof holder !== 'object') return null
    const inner = (holder as Record<string, unknown>).content
    return typeof inner === 'string' ? inner : null
  }
  const direct = content(delta)
  if (direct !== null) return direct
  const choices = fields.choices
  if (Array.isArray(choices) && choices[0] && typeof choices[0] === 'object')
    return content((choices[0] as Record<string, unknown>).delta)
  return null
}
