// Whole-file writes that a crash cannot tear: write aside, flush to disk, rename over.
// Callers serialise their writes to one file (the temp name is fixed so nothing piles up).
import { open, rename, rm } from 'node:fs/promises'

/** Chunks are produced lazily and written one at a time, so a big file never blocks the loop. */
export async function writeFileAtomic(
  file: string,
  content: string | Iterable<string>,
): Promise<void> {
  const tmp = `${file}.tmp`
  try {
    const handle = await open(tmp, 'w')
    try {
      if (typeof content === 'string') await handle.writeFile(content)
      else for (const chunk of content) await handle.write(chunk)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, file)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
}
