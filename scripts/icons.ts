// `npm run icons`: renders every icon from resources/icon.svg into resources/.
// `node scripts/icons.ts --check` renders them in memory and fails if a committed copy differs.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type IconFile, renderIcons } from './icons/generate.ts'

export const RESOURCES_DIR = resolve(import.meta.dirname, '../resources')
export const ICON_SOURCE = join(RESOURCES_DIR, 'icon.svg')

export async function generateIcons(outDir: string, source = ICON_SOURCE): Promise<IconFile[]> {
  const files = renderIcons(await readFile(source, 'utf8'))
  for (const file of files) {
    const target = join(outDir, file.path)
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, file.bytes)
  }
  return files
}

/** Paths (relative to `dir`) whose bytes differ from what the script renders. */
export async function staleIcons(dir: string, source = ICON_SOURCE): Promise<string[]> {
  const files = renderIcons(await readFile(source, 'utf8'))
  const stale: string[] = []
  for (const file of files) {
    const committed = await readFile(join(dir, file.path)).catch(() => null)
    if (committed === null || !committed.equals(file.bytes)) stale.push(file.path)
  }
  return stale
}

async function main(args: string[]): Promise<number> {
  if (args[0] === '--check') {
    const stale = await staleIcons(RESOURCES_DIR)
    if (stale.length === 0) return 0
    console.error(`icons out of date (run npm run icons):\n  ${stale.join('\n  ')}`)
    return 1
  }
  const outDir = resolve(args[0] ?? RESOURCES_DIR)
  const files = await generateIcons(outDir)
  console.log(`icons: wrote ${files.length} files to ${outDir}`)
  return 0
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
