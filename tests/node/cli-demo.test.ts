// `tidings demo` run for real, consumed by `tidings tail`.
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { jsonLines, runCli, killLeftoverClis } from './cli-harness.ts'

afterEach(killLeftoverClis)

describe('tidings demo', () => {
  it('serves the demo feed on 127.0.0.1 until Ctrl-C (exit 130), for tidings tail to read', async () => {
    const demo = runCli(['demo', '--port', '0', '--tick-ms', '5'])
    await demo.until(({ stdout, stderr }) => stdout.endsWith('\n') && stderr.includes('Ctrl-C'))
    const url = demo.stdout.trim()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/events$/)
    expect(demo.stderr).toContain(`Try: tidings tail ${url}`)

    const tail = await runCli(['tail', url, '--json', '--max-events', '40']).exit
    expect(tail.code).toBe(0)
    const events = jsonLines(tail.stdout)
    expect(events.map((e) => e['id'])).toEqual(Array.from({ length: 40 }, (_, i) => String(i + 1)))
    expect(events.find((e) => e['type'] === 'task.done')?.['notification']).toMatchObject({
      kind: 'task-completed',
      title: 'Build #41 completed',
    })

    demo.child.kill('SIGINT')
    const result = await demo.exit
    expect(result.code).toBe(130)
    expect(result.stderr).toMatch(/demo feed stopped\.\n$/)
  })

  it('exits 143 on SIGTERM, stopped the same clean way', async () => {
    const demo = runCli(['demo', '--port', '0'])
    await demo.until(({ stderr }) => stderr.includes('Ctrl-C'))
    demo.child.kill('SIGTERM')
    const result = await demo.exit
    expect(result.code).toBe(143)
    expect(result.stderr).toMatch(/demo feed stopped\.\n$/)
  })

  it('exits 1 with a clear message when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as AddressInfo
    try {
      const result = await runCli(['demo', '--port', String(port)]).exit
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`port ${port} is in use`)
    } finally {
      blocker.close()
    }
  })

  it('rejects a bad port with exit code 2', async () => {
    const result = await runCli(['demo', '--port', '70000']).exit
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--port must be between 0 and 65535/)
  })
})
