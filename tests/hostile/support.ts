// Builders shared by the hostile-input tables.
import { PassThrough } from 'node:stream'
import { main } from '../../src/main/cli.ts'
import type { SecretCipher } from '../../src/main/store/secrets.ts'
import { storedSettingsSchema, type StoredSettings } from '../../src/main/store/settings-schema.ts'
import { SettingsService } from '../../src/main/store/settings-service.ts'

/** Runs the CLI in-process; resolves with its exit code and what it printed. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const code = await main(argv, {
    stdout,
    stderr,
    env,
    platform: 'linux',
    interrupt: new AbortController().signal,
  })
  return { code, stdout: out, stderr: err }
}

export const plainCipher: SecretCipher = {
  isAvailable: async () => true,
  encrypt: async (plain) => Buffer.from(`sealed:${plain}`).toString('base64'),
  decrypt: async (sealed) => ({
    value: Buffer.from(sealed, 'base64')
      .toString()
      .replace(/^sealed:/, ''),
    reseal: false,
  }),
}

/** A settings service holding one good feed, with every write it persists recorded. */
export async function settingsWithOneFeed(): Promise<{
  service: SettingsService
  persisted: StoredSettings[]
  before: StoredSettings
}> {
  const persisted: StoredSettings[] = []
  const before = storedSettingsSchema.parse({
    feeds: [{ id: 'ci', name: 'CI', url: 'https://ci.example.com/events' }],
  })
  const service = await SettingsService.create({
    initial: before,
    cipher: plainCipher,
    persist: (next) => persisted.push(next),
  })
  return { service, persisted, before }
}
