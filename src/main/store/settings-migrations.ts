// Versioned migrations of the settings file, and salvage of a file that does not validate:
// every field and feed that is valid is kept, the rest is reported (the caller backs up the
// original file first, so nothing the user wrote is ever lost).
//
// Version 0 is the prototype's format (no `version` field):
//   { feeds: [{ id?, name, url, headers?: { [name]: value }, notifications?: boolean | mode,
//               idleTimeout?: ms, enabled? }],
//     quietHours?: { from, to } | null, maxPerMinute?: number, autostart?: boolean }
import { SETTINGS_VERSION } from '../../shared/settings.ts'
import { isManagedHeaderName, validateHeader } from '../../shared/validate.ts'
import { looksSecret } from './secrets.ts'
import { storedFeedSchema, storedSettingsSchema, type StoredSettings } from './settings-schema.ts'

type Raw = Record<string, unknown>
type Migration = (settings: Raw) => Raw

/** migrations[n] turns version n into version n + 1. */
export const migrations: Record<number, Migration> = {
  0: fromPrototype,
}

export interface MigrationResult {
  value: Raw
  from: number
  to: number
  /** Written by a newer Tidings: read as far as understood, never migrated backwards. */
  newer: boolean
}

export function settingsVersion(raw: Raw): number {
  const version = raw['version']
  return typeof version === 'number' && Number.isSafeInteger(version) && version >= 0 ? version : 0
}

export function migrateSettings(raw: Raw): MigrationResult {
  const from = settingsVersion(raw)
  if (from > SETTINGS_VERSION) return { value: raw, from, to: from, newer: true }
  let value = raw
  for (let version = from; version < SETTINGS_VERSION; version++) {
    const step = migrations[version]
    if (!step) throw new Error(`No settings migration from version ${version}.`)
    value = { ...step(value), version: version + 1 }
  }
  return { value, from, to: SETTINGS_VERSION, newer: false }
}

export interface Salvaged {
  value: StoredSettings
  /** What had to be dropped or reset, for the log ("feeds.2: URL is not valid."). */
  problems: string[]
}

/** Validates migrated settings, keeping every valid part of an invalid file. */
export function salvageSettings(raw: Raw): Salvaged {
  const whole = storedSettingsSchema.safeParse(raw)
  if (whole.success) return { value: whole.data, problems: [] }
  const problems: string[] = []
  const shape = storedSettingsSchema.shape
  const value: Raw = {}
  for (const key of Object.keys(shape) as Array<keyof typeof shape>) {
    if (key === 'feeds' || !(key in raw)) continue
    const field = shape[key].safeParse(raw[key])
    if (field.success) value[key] = field.data
    else problems.push(`${key}: ${field.error.issues[0]?.message ?? 'invalid'}; reset to default.`)
  }
  const feeds: unknown[] = []
  const ids = new Set<string>()
  const rawFeeds = Array.isArray(raw['feeds']) ? raw['feeds'] : []
  if (raw['feeds'] !== undefined && !Array.isArray(raw['feeds']))
    problems.push('feeds: not a list; no feed could be read.')
  rawFeeds.forEach((raw, index) => {
    // A header that can no longer be sent (rules tightened since it was saved) goes, not its feed.
    const candidate = withoutUnsendableHeaders(raw, (problem) =>
      problems.push(`feeds.${index}: ${problem}`),
    )
    const feed = storedFeedSchema.safeParse(candidate)
    if (!feed.success) {
      const issue = feed.error.issues[0]
      problems.push(
        `feeds.${index}.${issue?.path.join('.') ?? ''}: ${issue?.message}; feed left out.`,
      )
    } else if (ids.has(feed.data.id)) problems.push(`feeds.${index}: duplicate id; feed left out.`)
    else {
      ids.add(feed.data.id)
      feeds.push(feed.data)
    }
  })
  value['feeds'] = feeds.slice(0, 500)
  return { value: storedSettingsSchema.parse(value), problems }
}

function withoutUnsendableHeaders(feed: unknown, report: (problem: string) => void): unknown {
  if (!isObject(feed) || !Array.isArray(feed['headers'])) return feed
  const headers = feed['headers'].filter((header: unknown) => {
    if (!isObject(header) || typeof header['name'] !== 'string') return true
    if (!isManagedHeaderName(header['name'])) return true
    const result = validateHeader(header['name'], '')
    report(`header removed: ${result.ok ? header['name'] : result.error}`)
    return false
  })
  return headers.length === feed['headers'].length ? feed : { ...feed, headers }
}

function fromPrototype(old: Raw): Raw {
  const next: Raw = { ...old }
  delete next['maxPerMinute']
  delete next['autostart']
  if (typeof old['maxPerMinute'] === 'number') next['rateLimitPerMinute'] = old['maxPerMinute']
  if (typeof old['autostart'] === 'boolean') next['startAtLogin'] = old['autostart']
  const quiet = old['quietHours']
  if (isObject(quiet) && typeof quiet['from'] === 'string' && typeof quiet['to'] === 'string')
    next['quietHours'] = { enabled: true, start: quiet['from'], end: quiet['to'] }
  else delete next['quietHours']
  if (Array.isArray(old['feeds'])) next['feeds'] = old['feeds'].map(feedFromPrototype)
  return next
}

function feedFromPrototype(old: unknown, index: number): unknown {
  if (!isObject(old)) return old
  const feed: Raw = { ...old }
  delete feed['notifications']
  delete feed['idleTimeout']
  if (typeof feed['id'] !== 'string' || feed['id'] === '') feed['id'] = `feed-${index + 1}`
  const headers = old['headers']
  if (isObject(headers))
    feed['headers'] = Object.entries(headers).map(([name, value]) => ({
      name,
      value: String(value),
      // The prototype kept every header in clear; credentials are sealed when first loaded.
      secret: looksSecret(name),
    }))
  const notifications = old['notifications']
  if (notifications === true) feed['notify'] = 'smart'
  else if (notifications === false) feed['notify'] = 'none'
  else if (typeof notifications === 'string') feed['notify'] = notifications
  if (typeof old['idleTimeout'] === 'number')
    feed['idleTimeoutSec'] = Math.round(old['idleTimeout'] / 1000)
  return feed
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
