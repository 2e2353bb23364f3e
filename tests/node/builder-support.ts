// electron-builder's own config loader and schema validator, reached through electron-builder so
// the test uses exactly the app-builder-lib that `npm run dist` uses.
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import type { Configuration } from 'electron-builder'

export const ROOT = resolve(import.meta.dirname, '../..')
export const CONFIG_FILE = 'electron-builder.config.ts'

const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'))

export function builderModule<T>(path: string): T {
  return fromBuilder(`app-builder-lib/out/${path}`) as T
}

const fromBuilderLib = createRequire(fromBuilder.resolve('app-builder-lib/package.json'))

/** YAML as electron-builder reads it (js-yaml, one of its own dependencies). */
export function parseYaml(text: string): unknown {
  return (fromBuilderLib('js-yaml') as { load(text: string): unknown }).load(text)
}

/** An Apple property list as electron-builder's own plist parser reads it. */
export function parsePlist(text: string): Record<string, unknown> {
  return (fromBuilderLib('plist') as { parse(text: string): Record<string, unknown> }).parse(text)
}

/** A file shipped in app-builder-lib (templates and the like). */
export function builderFile(path: string): string {
  return join(dirname(fromBuilder.resolve('app-builder-lib/package.json')), path)
}

interface ConfigModule {
  getConfig(
    projectDir: string,
    configPath: string | null,
    fromOptions: null,
  ): Promise<Configuration>
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>
}
interface BuilderUtil {
  DebugLogger: new (enabled: boolean) => unknown
}

const configModule = builderModule<ConfigModule>('util/config/config.js')
const { DebugLogger } = fromBuilder('builder-util') as BuilderUtil

/** The configuration as `electron-builder --config electron-builder.config.ts` reads it. */
export function loadBuilderConfig(): Promise<Configuration> {
  return configModule.getConfig(ROOT, CONFIG_FILE, null)
}

/** Throws electron-builder's own "Invalid configuration object" error for a bad config. */
export function validateBuilderConfig(config: Configuration): Promise<void> {
  return configModule.validateConfiguration(config, new DebugLogger(false))
}
