#!/usr/bin/env node
// The `tidings` command: runs the CLI built by `npm run build` (out/main/cli.js).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = new URL('../out/main/cli.js', import.meta.url)
if (!existsSync(fileURLToPath(built))) {
  process.stderr.write('tidings: the CLI is not built yet; run `npm run build` first.\n')
  process.exit(2)
}
const { main } = await import(built.href)
process.exitCode = await main(process.argv.slice(2))
