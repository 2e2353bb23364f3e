// The `tidings` CLI entry. bin/tidings.js imports the built copy and calls main(); on Node 24
// this source file also runs directly (`node src/main/cli.ts tail ...`).
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import packageJson from '../../package.json' with { type: 'json' }
import { parseCommand } from './cli/args.ts'
import type { CliIo } from './cli/io.ts'

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const command = parseCommand(argv)
    switch (command.kind) {
      case 'help':
        io.stdout.write(command.text)
        return 0
      case 'version':
        io.stdout.write(`tidings ${packageJson.version}\n`)
        return 0
      case 'usage-error':
        io.stderr.write(`tidings: ${command.message}\n${command.help}\n`)
        return 2
      case 'tail':
        // Each command loads only what it needs, so `tail` starts without the demo server.
        return await (await import('./cli/tail.ts')).runTail(command.options, io)
      case 'demo':
        return await (await import('./cli/demo.ts')).runDemo(command.options, io)
      case 'ui':
        return await (await import('./cli/ui.ts')).runUi(command.options, io)
    }
  } catch (error) {
    io.stderr.write(`tidings: internal error: ${(error as Error).stack ?? String(error)}\n`)
    return 1
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
