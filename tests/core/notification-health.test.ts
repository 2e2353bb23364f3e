// Notification health through the one composition, as any host reports it: the host's `show`
// returns a promise of what became of each notification (the Electron shell from Notification
// events; `tidings ui` from its OS notifier), and the window reads and is pushed the result.
import { afterEach, describe, expect, it } from 'vitest'
import { composeTidings, type Tidings } from '../../src/main/core/compose.ts'
import { NotificationHealthMonitor } from '../../src/main/core/notification-health.ts'
import type { OutgoingNotification } from '../../src/main/notify/index.ts'
import type { IpcPushes, NotificationHealth, NotificationOutcome } from '../../src/shared/ipc.ts'
import type { StoredSettings } from '../../src/main/store/settings-schema.ts'
import { tempDir } from '../app/support/fixtures.ts'
import { startSseServer, type SseServer } from '../support/sse-server.ts'
import { plainCipher } from '../hostile/support.ts'

const own = { sender: 1, senderFrame: null }

describe('notification health', () => {
  it('follows the latest outcome, and tells only of changes', () => {
    const changes: NotificationHealth[] = []
    let now = 1000
    const monitor = new NotificationHealthMonitor({
      platform: 'darwin',
      now: () => now,
      onChange: (health) => changes.push(health),
    })
    expect(monitor.current()).toEqual({
      status: 'unknown',
      detail: null,
      since: null,
      platform: 'darwin',
    })
    monitor.record({ kind: 'failed', error: 'Notifications are not allowed for this application' })
    now = 2000
    monitor.record({ kind: 'failed', error: 'Notifications are not allowed for this application' })
    monitor.record({ kind: 'shown' })
    monitor.record({ kind: 'failed', error: '' })
    expect(changes.map((h) => [h.status, h.detail, h.since])).toEqual([
      ['failed', 'Notifications are not allowed for this application', 1000],
      ['ok', null, 2000],
      ['failed', 'no reason given', 2000],
    ])
  })

  it('counts a show that threw as failed, and a host that reports nothing as no news', async () => {
    const monitor = new NotificationHealthMonitor({ platform: 'linux' })
    await monitor.track(undefined)
    expect(monitor.current().status).toBe('unknown')
    await monitor.track(Promise.reject(new Error('notify-send: no such file')))
    expect(monitor.current()).toMatchObject({
      status: 'failed',
      detail: 'Error: notify-send: no such file',
    })
  })
})

describe('notification health through composeTidings (a host without Electron)', () => {
  let tidings: Tidings | null = null
  let server: SseServer | null = null
  afterEach(async () => {
    await tidings?.dispose()
    await server?.close()
    tidings = null
    server = null
  })

  async function compose(
    outcomes: NotificationOutcome[],
    override: (saved: StoredSettings) => StoredSettings = (saved) => ({
      ...saved,
      feeds: [],
      pause: { until: null },
    }),
  ) {
    const shown: OutgoingNotification[] = []
    const pushed: Array<IpcPushes['notification-health']> = []
    tidings = await composeTidings({
      dataDir: await tempDir(),
      cipher: plainCipher,
      fetch: (url, init) => globalThis.fetch(url, init),
      show: (notification) => {
        shown.push(notification)
        return Promise.resolve(outcomes.shift() ?? { kind: 'shown' })
      },
      send: (channel, payload) => {
        if (channel === 'notification-health')
          pushed.push(payload as IpcPushes['notification-health'])
      },
      openLink: async () => false,
      platform: 'win32',
      override,
      centerTiming: { catchUpWindowMs: 0, catchUpGapMs: 0, catchUpMaxMs: 0 },
    })
    tidings.push.markReady()
    return { tidings, shown, pushed }
  }

  it('sends a test notification past pause, and answers with what became of it', async () => {
    const { tidings, shown } = await compose([{ kind: 'unconfirmed' }, { kind: 'shown' }])
    expect(await tidings.router.handle('notifications:health', own, [])).toMatchObject({
      status: 'unknown',
      platform: 'win32',
    })
    // Notifications are paused until resumed; a test still goes out.
    const first = (await tidings.router.handle('notifications:test', own, [])) as NotificationHealth
    expect(shown.map((n) => n.title)).toEqual(['Tidings test notification'])
    expect(first).toMatchObject({ status: 'unconfirmed', platform: 'win32' })
    const second = (await tidings.router.handle(
      'notifications:test',
      own,
      [],
    )) as NotificationHealth
    expect(second.status).toBe('ok')
    expect(shown).toHaveLength(2)
    await expect(tidings.router.handle('notifications:test', own, ['now'])).rejects.toThrow(
      /Invalid arguments/,
    )
  })

  it('pushes the health to the window when a notification the policy let through fails', async () => {
    server = await startSseServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('id: 1\nevent: news\ndata: {"title":"Launch day"}\n\n')
    })
    const url = server.url
    const { shown, pushed } = await compose(
      [{ kind: 'failed', error: 'The notification platform is unavailable.' }],
      (saved) => ({
        ...saved,
        pause: null,
        feeds: [{ ...saved.feeds[0]!, id: 'news', name: 'News', url, preset: undefined }],
      }),
    )
    await tidings!.start()
    await expect.poll(() => pushed.at(-1)?.status).toBe('failed')
    expect(shown.map((n) => n.title)).toEqual(['Launch day'])
    expect(pushed.at(-1)).toMatchObject({
      detail: 'The notification platform is unavailable.',
      platform: 'win32',
    })
  })
})
