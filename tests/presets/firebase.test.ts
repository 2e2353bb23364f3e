// Firebase Realtime Database REST streaming through the whole app: put/patch with {path, data},
// keep-alive as liveness, the snapshot each connection starts with, and auth_revoked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { authHeader, buildPresetUrl, feedFromPreset } from '../../src/shared/presets.ts'
import { fake } from '../setup/electron.ts'
import { waitForNotification, type Harness } from '../app/support/app-harness.ts'
import { startFirebaseServer, type FirebaseServer } from '../support/preset-servers.ts'
import { appWithFeed, feedStatus, loggedTypes, shown, waitForLogged } from './support.ts'
import { eventually } from '../support/eventually.ts'

let app: Harness | null = null
let firebase: FirebaseServer | null = null

beforeEach(() => fake.reset())
afterEach(async () => {
  await app?.stop()
  await firebase?.close()
  app = null
  firebase = null
})

async function firebaseApp() {
  firebase = await startFirebaseServer({ token: 'ya29.token' })
  firebase.put('/messages/m1', { text: 'old', user: 'ada' })
  const url = buildPresetUrl('firebase', {
    database: firebase.url('x').replace('/x.json', ''),
    path: '/messages',
  })
  const auth = authHeader({ kind: 'bearer', token: 'ya29.token' })
  if (!url.ok || !auth.ok) throw new Error('bad fixture')
  app = await appWithFeed(
    feedFromPreset('firebase', { id: 'fb', name: 'Chat', url: url.value, auth: auth.value }),
  )
  const request = await firebase.http.request(0)
  await eventually(async () => expect((await feedStatus(app!, 'fb')).state.kind).toBe('open'))
  return { firebase, app, request }
}

describe('Firebase preset', () => {
  it('logs the starting snapshot quietly, then notifies puts and patches by path', async () => {
    const { firebase, app, request } = await firebaseApp()
    expect(request.url).toBe('/messages.json')
    expect(request.headers.accept).toBe('text/event-stream')
    await waitForLogged(app, 1)
    expect(app.pushedEvents()[0]?.notification).toBeNull()

    firebase.put('/m2', { text: 'hi there', user: 'grace' })
    const put = await waitForNotification()
    expect(put.title).toBe('Set /m2')
    expect(put.body).toBe('text: hi there, user: grace')

    firebase.patch('/m2', { text: 'edited' })
    const patch = await waitForNotification((n) => n.title.startsWith('Updated'))
    expect(patch.title).toBe('Updated /m2')
    expect(patch.body).toBe('text: edited')

    firebase.put('/m1', null)
    await waitForNotification((n) => n.title === 'Removed /m1')
  })

  it('counts keep-alive as liveness, not as a log entry', async () => {
    const { firebase, app } = await firebaseApp()
    await waitForLogged(app, 1)
    firebase.keepAlive()
    firebase.put('/m2', { text: 'after' })
    await waitForLogged(app, 2)
    expect(loggedTypes(app)).toEqual(['put', 'put'])
    expect((await feedStatus(app, 'fb')).lastAliveAt).not.toBeNull()
  })

  it('after a drop, the new connection’s snapshot brings what changed meanwhile', async () => {
    const { firebase, app } = await firebaseApp()
    await waitForLogged(app, 1)
    firebase.dropConnections()
    firebase.put('/messages/m3', { text: 'written during the drop' })
    const again = await firebase.http.request(1)
    expect(again.lastEventId).toBeNull()
    await waitForLogged(app, 2)
    const snapshot = JSON.parse(app.pushedEvents()[1]!.data) as { path: string; data: unknown }
    expect(snapshot.path).toBe('/')
    expect(snapshot.data).toMatchObject({ messages: { m3: { text: 'written during the drop' } } })
    // The snapshot is state, not news: nothing notified for it.
    expect(shown()).toEqual([])
  })

  it('tells the user when the credential is revoked', async () => {
    const { firebase } = await firebaseApp()
    firebase.revokeAuth()
    const revoked = await waitForNotification()
    expect(revoked.title).toBe('Firebase credential expired')
    expect(revoked.body).toBe('credential is no longer valid')
  })
})
