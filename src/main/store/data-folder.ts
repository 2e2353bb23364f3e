// The data folder is the user's alone: created 0700, and on every start the folder and each
// file Tidings keeps in it are set back to 0700 / 0600 (an earlier version, a copy or an
// unpacked backup may have left them readable by others). Windows has no such modes: there
// the folder's inherited ACL (the user's profile) is what protects it.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { DIR_MODE, FILE_MODE, nodeFs, type StoreFs } from './store-fs.ts'

/** Files of ours: settings (and their backups), history, state; temp files beside them. */
const OURS = /^(settings|history|state)(\.[^/\\]*)?\.(json|jsonl)(\.tmp|\.sync\.tmp)?$/

export async function preparePrivateFolder(
  dir: string,
  options: { io?: StoreFs; platform?: NodeJS.Platform; log?: (message: string) => void } = {},
): Promise<void> {
  const io = options.io ?? nodeFs
  await io.mkdir(dir)
  if ((options.platform ?? process.platform) === 'win32') return
  const fix = async (path: string, mode: number): Promise<void> => {
    try {
      await io.chmod(path, mode)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        options.log?.(`Could not make ${path} private: ${(error as Error).message}`)
    }
  }
  await fix(dir, DIR_MODE)
  for (const name of await readdir(dir).catch(() => [] as string[]))
    if (OURS.test(name)) await fix(join(dir, name), FILE_MODE)
}
