// A fetch that answers with a real Response whose body arrives in exactly the given chunks,
// for parsing tests that split a stream at every byte (TCP would coalesce such writes).
import type { FetchLike } from '../../src/main/feeds/index.ts'

export interface ChunkedAnswer {
  chunks: Uint8Array[]
  status?: number
  contentType?: string
}

export function chunkedFetch(
  answer: (attempt: number, init: RequestInit) => ChunkedAnswer,
): FetchLike & { calls: RequestInit[] } {
  const calls: RequestInit[] = []
  const fetch = async (_url: string | URL, init: RequestInit): Promise<Response> => {
    calls.push(init)
    const {
      chunks,
      status = 200,
      contentType = 'text/event-stream',
    } = answer(calls.length - 1, init)
    let index = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[index++]
        if (chunk) controller.enqueue(chunk)
        else controller.close()
      },
    })
    return new Response(status === 204 ? null : body, {
      status,
      headers: { 'Content-Type': contentType },
    })
  }
  return Object.assign(fetch, { calls })
}

/** Splits bytes at the given offsets. */
export function splitAt(bytes: Uint8Array, ...offsets: number[]): Uint8Array[] {
  const points = [0, ...offsets, bytes.length]
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end))
}
