// Placeholder: the real command is built in src/main/cli/.
export async function main(argv: string[]): Promise<number> {
  process.stdout.write(`tidings ${argv.join(' ')}\n`)
  return 0
}
