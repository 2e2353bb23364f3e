// Mercure through the whole app: a hub that checks the subscriber JWT and replays by Last-Event-ID.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { authHeader, buildPresetUrl, feedFromPreset } from '../../src/shared/presets.ts'
import { fake } from '../setup/electron.ts'
import { waitForNotification, type Harness } from '../app/support/app-harness.ts'
import { mercureJwt, startMercureHub, type MercureHub } from '../support/preset-servers.ts'
import { appWithFeed, feedStatus, shown, waitForLogged } from './support.ts'
import { eventually } from '../support/eventually.ts'

let app: Harness | null = null
let hub: MercureHub | null = null
const KEY = '!ChangeThisMercureHubJWTSecretKey!'
const BOOKS = 'https://example.com/books/1'

beforeEach(() => fake.reset())
afterEach(async () => {
  await app?.stop()
  await hub?.close()
  app = null
  hub = null
})

async function mercureApp(token: string) {
  hub = await startMercureHub({ jwtKey: KEY })
  const url = buildPresetUrl('mercure', {
    hub: hub.url([]).replace('/.well-known/mercure', ''),
    topics: `${BOOKS}, https://example.com/reviews/{id}`,
  })
  const auth = authHeader({ kind: 'bearer', token })
  if (!url.ok || !auth.ok) throw new Error('bad fixture')
  app = await appWithFeed(
    feedFromPreset('mercure', { id: 'hub', name: 'Books', url: url.value, auth: auth.value }),
  )
  return { hub, app }
}

describe('Mercure preset', () => {
  it('subscribes with the topics and a Bearer JWT, and notifies private updates', async () => {
    const { hub, app } = await mercureApp(mercureJwt(KEY, [BOOKS]))
    const request = await hub.http.request(0)
    const url = new URL(request.url, 'http://x')
    expect(url.pathname).toBe('/.well-known/mercure')
    expect(url.searchParams.getAll('topic')).toEqual([BOOKS, 'https://example.com/reviews/{id}'])
    await eventually(async () => expect((await feedStatus(app, 'hub')).state.kind).toBe('open'))

    hub.publish({ topic: BOOKS, private: true, data: '{"title":"Dune","status":"in stock"}' })
    const update = await waitForNotification()
    // Mercure's preset notifies every update ('all'): the title comes from the payload.
    expect(update.title).toBe('Dune')
  })

  it('shows a bad JWT as the hub’s 401, without retrying forever', async () => {
    const { app } = await mercureApp(mercureJwt('another key', [BOOKS]))
    await eventually(async () =>
      expect((await feedStatus(app, 'hub')).state).toMatchObject({ kind: 'failed', status: 401 }),
    )
  })

  it('resumes after a drop with Last-Event-ID, getting exactly the updates it missed', async () => {
    const { hub, app } = await mercureApp(mercureJwt(KEY, ['*']))
    await hub.http.request(0)
    await eventually(async () => expect((await feedStatus(app, 'hub')).state.kind).toBe('open'))
    const first = hub.publish({ topic: BOOKS, data: '{"title":"First"}' })
    await waitForLogged(app, 1)
    hub.heartbeat()

    hub.dropConnections()
    hub.publish({ topic: BOOKS, data: '{"title":"Missed\\nacross lines"}' })
    hub.publish({ topic: 'https://example.com/other', data: '{"title":"Not subscribed"}' })
    const again = await hub.http.request(1)
    expect(again.lastEventId).toBe(first)
    await waitForLogged(app, 2)
    expect(app.pushedEvents().map((e) => JSON.parse(e.data).title)).toEqual([
      'First',
      'Missed\nacross lines',
    ])
    await eventually(() => expect(shown().map((n) => n.title)).toContain('Missed across lines'))
  })
})
