// Which of Tidings' files cannot be written right now, and why, in the words the tray and the
// Feeds view show ("cannot write to ~/.config/Tidings: disk full"). The history, the state file
// and the settings report every failed and every successful write; a problem shows from the
// first failure until that file is written again.
import { dirname } from 'node:path'
import type { StorageProblem } from '../../shared/ipc.ts'

export interface WriteReporter {
  failed(file: string, error: unknown): void
  written(file: string): void
}

/** A reporter for stores used on their own (tests, tools): nothing is shown. */
export const silentReporter: WriteReporter = { failed: () => {}, written: () => {} }

const PLAIN: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the disk',
  EIO: 'the disk reported an input/output error',
  EROFS: 'the disk is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ENOENT: 'the folder is missing',
  ENOTDIR: 'the folder is missing',
  EBUSY: 'the file is in use by another program',
}

/** A write error in plain words ("disk full"), by its errno code. */
export function plainWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code
  if (code && PLAIN[code]) return PLAIN[code]
  return code ? `error ${code}` : 'unknown error'
}

export class WriteHealth implements WriteReporter {
  #now: () => number
  #problems = new Map<string, StorageProblem & { code: string }>()
  #listeners = new Set<() => void>()

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  failed(file: string, error: unknown): void {
    const code = (error as NodeJS.ErrnoException | null)?.code ?? 'unknown'
    if (this.#problems.get(file)?.code === code) return
    const folder = dirname(file)
    const reason = plainWriteError(error)
    this.#problems.set(file, {
      code,
      folder,
      reason,
      message: `cannot write to ${folder}: ${reason}`,
      detail: error instanceof Error ? error.message : String(error),
      since: this.#problems.get(file)?.since ?? this.#now(),
    })
    this.#changed()
  }

  written(file: string): void {
    if (this.#problems.delete(file)) this.#changed()
  }

  /** The oldest problem still there, or null when every file is being written. */
  current(): StorageProblem | null {
    const first = this.#problems.values().next()
    if (first.done) return null
    const { code: _code, ...problem } = first.value
    return problem
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #changed(): void {
    for (const listener of this.#listeners) listener()
  }
}
