// The settings file, validated by the JSON Schema derived from the zod settings schema. The file
// is migrated and repaired first (settings-file.ts), so opening the store can never trip over an
// old or damaged file and clear it. Plain Node uses `conf`; the Electron shell passes
// electron-store (the same engine, with Electron's paths) through `createStore`.
import { join } from 'node:path'
import Conf from 'conf'
import type { SecretCipher } from './secrets.ts'
import { prepareSettingsFile, type PreparedSettings } from './settings-file.ts'
import { settingsJsonSchema, storedSettingsSchema, type StoredSettings } from './settings-schema.ts'
import { SettingsService } from './settings-service.ts'
import { FILE_MODE, type StoreFs } from './store-fs.ts'
import type { WriteReporter } from './write-health.ts'

export const SETTINGS_NAME = 'settings'

/** What both `conf` and electron-store are: a whole-object store on one JSON file. */
export interface SettingsStore {
  store: StoredSettings
}

export interface StoreOptions {
  cwd: string
  name: string
  schema: Record<string, unknown>
}

export type CreateStore = (options: StoreOptions) => SettingsStore

/** `conf` with the options the settings need: never clear an invalid file, no dot paths. */
export const confStore: CreateStore = ({ cwd, name, schema }) =>
  new Conf<StoredSettings>({
    cwd,
    configName: name,
    schema: schema as never,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    watch: false,
    // Private to the user, like every file in the data folder.
    configFileMode: FILE_MODE,
  })

export interface OpenedSettings {
  service: SettingsService
  prepared: PreparedSettings
}

export async function openSettings(options: {
  dir: string
  cipher: SecretCipher
  log?: (message: string) => void
  createStore?: CreateStore
  io?: StoreFs
  reporter?: WriteReporter
}): Promise<OpenedSettings> {
  const log = options.log ?? (() => {})
  const file = join(options.dir, `${SETTINGS_NAME}.json`)
  const prepared = await prepareSettingsFile(file, options.cipher, { io: options.io })
  if (prepared.migratedFrom !== null)
    log(
      `Settings migrated from version ${prepared.migratedFrom}; the old file is ${prepared.backup}.`,
    )
  prepared.problems.forEach((problem) => log(`Settings: ${problem}`))

  const store = (options.createStore ?? confStore)({
    cwd: options.dir,
    name: SETTINGS_NAME,
    schema: settingsJsonSchema()['properties'] as Record<string, unknown>,
  })
  const fromStore = storedSettingsSchema.safeParse(store.store)
  const initial = fromStore.success ? fromStore.data : prepared.value
  const service = await SettingsService.create({
    initial,
    cipher: options.cipher,
    log,
    file,
    ...(options.reporter ? { reporter: options.reporter } : {}),
    persist: (next) => {
      store.store = next
    },
  })
  return { service, prepared }
}
