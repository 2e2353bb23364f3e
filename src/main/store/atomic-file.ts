// Whole-file writes that a crash cannot tear: write aside, flush to disk, rename over, then flush
// the folder so the rename itself survives a power cut. Callers serialise their writes to one
// file (the temp name is fixed so nothing piles up).
import { dirname } from 'node:path'
import { nodeFs, syncDir, syncDirSync, writeAll, writeAllSync, type StoreFs } from './store-fs.ts'

export interface AtomicWriteOptions {
  io?: StoreFs
  /** The file written aside (default `<file>.tmp`). */
  tmp?: string
  /** Asked just before the rename: false drops this write (a newer one took its place). */
  stillWanted?: () => boolean
}

/**
 * Chunks are produced lazily and written one at a time, so a big file never blocks the loop.
 * Resolves to the bytes written, or null when `stillWanted` dropped the write.
 */
export async function writeFileAtomic(
  file: string,
  content: string | Uint8Array | Iterable<string | Uint8Array>,
  options: AtomicWriteOptions = {},
): Promise<number | null> {
  const io = options.io ?? nodeFs
  const tmp = options.tmp ?? `${file}.tmp`
  let position = 0
  try {
    const fd = await io.open(tmp, 'w')
    try {
      for (const chunk of typeof content === 'string' || content instanceof Uint8Array
        ? [content]
        : content) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
        await writeAll(io, fd, bytes, position)
        position += bytes.byteLength
      }
      await io.fsync(fd)
    } finally {
      await io.close(fd).catch(() => {})
    }
    if (options.stillWanted && !options.stillWanted()) {
      await io.unlink(tmp)
      return null
    }
    await io.rename(tmp, file)
  } catch (error) {
    await io.unlink(tmp).catch(() => {})
    throw error
  }
  await syncDir(io, dirname(file))
  return position
}

/** The same with synchronous calls, for a flush the OS will not wait for; returns the bytes. */
export function writeFileAtomicSync(
  file: string,
  content: string | Uint8Array | Iterable<string | Uint8Array>,
  options: Omit<AtomicWriteOptions, 'stillWanted'> = {},
): number {
  const io = options.io ?? nodeFs
  const tmp = options.tmp ?? `${file}.tmp`
  let position = 0
  try {
    const fd = io.openSync(tmp, 'w')
    try {
      for (const chunk of typeof content === 'string' || content instanceof Uint8Array
        ? [content]
        : content) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
        writeAllSync(io, fd, bytes, position)
        position += bytes.byteLength
      }
      io.fsyncSync(fd)
    } finally {
      try {
        io.closeSync(fd)
      } catch {
        // the data is flushed; a failed close loses nothing
      }
    }
    io.renameSync(tmp, file)
  } catch (error) {
    try {
      io.unlinkSync(tmp)
    } catch {
      // the temp file is removed on the next open
    }
    throw error
  }
  syncDirSync(io, dirname(file))
  return position
}
