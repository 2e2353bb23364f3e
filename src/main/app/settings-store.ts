// electron-store holds the settings file, validated by the JSON Schema derived from the zod
// settings schema. The file is migrated and repaired first (settings-file.ts), so opening the
// store can never trip over an old or damaged file and clear it.
import { join } from 'node:path'
import Store from 'electron-store'
import type { SecretCipher } from './secrets.ts'
import { prepareSettingsFile, type PreparedSettings } from './settings-file.ts'
import { settingsJsonSchema, storedSettingsSchema, type StoredSettings } from './settings-schema.ts'
import { SettingsService } from './settings-service.ts'

export const SETTINGS_NAME = 'settings'

export interface OpenedSettings {
  service: SettingsService
  prepared: PreparedSettings
}

export async function openSettings(options: {
  dir: string
  cipher: SecretCipher
  log?: (message: string) => void
}): Promise<OpenedSettings> {
  const log = options.log ?? (() => {})
  const prepared = await prepareSettingsFile(
    join(options.dir, `${SETTINGS_NAME}.json`),
    options.cipher,
  )
  if (prepared.migratedFrom !== null)
    log(
      `Settings migrated from version ${prepared.migratedFrom}; the old file is ${prepared.backup}.`,
    )
  prepared.problems.forEach((problem) => log(`Settings: ${problem}`))

  const jsonSchema = settingsJsonSchema()
  const store = new Store<StoredSettings>({
    cwd: options.dir,
    name: SETTINGS_NAME,
    schema: jsonSchema['properties'] as never,
    // Never throw the user's settings away: the file was validated just before.
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    watch: false,
  })
  const fromStore = storedSettingsSchema.safeParse(store.store)
  const initial = fromStore.success ? fromStore.data : prepared.value
  const service = await SettingsService.create({
    initial,
    cipher: options.cipher,
    log,
    persist: (next) => {
      store.store = next
    },
  })
  return { service, prepared }
}
