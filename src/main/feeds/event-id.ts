// Which event ids can be a resume position. An id goes back to the server as the Last-Event-ID
// header (UTF-8 bytes), so one with a control character (tab aside) or longer than
// MAX_RESUME_ID_BYTES would make every later request fail, locally ("invalid header") or at the
// server (HTTP 431), forever and, once persisted, across restarts. Such an id is still delivered
// with its event; it just never becomes the position. See docs/feeds.md.
import { createHash } from 'node:crypto'

/** The longest id (UTF-8 bytes) that becomes a resume position. */
export const MAX_RESUME_ID_BYTES = 1024

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const NOT_IN_A_HEADER = /[\u0000-\u0008\u000a-\u001f\u007f]/

export function isResumeId(id: string): boolean {
  // UTF-8 takes at least one byte per UTF-16 unit and at most three.
  if (id.length > MAX_RESUME_ID_BYTES) return false
  if (id.length * 3 > MAX_RESUME_ID_BYTES && Buffer.byteLength(id) > MAX_RESUME_ID_BYTES)
    return false
  return !NOT_IN_A_HEADER.test(id)
}

/** What the dedupe set remembers for an id: a long id as its hash, so memory stays bounded. */
export function seenKey(id: string): string {
  return id.length <= MAX_RESUME_ID_BYTES
    ? id
    : `\u0000sha256:${createHash('sha256').update(id).digest('base64')}`
}
