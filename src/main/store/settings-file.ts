// Gets the settings file into the current, valid shape before electron-store opens it:
// creates it on first run, migrates older versions, seals secrets an older version kept in
// clear, and salvages what validates from a damaged file. Whenever the file had to change for
// any reason but a first run, the original is kept beside it as a backup first.
import { copyFile, readFile } from 'node:fs/promises'
import { SETTINGS_VERSION } from '../../shared/settings.ts'
import { writeFileAtomic } from './atomic-file.ts'
import type { SecretCipher } from './secrets.ts'
import { sealClearSecrets } from './secrets.ts'
import { migrateSettings, salvageSettings } from './settings-migrations.ts'
import { firstRunSettings, type StoredSettings } from './settings-schema.ts'

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

export async function prepareSettingsFile(
  file: string,
  cipher: SecretCipher,
  now: () => number = Date.now,
): Promise<PreparedSettings> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    const value = firstRunSettings()
    await writeFileAtomic(file, serialize(value))
    return { value, firstRun: true, migratedFrom: null, backup: null, problems: [] }
  }

  const backupPath = (why: string): string =>
    file.replace(/\.json$/, '') +
    `.${why}-${new Date(now()).toISOString().replace(/[:.]/g, '-')}.json`

  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    raw = undefined
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const backup = backupPath('unreadable')
    await copyFile(file, backup)
    const value = firstRunSettings()
    await writeFileAtomic(file, serialize(value))
    return {
      value,
      firstRun: false,
      migratedFrom: null,
      backup,
      problems: [`Settings file was not readable JSON; it was kept as ${backup}.`],
    }
  }

  const migration = migrateSettings(raw as Record<string, unknown>)
  const problems: string[] = []
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
  if (migrated || problems.length > 0) {
    backup = backupPath(migrated ? `v${migration.from}` : 'invalid')
    await copyFile(file, backup)
  }
  if (changed) await writeFileAtomic(file, serialize(salvaged.value))
  return {
    value: salvaged.value,
    firstRun: false,
    migratedFrom: migration.from !== migration.to ? migration.from : null,
    backup,
    problems,
  }
}

/** The same layout electron-store writes (tab-indented JSON). */
export function serialize(settings: StoredSettings): string {
  return JSON.stringify(settings, undefined, '\t')
}
