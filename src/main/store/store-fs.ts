// The file operations the store uses, as one small interface passed in: tests hand in a layer
// that fails a chosen call (a full disk, an I/O error) and check that nothing is lost. Files are
// addressed by descriptor so the history can write at a known offset and cut a torn write back.
// Every file is created 0600 and every folder 0700 (private to the user; Windows ignores modes).
import * as fs from 'node:fs'
import { promisify } from 'node:util'

export const FILE_MODE = 0o600
export const DIR_MODE = 0o700

export interface StoreFs {
  readFile(path: string): Promise<Buffer>
  open(path: string, flags: OpenFlags): Promise<number>
  /** Writes at `position`; may write fewer bytes than given (the caller writes the rest). */
  write(fd: number, data: Uint8Array, position: number): Promise<number>
  ftruncate(fd: number, length: number): Promise<void>
  fsync(fd: number): Promise<void>
  close(fd: number): Promise<void>
  rename(from: string, to: string): Promise<void>
  /** Removes a file; no error when it is not there. */
  unlink(path: string): Promise<void>
  mkdir(path: string): Promise<void>
  chmod(path: string, mode: number): Promise<void>
  // The same, synchronous: for a flush the OS will not wait for (Windows `session-end`).
  openSync(path: string, flags: OpenFlags): number
  writeSync(fd: number, data: Uint8Array, position: number): number
  ftruncateSync(fd: number, length: number): void
  fsyncSync(fd: number): void
  closeSync(fd: number): void
  renameSync(from: string, to: string): void
  unlinkSync(path: string): void
}

/** 'w': create or empty; 'c': create, keep what is there; 'r+': an existing file; 'r': read. */
export type OpenFlags = 'w' | 'c' | 'r+' | 'r'

const { O_CREAT, O_WRONLY, O_RDWR, O_TRUNC, O_RDONLY } = fs.constants
const FLAGS: Record<OpenFlags, number> = {
  w: O_CREAT | O_WRONLY | O_TRUNC,
  c: O_CREAT | O_WRONLY,
  'r+': O_RDWR,
  r: O_RDONLY,
}

const openAsync = promisify(fs.open)
const writeAsync = promisify(fs.write)
const ignoreMissing = (error: NodeJS.ErrnoException): void => {
  if (error.code !== 'ENOENT') throw error
}

/** The real file system. */
export const nodeFs: StoreFs = {
  readFile: (path) => fs.promises.readFile(path),
  open: (path, flags) => openAsync(path, FLAGS[flags], FILE_MODE),
  write: async (fd, data, position) =>
    (await writeAsync(fd, data, 0, data.byteLength, position)).bytesWritten,
  ftruncate: promisify(fs.ftruncate),
  fsync: promisify(fs.fsync),
  close: promisify(fs.close),
  rename: (from, to) => fs.promises.rename(from, to),
  unlink: (path) => fs.promises.unlink(path).catch(ignoreMissing),
  mkdir: async (path) => {
    await fs.promises.mkdir(path, { recursive: true, mode: DIR_MODE })
  },
  chmod: (path, mode) => fs.promises.chmod(path, mode),
  openSync: (path, flags) => fs.openSync(path, FLAGS[flags], FILE_MODE),
  writeSync: (fd, data, position) => fs.writeSync(fd, data, 0, data.byteLength, position),
  ftruncateSync: (fd, length) => fs.ftruncateSync(fd, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (path) => {
    try {
      fs.unlinkSync(path)
    } catch (error) {
      ignoreMissing(error as NodeJS.ErrnoException)
    }
  },
}

/** Writes all of `data` at `position`, however many calls the OS takes. */
export async function writeAll(
  io: StoreFs,
  fd: number,
  data: Uint8Array,
  position: number,
): Promise<void> {
  let done = 0
  while (done < data.byteLength) {
    const written = await io.write(fd, data.subarray(done), position + done)
    if (written <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' })
    done += written
  }
}

export function writeAllSync(io: StoreFs, fd: number, data: Uint8Array, position: number): void {
  let done = 0
  while (done < data.byteLength) {
    const written = io.writeSync(fd, data.subarray(done), position + done)
    if (written <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' })
    done += written
  }
}

/**
 * Flushes a folder's entry list, so a rename survives a power cut. Windows cannot open a folder
 * for this (and its renames are already durable); errors other than a real I/O error are ignored.
 */
export async function syncDir(io: StoreFs, dir: string): Promise<void> {
  if (process.platform === 'win32') return
  let fd: number
  try {
    fd = await io.open(dir, 'r')
  } catch {
    return
  }
  try {
    await io.fsync(fd)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EIO') throw error
  } finally {
    await io.close(fd).catch(() => {})
  }
}

export function syncDirSync(io: StoreFs, dir: string): void {
  if (process.platform === 'win32') return
  let fd: number
  try {
    fd = io.openSync(dir, 'r')
  } catch {
    return
  }
  try {
    io.fsyncSync(fd)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EIO') throw error
  } finally {
    try {
      io.closeSync(fd)
    } catch {
      // nothing to do: the data is already flushed
    }
  }
}
