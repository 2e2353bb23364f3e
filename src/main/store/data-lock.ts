// One Tidings per data folder: the desktop app and `tidings ui` share the folder (settings,
// history, resume ids), and two of them writing it at once would tear both. The lock is a file
// that appears whole (written aside, then hard-linked into place, which fails if it exists),
// holding the owner's pid; one left by a process that is gone (a crash, a power cut) is taken
// over, so a lock never needs removing by hand.
import { hostname } from 'node:os'
import { join } from 'node:path'
import { link, readFile, rm, writeFile } from 'node:fs/promises'

export const LOCK_NAME = 'tidings.lock'

export interface LockOwner {
  pid: number
  host: string
  /** What holds it, for the message: "the desktop app", "tidings ui". */
  what: string
  since: number
}

export class DataDirLocked extends Error {
  override name = 'DataDirLocked'
  readonly owner: LockOwner
  readonly file: string
  constructor(dir: string, file: string, owner: LockOwner) {
    super(
      `Another Tidings (${owner.what}, process ${owner.pid}) is using the data folder ${dir}. ` +
        'Quit it first, or choose another folder (tidings ui --data-dir DIR).',
    )
    this.owner = owner
    this.file = file
  }
}

export interface DataLock {
  readonly file: string
  release(): Promise<void>
}

export interface LockOptions {
  dir: string
  what: string
  pid?: number
  /** Whether a process runs (tests stand in for the OS here). */
  isAlive?(pid: number): boolean
}

export async function lockDataDir(options: LockOptions): Promise<DataLock> {
  const file = join(options.dir, LOCK_NAME)
  const pid = options.pid ?? process.pid
  const isAlive = options.isAlive ?? processAlive
  const owner: LockOwner = { pid, host: hostname(), what: options.what, since: Date.now() }
  // Two rounds at most: the second follows the removal of a lock whose owner is gone.
  for (let round = 0; round < 2; round++) {
    const aside = `${file}.${pid}.tmp`
    await writeFile(aside, `${JSON.stringify(owner)}\n`)
    try {
      await link(aside, file)
      let released = false
      return {
        file,
        async release() {
          if (released) return
          released = true
          // Only our own lock: never one another process took over meanwhile.
          const current = await readOwner(file)
          if (current?.pid === pid && current.since === owner.since) await rm(file, { force: true })
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    } finally {
      await rm(aside, { force: true })
    }
    const current = await readOwner(file)
    // A lock from another machine (a synced or network folder) cannot be checked: it holds.
    if (current && (current.host !== owner.host || isAlive(current.pid)))
      throw new DataDirLocked(options.dir, file, current)
    await rm(file, { force: true })
  }
  throw new Error(`Could not lock the data folder ${options.dir}: ${file} keeps reappearing.`)
}

async function readOwner(file: string): Promise<LockOwner | null> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>
    if (typeof value.pid !== 'number' || !Number.isSafeInteger(value.pid)) return null
    return {
      pid: value.pid,
      host: typeof value.host === 'string' ? value.host : '',
      what: typeof value.what === 'string' ? value.what : 'Tidings',
      since: typeof value.since === 'number' ? value.since : 0,
    }
  } catch {
    // Gone, or damaged (it only ever appears whole): nobody can be holding it.
    return null
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
