// Gets the settings file into the current, valid shape before electron-store opens it:
// creates it on first run, migrates older versions, seals secrets an older version kept in
// clear, and salvages what validates from a damaged file. Whenever the file had to change for
// any reason but a first run, the original is kept beside it as a backup first, with every
// secret value taken out (backup-redact.ts): a backup never holds a credential in clear.
import { readdir } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { SETTINGS_VERSION } from '../../shared/settings.ts'
import { writeFileAtomic } from './atomic-file.ts'
import { BACKUP_NAME, redactBackup } from './backup-redact.ts'
import type { SecretCipher } from './secrets.ts'
import { sealClearSecrets } from './secrets.ts'
import { migrateSettings, salvageSettings } from './settings-migrations.ts'
import { firstRunSettings, type StoredSettings } from './settings-schema.ts'
import { nodeFs, type StoreFs } from './store-fs.ts'

export interface PreparedSettings {
  value: StoredSettings
  firstRun: boolean
  /** The version the file was migrated from, when it was. */
  migratedFrom: number | null
  /** Where the original file was copied before it was changed. */
  backup: string | null
  /** Everything that could not be kept as it was, in words for the log. */
  problems: string[]
}

export interface PrepareOptions {
  io?: StoreFs | undefined
  now?: () => number
}

export async function prepareSettingsFile(
  file: string,
  cipher: SecretCipher,
  options: PrepareOptions = {},
): Promise<PreparedSettings> {
  const io = options.io ?? nodeFs
  const now = options.now ?? Date.now
  const problems: string[] = []
  // About backups: told, but no reason to back the settings up again.
  const notes = await redactOldBackups(file, io)
  let bytes: Buffer
  try {
    bytes = await io.readFile(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    const value = firstRunSettings()
    await writeFileAtomic(file, serialize(value), { io })
    return { value, firstRun: true, migratedFrom: null, backup: null, problems: notes }
  }
  const text = bytes.toString('utf8')

  const backupPath = (why: string): string =>
    file.replace(/\.json$/, '') +
    `.${why}-${new Date(now()).toISOString().replace(/[:.]/g, '-')}.json`
  const keepBackup = async (why: string): Promise<string> => {
    const backup = backupPath(why)
    const redacted = redactBackup(bytes)
    await writeFileAtomic(backup, redacted.bytes, { io })
    if (redacted.removed > 0)
      notes.push(
        `The backup ${backup} leaves out ${redacted.removed} secret value(s); ` +
          'they are in the settings, sealed, or must be entered again where said.',
      )
    return backup
  }

  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    raw = undefined
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const backup = await keepBackup('unreadable')
    const value = firstRunSettings()
    await writeFileAtomic(file, serialize(value), { io })
    return {
      value,
      firstRun: false,
      migratedFrom: null,
      backup,
      problems: [`Settings file was not readable JSON; it was kept as ${backup}.`, ...notes],
    }
  }

  const migration = migrateSettings(raw as Record<string, unknown>)
  if (migration.newer)
    problems.push(
      `Settings were written by a newer Tidings (version ${migration.from}); ` +
        `only what this version (${SETTINGS_VERSION}) understands is kept.`,
    )
  problems.push(...(await sealClearSecrets(migration.value, cipher)))
  const salvaged = salvageSettings(migration.value)
  problems.push(...salvaged.problems)
  // What is written back is this version's file (the newer original stays in its backup), so
  // the next start reads it as current instead of backing it up again.
  if (migration.newer) salvaged.value.version = SETTINGS_VERSION

  const migrated = migration.from !== migration.to || migration.newer
  const changed = migrated || problems.length > 0 || serialize(salvaged.value) !== text
  let backup: string | null = null
  if (migrated || problems.length > 0)
    backup = await keepBackup(migrated ? `v${migration.from}` : 'invalid')
  if (changed) await writeFileAtomic(file, serialize(salvaged.value), { io })
  return {
    value: salvaged.value,
    firstRun: false,
    migratedFrom: migration.from !== migration.to ? migration.from : null,
    backup,
    problems: [...problems, ...notes],
  }
}

/** The same layout electron-store writes (tab-indented JSON). */
export function serialize(settings: StoredSettings): string {
  return JSON.stringify(settings, undefined, '\t')
}

/**
 * Backups an earlier Tidings wrote kept secrets in clear (a copy of a prototype file): take
 * them out now. Returns what to tell the log.
 */
async function redactOldBackups(file: string, io: StoreFs): Promise<string[]> {
  const dir = dirname(file)
  const stem = basename(file).replace(/\.json$/, '')
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  const said: string[] = []
  for (const name of names) {
    if (!BACKUP_NAME.test(name) || !name.startsWith(`${stem}.`)) continue
    const path = join(dir, name)
    try {
      const redacted = redactBackup(await io.readFile(path))
      if (redacted.removed === 0) continue
      await writeFileAtomic(path, redacted.bytes, { io })
      said.push(`Took ${redacted.removed} secret value(s) out of the old backup ${path}.`)
    } catch (error) {
      said.push(`Could not take the secrets out of the old backup ${path}: ${String(error)}`)
    }
  }
  return said
}
