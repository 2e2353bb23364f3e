// ntfy through the whole app: a real-format server (tests/support/preset-servers.ts), the
// engine, the notification policy and the fake Electron notifications.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { authHeader, buildPresetUrl, feedFromPreset } from '../../src/shared/presets.ts'
import { fake } from '../setup/electron.ts'
import { waitForNotification, type Harness } from '../app/support/app-harness.ts'
import { startNtfyServer, type NtfyServer } from '../support/preset-servers.ts'
import { appWithFeed, feedStatus, loggedTypes, shown, waitForLogged } from './support.ts'
import { eventually } from '../support/eventually.ts'

let app: Harness | null = null
let ntfy: NtfyServer | null = null

beforeEach(() => fake.reset())
afterEach(async () => {
  await app?.stop()
  await ntfy?.close()
  app = null
  ntfy = null
})

function ntfyFeed(server: NtfyServer, auth: Parameters<typeof authHeader>[0]) {
  const url = buildPresetUrl('ntfy', { server: server.base, topics: 'alerts, backups' })
  const header = authHeader(auth)
  if (!url.ok || !header.ok) throw new Error('bad fixture')
  return feedFromPreset('ntfy', { id: 'ntfy', name: 'Home', url: url.value, auth: header.value })
}

describe('ntfy preset', () => {
  it('subscribes to several topics on one connection with Bearer auth', async () => {
    ntfy = await startNtfyServer({ auth: { token: 'tk_secret' } })
    app = await appWithFeed(ntfyFeed(ntfy, { kind: 'bearer', token: 'tk_secret' }))
    const request = await ntfy.http.request(0)
    expect(request.url).toBe('/alerts,backups/sse')
    expect(request.headers.authorization).toBe('Bearer tk_secret')
    expect(ntfy.http.requests).toHaveLength(1)
  })

  it('sends Basic auth, and shows a wrong password as the server’s 401', async () => {
    ntfy = await startNtfyServer({ auth: { user: 'phil', password: 'wrong' } })
    app = await appWithFeed(ntfyFeed(ntfy, { kind: 'basic', user: 'phil', password: 'mypass' }))
    const request = await ntfy.http.request(0)
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('phil:mypass').toString('base64')}`,
    )
    await eventually(async () => {
      const status = await feedStatus(app!, 'ntfy')
      expect(status.state).toMatchObject({ kind: 'failed', status: 401 })
    })
  })

  it('turns title, message, priority, tags and click into the notification', async () => {
    ntfy = await startNtfyServer()
    app = await appWithFeed(ntfyFeed(ntfy, { kind: 'none' }))
    await ntfy.http.request(0)
    await eventually(async () => expect((await feedStatus(app!, 'ntfy')).state.kind).toBe('open'))

    ntfy.publish('alerts', {
      title: 'Disk <full> & hot',
      message: '/dev/sda1 is at 95%',
      priority: 5,
      tags: ['warning', 'nas'],
      click: 'https://grafana.example/d/1',
    })
    const urgent = await waitForNotification((n) => n.title.includes('Disk'))
    expect(urgent.title).toBe('⚠️ Disk <full> & hot')
    expect(urgent.body).toBe('/dev/sda1 is at 95% · Tags: nas')
    expect(urgent.options['urgency']).toBe('critical')
    urgent.click()
    expect(fake.shell.opened).toEqual(['https://grafana.example/d/1'])

    ntfy.publish('backups', { message: 'Nightly backup done', priority: 2, tags: ['tada'] })
    const quiet = await waitForNotification((n) => n.body === 'Nightly backup done')
    expect(quiet.title).toBe('🎉 backups')
    expect(quiet.options['urgency']).toBe('low')

    ntfy.publish('backups', { message: 'Default priority' })
    const normal = await waitForNotification((n) => n.body === 'Default priority')
    expect(normal.options['urgency']).toBe('normal')
  })

  it('shows open and keepalive as liveness, not as log entries', async () => {
    ntfy = await startNtfyServer()
    app = await appWithFeed(ntfyFeed(ntfy, { kind: 'none' }))
    await ntfy.http.request(0)
    await eventually(async () =>
      expect((await feedStatus(app!, 'ntfy')).lastAliveAt).not.toBeNull(),
    )
    const afterOpen = (await feedStatus(app, 'ntfy')).lastAliveAt as number

    ntfy.publish('alerts', { message: 'one' })
    await waitForLogged(app, 1)
    ntfy.keepalive()
    ntfy.keepalive()
    ntfy.publish('alerts', { message: 'two' })
    await waitForLogged(app, 2)

    expect(loggedTypes(app)).toEqual(['message', 'message'])
    const status = await feedStatus(app, 'ntfy')
    expect(status.eventCount).toBe(2)
    expect(status.lastAliveAt).toBeGreaterThanOrEqual(afterOpen)
    const history = ((await app.invoke('snapshot:get')) as { events: Array<{ data: string }> })
      .events
    expect(history.map((e) => JSON.parse(e.data).message)).toEqual(['one', 'two'])
    expect(shown().map((n) => n.body)).toEqual(['one', 'two'])
  })

  it('resumes after a drop with ?since=<last message id>, not a keepalive id, and across a restart', async () => {
    ntfy = await startNtfyServer()
    app = await appWithFeed(ntfyFeed(ntfy, { kind: 'none' }))
    await ntfy.http.request(0)
    await eventually(async () => expect((await feedStatus(app!, 'ntfy')).state.kind).toBe('open'))
    ntfy.publish('alerts', { message: 'before 1' })
    const lastSeen = ntfy.publish('backups', { message: 'before 2' })
    await waitForLogged(app, 2)
    ntfy.keepalive() // its id must not become the position

    ntfy.dropConnections()
    ntfy.publish('alerts', { message: 'during the drop' })
    const again = await ntfy.http.request(1)
    expect(again.url).toBe(`/alerts,backups/sse?since=${lastSeen}`)
    expect(again.headers['last-event-id']).toBeUndefined()
    await waitForLogged(app, 3)
    expect(app.pushedEvents().map((e) => JSON.parse(e.data).message)).toEqual([
      'before 1',
      'before 2',
      'during the drop',
    ])
    await waitForNotification((n) => n.body === 'during the drop')

    // The position is persisted: a restarted app asks for what it missed while it was off.
    const last = ntfy.publish('alerts', { message: 'live again' })
    await waitForLogged(app, 4)
    const userData = app.userData
    await app.stop()
    app = null
    ntfy.publish('alerts', { message: 'while the app was off' })
    const { startApp } = await import('../app/support/app-harness.ts')
    app = await startApp({ userData })
    await app.connect()
    const restarted = await ntfy.http.request(2)
    expect(restarted.url).toBe(`/alerts,backups/sse?since=${last}`)
    await waitForLogged(app, 1)
    expect(app.pushedEvents().map((e) => JSON.parse(e.data).message)).toEqual([
      'while the app was off',
    ])
  })
})
