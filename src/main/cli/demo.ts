// `tidings demo`: serves the built-in demo feed until Ctrl-C (exit 130, as for any interrupted
// command; 143 on SIGTERM).
import { startDemoServer } from '../demo/demo-server.ts'
import type { DemoOptions } from './args.ts'
import { drained, interruptedExitCode } from './io.ts'
import type { CliIo } from './io.ts'

export async function runDemo(options: DemoOptions, io: CliIo): Promise<number> {
  let server
  try {
    server = await startDemoServer({
      port: options.port,
      ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    io.stderr.write(
      code === 'EADDRINUSE'
        ? `tidings: port ${options.port} is in use; choose another with --port (0 picks a free one).\n`
        : `tidings: could not start the demo feed: ${(error as Error).message}\n`,
    )
    return 1
  }
  // The URL alone on stdout, so scripts can capture it; the hints go to stderr.
  io.stdout.write(`${server.url}\n`)
  io.stderr.write(
    `tidings: demo feed running. Try: tidings tail ${server.url}\ntidings: press Ctrl-C to stop.\n`,
  )
  if (!io.interrupt.aborted)
    await new Promise((resolve) => io.interrupt.addEventListener('abort', resolve, { once: true }))
  await server.close()
  io.stderr.write('tidings: demo feed stopped.\n')
  await Promise.all([drained(io.stdout), drained(io.stderr)])
  return interruptedExitCode(io.interrupt)
}
