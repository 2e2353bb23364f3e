// runTail in this process, its stdout and stderr one terminal: what a person reads, in order.
import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { startSseServer, streamChunks, type SseServer } from '../../../tests/support/sse-server.ts'
import type { TailOptions } from './args.ts'
import type { CliIo } from './io.ts'
import { runTail } from './tail.ts'

let server: SseServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** stdout and stderr written to one screen, as a terminal shows them. */
function oneScreen(): { io: CliIo; lines: () => string[] } {
  let text = ''
  const sink = () =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        text += chunk.toString()
        callback()
      },
    })
  const io: CliIo = {
    stdout: sink(),
    stderr: sink(),
    env: {},
    platform: 'linux',
    interrupt: new AbortController().signal,
  }
  return { io, lines: () => text.split('\n').filter(Boolean) }
}

const options = (url: string, over: Partial<TailOptions> = {}): TailOptions => ({
  url,
  json: false,
  raw: false,
  verbose: false,
  headers: {},
  untilEnd: false,
  notify: false,
  ...over,
})

describe('runTail on one screen', () => {
  it('prints the events a connection delivered before the line saying it ended', async () => {
    server = await startSseServer((_req, res, request) =>
      streamChunks(
        res,
        request.index === 0
          ? ['retry: 250\nid: 1\ndata: one\n\nid: 2\ndata: two\n\n']
          : ['id: 3\ndata: three\n\n'],
      ),
    )
    const screen = oneScreen()
    const code = await runTail(options(server.url, { maxEvents: 3 }), screen.io, {
      random: () => 0,
    })
    expect(code).toBe(0)
    expect(screen.lines().map((line) => line.replace(/^\d\d:\d\d:\d\d {2}/, ''))).toEqual([
      `tidings: connecting to ${server.url}`,
      'tidings: connected',
      'message  #1  one',
      'message  #2  two',
      'tidings: Stream ended. Tidings tries again in 0.3 s.',
      'tidings: connected',
      'message  #3  three',
    ])
  })
})
