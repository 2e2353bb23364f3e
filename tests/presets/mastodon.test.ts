// Mastodon streaming through the whole app: update and notification events, HTML content shown
// as text, a Bearer token (or access_token) and no replay after a drop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { authHeader, buildPresetUrl, feedFromPreset } from '../../src/shared/presets.ts'
import { fake } from '../setup/electron.ts'
import { waitForNotification, type Harness } from '../app/support/app-harness.ts'
import {
  mastodonStatus,
  startMastodonServer,
  type MastodonServer,
} from '../support/preset-servers.ts'
import { appWithFeed, feedStatus, loggedTypes, waitForLogged } from './support.ts'
import { eventually } from '../support/eventually.ts'

let app: Harness | null = null
let mastodon: MastodonServer | null = null

beforeEach(() => fake.reset())
afterEach(async () => {
  await app?.stop()
  await mastodon?.close()
  app = null
  mastodon = null
})

async function mastodonApp(token: string) {
  mastodon = await startMastodonServer({ token: 'good-token' })
  const url = buildPresetUrl('mastodon', {
    instance: mastodon.url().replace('/api/v1/streaming/user', ''),
    stream: 'user',
  })
  const auth = authHeader({ kind: 'bearer', token })
  if (!url.ok || !auth.ok) throw new Error('bad fixture')
  app = await appWithFeed(
    feedFromPreset('mastodon', { id: 'masto', name: 'Mastodon', url: url.value, auth: auth.value }),
  )
  return { mastodon, app }
}

describe('Mastodon streaming preset', () => {
  it('shows posts and mentions as text (never HTML) with a link to the post', async () => {
    const { mastodon, app } = await mastodonApp('good-token')
    const request = await mastodon.http.request(0)
    expect(request.url).toBe('/api/v1/streaming/user')
    expect(request.headers.authorization).toBe('Bearer good-token')
    await eventually(async () => expect((await feedStatus(app, 'masto')).state.kind).toBe('open'))
    mastodon.thump()

    const post = mastodonStatus({
      id: '111',
      acct: 'ada',
      displayName: 'Ada',
      content:
        '<p>Hello &amp; welcome <a href="https://x.example"><span>#tidings</span></a></p><p><script>alert(1)</script>bye</p>',
    })
    mastodon.send('update', post)
    const update = await waitForNotification()
    expect(update.title).toBe('Ada')
    expect(update.body).toBe('Hello & welcome #tidings alert(1)bye')
    update.click()
    expect(fake.shell.opened).toEqual(['https://social.example/@ada/111'])

    mastodon.send('notification', {
      id: '9',
      type: 'mention',
      created_at: '2024-05-01T10:00:00.000Z',
      account: { id: '2', acct: 'grace@other.example', display_name: '' },
      status: mastodonStatus({
        id: '112',
        acct: 'grace',
        displayName: 'Grace',
        content: '<p>@you look</p>',
      }),
    })
    const mention = await waitForNotification((n) => n.title.includes('mentioned'))
    expect(mention.title).toBe('grace@other.example mentioned you')
    expect(mention.body).toBe('@you look')

    mastodon.send('delete', '111')
    await waitForLogged(app, 3)
    expect(loggedTypes(app)).toEqual(['update', 'notification', 'delete'])
    expect(app.pushedEvents()[2]?.notification).toBeNull()
  })

  it('hides a post behind its content warning', async () => {
    const { mastodon } = await mastodonApp('good-token')
    await mastodon.http.request(0)
    await eventually(async () => expect((await feedStatus(app!, 'masto')).state.kind).toBe('open'))
    mastodon.send(
      'update',
      mastodonStatus({
        id: '5',
        acct: 'a',
        displayName: 'A',
        content: '<p>spoiler</p>',
        spoiler: 'Film ending',
      }),
    )
    expect((await waitForNotification()).body).toBe('CW: Film ending')
  })

  it('shows a rejected token as the server’s 401', async () => {
    const { app } = await mastodonApp('stale-token')
    await eventually(async () =>
      expect((await feedStatus(app, 'masto')).state).toMatchObject({ kind: 'failed', status: 401 }),
    )
  })

  it('reconnects after a drop and goes on (streaming replays nothing)', async () => {
    const { mastodon, app } = await mastodonApp('good-token')
    await mastodon.http.request(0)
    await eventually(async () => expect((await feedStatus(app, 'masto')).state.kind).toBe('open'))
    mastodon.send(
      'update',
      mastodonStatus({ id: '1', acct: 'a', displayName: 'A', content: 'one' }),
    )
    await waitForLogged(app, 1)
    mastodon.dropConnections()
    const again = await mastodon.http.request(1)
    expect(again.lastEventId).toBeNull()
    expect(again.headers.authorization).toBe('Bearer good-token')
    await eventually(async () => expect((await feedStatus(app, 'masto')).state.kind).toBe('open'))
    mastodon.send(
      'update',
      mastodonStatus({ id: '2', acct: 'a', displayName: 'A', content: 'two' }),
    )
    await waitForNotification((n) => n.body === 'two')
  })
})
