// The settings store in the desktop app: electron-store, which is `conf` with Electron's paths
// and version. Same options as plain Node's (src/main/store/settings-store.ts).
import Store from 'electron-store'
import type { StoredSettings } from '../store/settings-schema.ts'
import type { CreateStore } from '../store/settings-store.ts'
import { FILE_MODE } from '../store/store-fs.ts'

export const electronStore: CreateStore = ({ cwd, name, schema }) =>
  new Store<StoredSettings>({
    cwd,
    name,
    schema: schema as never,
    // Never throw the user's settings away: the file was validated just before.
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    watch: false,
    // Private to the user, like every file in the data folder.
    configFileMode: FILE_MODE,
  })
