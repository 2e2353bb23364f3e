// Firebase Realtime Database REST streaming
// (https://firebase.google.com/docs/reference/rest/database#section-streaming):
//   event: put        data: {"path": "/", "data": {…}}    (replace what is at path)
//   event: patch      data: {"path": "/c", "data": {"foo": true}}   (update those children)
//   event: keep-alive data: null
//   event: cancel     data: null            (the rules no longer allow reading the location)
//   event: auth_revoked data: "credential is no longer valid"
// Each connection starts with a `put` at "/" holding the whole current data: the state to show,
// not a change to notify, and how a dropped connection catches up (nothing needs replaying).
import type { NotificationDecision } from '../../notification.ts'
import { summarize, textAt, type JsonObject } from './json.ts'

export function firebaseEvent(
  type: string,
  object: JsonObject | null,
  text: string | undefined,
): NotificationDecision | null | undefined {
  switch (type) {
    case 'put':
    case 'patch': {
      if (object === null || !Object.hasOwn(object, 'data')) return undefined
      const path = textAt(object, 'path') ?? '/'
      if (type === 'put' && path === '/') return null // the snapshot of a (re)connect
      const data = object['data']
      const title =
        type === 'patch' ? `Updated ${path}` : data === null ? `Removed ${path}` : `Set ${path}`
      return { kind: 'message', title, body: data === null ? '' : summarize(data) }
    }
    case 'cancel':
      return {
        kind: 'message',
        title: 'Firebase stopped the stream',
        body: text ?? 'Reading this location is no longer allowed.',
      }
    case 'auth_revoked':
      return {
        kind: 'message',
        title: 'Firebase credential expired',
        body: text ?? 'Sign in again to go on streaming.',
      }
    default:
      return undefined
  }
}
