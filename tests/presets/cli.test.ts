// `tidings tail --preset`: the preset's resume rule and health events in the CLI, against the
// real-format ntfy and smee servers.
import { afterEach, describe, expect, it } from 'vitest'
import { jsonLines, killLeftoverClis, runCli } from '../node/cli-harness.ts'
import {
  startNtfyServer,
  startSmeeServer,
  type NtfyServer,
  type SmeeServer,
} from '../support/preset-servers.ts'

let ntfy: NtfyServer | null = null
let smee: SmeeServer | null = null
afterEach(async () => {
  killLeftoverClis()
  await ntfy?.close()
  await smee?.close()
  ntfy = null
  smee = null
})

describe('tidings tail --preset', () => {
  it('ntfy: hides open/keepalive and resumes with ?since=<last message id>', async () => {
    ntfy = await startNtfyServer()
    const run = runCli(['tail', `${ntfy.base}/alerts/sse`, '--preset', 'ntfy', '--json'])
    await ntfy.http.request(0)
    await run.until(({ stderr }) => stderr.includes('"state":"open"'))
    ntfy.keepalive()
    const first = ntfy.publish('alerts', { title: 'Disk', message: 'full', priority: 5 })
    await run.until(({ stdout }) => stdout.includes('full'))
    ntfy.dropConnections()
    const again = await ntfy.http.request(1)
    expect(again.url).toBe(`/alerts/sse?since=${first}`)
    ntfy.publish('alerts', { message: 'second' })
    await run.until(({ stdout }) => stdout.includes('second'))
    run.child.kill('SIGINT')
    const result = await run.exit
    const lines = jsonLines(result.stdout)
    expect(lines.map((l) => l['type'])).toEqual(['message', 'message'])
    expect(lines[0]?.['notification']).toMatchObject({ title: 'Disk', urgency: 'critical' })
  })

  it('without a preset, the same stream prints its control events too', async () => {
    ntfy = await startNtfyServer()
    const result = runCli(['tail', `${ntfy.base}/alerts/sse`, '--json', '--max-events', '1'])
    const { stdout } = await result.exit
    expect(jsonLines(stdout)[0]?.['type']).toBe('open')
  })

  it('smee: readable webhook titles, ready/ping hidden', async () => {
    smee = await startSmeeServer()
    const run = runCli(['tail', smee.channelUrl('ch'), '--preset', 'smee', '--json'])
    await smee.subscription(0)
    await run.until(({ stderr }) => stderr.includes('"state":"open"'))
    smee.ping()
    await smee.deliver('ch', 'workflow_run', {
      action: 'completed',
      workflow_run: { name: 'CI', head_branch: 'main', conclusion: 'success' },
      repository: { full_name: 'o/r' },
    })
    await run.until(({ stdout }) => stdout.includes('workflow_run'))
    run.child.kill('SIGINT')
    const lines = jsonLines((await run.exit).stdout)
    expect(lines).toHaveLength(1)
    expect(lines[0]?.['notification']).toMatchObject({
      kind: 'task-completed',
      title: 'workflow_run completed: CI on main',
    })
  })

  it('rejects an unknown preset as a usage error', async () => {
    const result = await runCli(['tail', 'http://127.0.0.1:1/', '--preset', 'pusher']).exit
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--preset must be one of generic, ntfy, mercure')
  })
})
