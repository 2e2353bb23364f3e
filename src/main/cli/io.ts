// What a CLI command needs from its process, passed in so commands can run in tests too.

export interface CliIo {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  env: Record<string, string | undefined>
  platform: NodeJS.Platform
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM; the reason is the signal's name. */
  interrupt: AbortSignal
}

/** Exit codes for interruptions, as shells report them (128 + signal number). */
export function interruptedExitCode(signal: AbortSignal): number {
  return signal.reason === 'SIGTERM' ? 143 : 130
}

/** Resolves once the stream has taken everything written to it so far (or failed). Write
 *  callbacks run in order, so an empty write's callback runs after all earlier writes. */
export function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('error', done)
      resolve()
    }
    stream.once('error', done)
    stream.write('', () => done())
  })
}
