// A file layer for the store that fails the calls a test chooses, over the real file system:
// a disk that fills up after N bytes (the write that crosses it is cut short, the next ones fail
// with ENOSPC), an error at the nth call of an operation on a path (EFBIG, EIO…), and gates
// that hold an operation until the test releases it (a write still under way). Everything else
// happens for real in the test's temp folder.
import { basename } from 'node:path'
import { nodeFs, type StoreFs } from '../../src/main/store/store-fs.ts'

export type FaultCode = 'ENOSPC' | 'EFBIG' | 'EIO' | 'EDQUOT' | 'EROFS' | 'EACCES'

const MESSAGES: Record<FaultCode, string> = {
  ENOSPC: 'no space left on device',
  EFBIG: 'file too large',
  EIO: 'i/o error',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
}

export type Op = Exclude<keyof StoreFs, `${string}Sync`>
/** Sync calls count as their async operation ('writeSync' is a 'write'). */
type AnyOp = keyof StoreFs

export interface FaultRule {
  op: Op
  /** Matches the file's name (for descriptor calls: the file it was opened as). */
  file?: string | RegExp
  code: FaultCode
  /** Fails from the nth matching call on (1-based; default the next one). */
  nth?: number
  /** How many calls fail (default: every one until heal()). */
  times?: number
}

export function fsError(code: FaultCode, syscall: string, path = ''): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${MESSAGES[code]}, ${syscall} '${path}'`), {
    code,
    syscall,
    path,
  })
}

interface Gate {
  op: Op
  file: string | RegExp | undefined
  reached: () => void
  release: Promise<void>
}

export class FaultyFs {
  readonly io: StoreFs
  /** Every call, as "op name" (the file's base name). */
  readonly calls: string[] = []
  #rules: Array<FaultRule & { seen: number; left: number }> = []
  #space: number | null = null
  #gates: Gate[] = []
  #paths = new Map<number, string>()

  constructor(base: StoreFs = nodeFs) {
    this.io = this.#wrap(base)
  }

  /** Fails matching calls (see FaultRule). */
  fail(rule: FaultRule): this {
    this.#rules.push({ ...rule, seen: 0, left: rule.times ?? Infinity })
    return this
  }

  /** The disk takes `bytes` more bytes of writes, then every write fails with ENOSPC. */
  fillAfter(bytes: number): this {
    this.#space = bytes
    return this
  }

  /** Space is back and no call fails any more. */
  heal(): void {
    this.#rules = []
    this.#space = null
  }

  /**
   * The next matching call waits until the returned release() is called; `reached` resolves when
   * the call has started waiting.
   */
  hold(op: Op, file?: string | RegExp): { reached: Promise<void>; release: () => void } {
    let release!: () => void
    let reached!: () => void
    const whenReached = new Promise<void>((resolve) => (reached = resolve))
    const released = new Promise<void>((resolve) => (release = resolve))
    this.#gates.push({ op, file, reached, release: released })
    return { reached: whenReached, release }
  }

  count(op: Op, file?: string | RegExp): number {
    return this.calls.filter((call) => {
      const [name, path = ''] = call.split(' ')
      return name === op && matches(file, path)
    }).length
  }

  #check(op: AnyOp, path: string): void {
    const name = op.replace(/Sync$/, '') as Op
    this.calls.push(`${name} ${basename(path)}`)
    for (const rule of this.#rules) {
      if (rule.op !== name || !matches(rule.file, basename(path))) continue
      rule.seen++
      if (rule.seen >= (rule.nth ?? 1) && rule.left > 0) {
        rule.left--
        throw fsError(rule.code, name, path)
      }
    }
  }

  async #gate(op: Op, path: string): Promise<void> {
    const index = this.#gates.findIndex((g) => g.op === op && matches(g.file, basename(path)))
    if (index < 0) return
    const [gate] = this.#gates.splice(index, 1)
    gate?.reached()
    await gate?.release
  }

  /** How much of a write of `length` bytes the disk takes (throws when it takes none). */
  #room(length: number, path: string, syscall: string): number {
    if (this.#space === null) return length
    if (this.#space <= 0) throw fsError('ENOSPC', syscall, path)
    const taken = Math.min(length, this.#space)
    this.#space -= taken
    return taken
  }

  #wrap(base: StoreFs): StoreFs {
    const pathOf = (fd: number) => this.#paths.get(fd) ?? `fd ${fd}`
    const call = async <T>(op: Op, path: string, run: () => Promise<T>): Promise<T> => {
      await this.#gate(op, path)
      this.#check(op, path)
      return run()
    }
    const callSync = <T>(op: AnyOp, path: string, run: () => T): T => {
      this.#check(op, path)
      return run()
    }
    return {
      readFile: (path) => call('readFile', path, () => base.readFile(path)),
      open: (path, flags) =>
        call('open', path, async () => {
          const fd = await base.open(path, flags)
          this.#paths.set(fd, path)
          return fd
        }),
      write: (fd, data, position) =>
        call('write', pathOf(fd), () => {
          const taken = this.#room(data.byteLength, pathOf(fd), 'write')
          return base.write(fd, data.subarray(0, taken), position)
        }),
      ftruncate: (fd, length) => call('ftruncate', pathOf(fd), () => base.ftruncate(fd, length)),
      fsync: (fd) => call('fsync', pathOf(fd), () => base.fsync(fd)),
      close: (fd) =>
        call('close', pathOf(fd), async () => {
          this.#paths.delete(fd)
          await base.close(fd)
        }),
      rename: (from, to) => call('rename', to, () => base.rename(from, to)),
      unlink: (path) => call('unlink', path, () => base.unlink(path)),
      mkdir: (path) => call('mkdir', path, () => base.mkdir(path)),
      chmod: (path, mode) => call('chmod', path, () => base.chmod(path, mode)),
      openSync: (path, flags) =>
        callSync('openSync', path, () => {
          const fd = base.openSync(path, flags)
          this.#paths.set(fd, path)
          return fd
        }),
      writeSync: (fd, data, position) =>
        callSync('writeSync', pathOf(fd), () => {
          const taken = this.#room(data.byteLength, pathOf(fd), 'write')
          return base.writeSync(fd, data.subarray(0, taken), position)
        }),
      ftruncateSync: (fd, length) =>
        callSync('ftruncateSync', pathOf(fd), () => base.ftruncateSync(fd, length)),
      fsyncSync: (fd) => callSync('fsyncSync', pathOf(fd), () => base.fsyncSync(fd)),
      closeSync: (fd) =>
        callSync('closeSync', pathOf(fd), () => {
          this.#paths.delete(fd)
          base.closeSync(fd)
        }),
      renameSync: (from, to) => callSync('renameSync', to, () => base.renameSync(from, to)),
      unlinkSync: (path) => callSync('unlinkSync', path, () => base.unlinkSync(path)),
    }
  }
}

function matches(pattern: string | RegExp | undefined, name: string): boolean {
  if (pattern === undefined) return true
  return typeof pattern === 'string' ? name === pattern : pattern.test(name)
}
