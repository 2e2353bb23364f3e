// What the main bundle (the app's main process and the CLI) leaves to node_modules, in one place
// for `npm run build` and the benchmarks that measure the bundle as it ships.
//
// Everything else is bundled: loaded as packages, zod brings every locale it has and conf brings
// ajv's and semver's every file, which the process keeps as source and bytecode (about 15 MiB of
// RSS at start, measured); bundled, the build keeps only what the app uses.
import packageJson from './package.json' with { type: 'json' }

/**
 * Loaded at run time from node_modules: undici in parts, by path (src/main/feeds/network/
 * undici-parts.ts), which a bundler cannot follow; the keyring is a native addon.
 */
export const MAIN_EXTERNAL: readonly string[] = ['undici', '@napi-rs/keyring']

/** The runtime dependencies the main bundle carries inside it. */
export const MAIN_BUNDLED: readonly string[] = Object.keys(packageJson.dependencies).filter(
  (name) => !MAIN_EXTERNAL.includes(name),
)
