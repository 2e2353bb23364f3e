// The `tidings` CLI entry. bin/tidings.js imports the built copy and calls main(); on Node 24
// this source file also runs directly (`node src/main/cli.ts tail ...`).
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import packageJson from '../../package.json' with { type: 'json' }
import { parseCommand } from './cli/args.ts'
import type { CliIo } from './cli/io.ts'

/**
 * Runs one command. Without `io`, the real process's: made only once the command's modules are
 * loaded, because claiming Ctrl-C must come after any library that hooks it at import.
 */
export async function main(argv: string[], given?: CliIo): Promise<number> {
  const io = (): CliIo => given ?? processIo()
  const out = (): Omit<CliIo, 'interrupt'> => given ?? plainIo()
  try {
    const command = parseCommand(argv)
    switch (command.kind) {
      case 'help':
        out().stdout.write(command.text)
        return 0
      case 'version':
        out().stdout.write(`tidings ${packageJson.version}\n`)
        return 0
      case 'usage-error':
        out().stderr.write(`tidings: ${command.message}\n${command.help}\n`)
        return 2
      // Each command loads only what it needs, so `tail` starts without the demo server.
      case 'tail': {
        const { runTail } = await import('./cli/tail.ts')
        return await runTail(command.options, io())
      }
      case 'demo': {
        const { runDemo } = await import('./cli/demo.ts')
        return await runDemo(command.options, io())
      }
      case 'ui': {
        const { runUi } = await import('./cli/ui.ts')
        return await runUi(command.options, io())
      }
    }
  } catch (error) {
    out().stderr.write(`tidings: internal error: ${(error as Error).stack ?? String(error)}\n`)
    return 1
  }
}

/** The real process's streams, for commands that need no signal handling. */
function plainIo(): Omit<CliIo, 'interrupt'> {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    platform: process.platform,
  }
}

/** The real process: Ctrl-C asks the command to stop cleanly; a second Ctrl-C forces it. */
function processIo(): CliIo {
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === 'SIGTERM' ? 143 : 130)
    controller.abort(signal)
  }
  // We own these signals: a library that hooked them (conf's atomic writes, through when-exit)
  // would re-raise the signal after its clean-up and end the process before ours is done.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal)
    process.on(signal, onSignal)
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    platform: process.platform,
    interrupt: controller.signal,
  }
}

/** True when this module is the program (`node cli.ts`), false when imported (bin/tidings.js). */
function isEntryModule(): boolean {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return pathToFileURL(realpathSync(entry)).href === import.meta.url
  } catch {
    return false
  }
}

if (isEntryModule()) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
