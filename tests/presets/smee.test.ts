// smee.io through the whole app: webhooks POSTed to a relay that speaks smee's exact SSE.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildPresetUrl, feedFromPreset } from '../../src/shared/presets.ts'
import { fake } from '../setup/electron.ts'
import { waitForNotification, type Harness } from '../app/support/app-harness.ts'
import { startSmeeServer, type SmeeServer } from '../support/preset-servers.ts'
import { appWithFeed, feedStatus, loggedTypes, waitForLogged } from './support.ts'
import { eventually } from '../support/eventually.ts'

let app: Harness | null = null
let smee: SmeeServer | null = null

beforeEach(() => fake.reset())
afterEach(async () => {
  await app?.stop()
  await smee?.close()
  app = null
  smee = null
})

/** The parts of GitHub's workflow_run payload Tidings reads, as GitHub sends them. */
function workflowRun(conclusion: string, runId: number) {
  return {
    action: 'completed',
    workflow_run: {
      id: runId,
      name: 'CI',
      head_branch: 'main',
      status: 'completed',
      conclusion,
      html_url: `https://github.com/octo/app/actions/runs/${runId}`,
    },
    repository: { full_name: 'octo/app', html_url: 'https://github.com/octo/app' },
    sender: { login: 'octocat' },
  }
}

async function smeeApp() {
  smee = await startSmeeServer()
  const url = buildPresetUrl('smee', { url: smee.channelUrl('AbCdEf123') })
  if (!url.ok) throw new Error(url.error)
  app = await appWithFeed(feedFromPreset('smee', { id: 'hooks', name: 'GitHub', url: url.value }))
  await smee.subscription(0)
  await eventually(async () => expect((await feedStatus(app!, 'hooks')).lastAliveAt).not.toBeNull())
  return { smee, app }
}

describe('smee.io preset', () => {
  it('turns a relayed workflow_run webhook into a readable notification', async () => {
    const { smee, app } = await smeeApp()
    expect(smee.http.requests[0]?.headers.accept).toBe('text/event-stream')
    await smee.deliver('AbCdEf123', 'workflow_run', workflowRun('success', 1))
    const done = await waitForNotification()
    expect(done.title).toBe('workflow_run completed: CI on main')
    expect(done.body).toBe('success · octo/app · by octocat')
    done.click()
    expect(fake.shell.opened).toEqual(['https://github.com/octo/app/actions/runs/1'])

    await smee.deliver('AbCdEf123', 'workflow_run', workflowRun('failure', 2))
    const failed = await waitForNotification((n) => n.body.startsWith('failure'))
    expect(failed.title).toBe('workflow_run completed: CI on main')
    // A failed run is a task failure: it breaks through quiet hours like other failures.
    await waitForLogged(app, 2)
    const logged = app.pushedEvents().at(-1)
    expect(logged?.notification?.kind).toBe('task-failed')
  })

  it('keeps ready and ping out of the log, as liveness', async () => {
    const { smee, app } = await smeeApp()
    smee.ping()
    await smee.deliver('AbCdEf123', 'push', {
      ref: 'refs/heads/main',
      pusher: { name: 'octocat' },
      head_commit: { message: 'Fix the flaky test\n\nLong description' },
      compare: 'https://github.com/octo/app/compare/a...b',
      repository: { full_name: 'octo/app' },
    })
    await waitForLogged(app, 1)
    smee.ping()
    await smee.deliver('AbCdEf123', 'issues', {
      action: 'opened',
      issue: {
        number: 7,
        title: 'Crash on start',
        html_url: 'https://github.com/octo/app/issues/7',
      },
      repository: { full_name: 'octo/app' },
    })
    await waitForLogged(app, 2)
    expect(loggedTypes(app)).toEqual(['message', 'message'])
    const push = await waitForNotification((n) => n.title.startsWith('push'))
    expect(push.title).toBe('push: main by octocat')
    expect(push.body).toBe('Fix the flaky test · octo/app')
    const issue = await waitForNotification((n) => n.title.startsWith('issues'))
    expect(issue.title).toBe('issues opened: #7 Crash on start')
  })

  it('after a drop, delivers new webhooks although smee numbers them from 0 again', async () => {
    const { smee, app } = await smeeApp()
    await smee.deliver('AbCdEf123', 'workflow_run', workflowRun('success', 1)) // id: 1
    await smee.deliver('AbCdEf123', 'workflow_run', workflowRun('success', 2)) // id: 2
    await waitForLogged(app, 2)

    smee.dropConnections()
    const again = await smee.subscription(1)
    // The relay keeps nothing and its ids are per connection: none is sent back.
    expect(again.lastEventId).toBeNull()
    await eventually(async () => expect((await feedStatus(app, 'hooks')).state.kind).toBe('open'))
    await smee.deliver('AbCdEf123', 'workflow_run', workflowRun('success', 3)) // id: 1 again
    await smee.deliver('AbCdEf123', 'workflow_run', workflowRun('failure', 4)) // id: 2 again
    await waitForLogged(app, 4)
    const runs = app.pushedEvents().map((e) => JSON.parse(e.data).body.workflow_run.id)
    expect(runs).toEqual([1, 2, 3, 4])
    await waitForNotification((n) => n.body.startsWith('failure'))
  })
})
