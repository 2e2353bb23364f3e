// Settings as stored on disk: the shared settings schema, except that a secret header keeps its
// value sealed (encrypted by safeStorage, base64) and never in clear. Also the first-run
// defaults and the JSON Schema handed to electron-store.
import { z } from 'zod'
import {
  feedListSchema,
  feedSettingSchema,
  SETTINGS_VERSION,
  settingsSchema,
  type FeedSetting,
} from '../../shared/settings.ts'
import { validateHeader } from '../../shared/validate.ts'

export const storedHeaderSchema = z
  .object({
    name: z.string(),
    /** Clear text for ordinary headers; always '' for a secret one. */
    value: z.string(),
    secret: z.boolean().default(false),
    /** A secret header's value, encrypted with safeStorage, base64. */
    sealed: z.string().max(100_000).optional(),
  })
  .superRefine((header, ctx) => {
    const result = validateHeader(header.name, header.value)
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.error, path: ['name'] })
    if (header.secret && header.value !== '')
      ctx.addIssue({
        code: 'custom',
        message: 'A secret is never stored in clear.',
        path: ['value'],
      })
  })
export type StoredHeader = z.output<typeof storedHeaderSchema>

export const storedFeedSchema = feedSettingSchema.extend({
  headers: z.array(storedHeaderSchema).max(50).default([]),
})
export type StoredFeed = z.output<typeof storedFeedSchema>

export const storedSettingsSchema = settingsSchema.extend({
  feeds: feedListSchema(storedFeedSchema),
})
export type StoredSettings = z.output<typeof storedSettingsSchema>

/**
 * The demo feed is served from inside the app on a port that changes between runs; settings keep
 * this stable address and the app substitutes the running server's URL (resume works because
 * the last event id is kept per feed id, not per URL).
 */
export const DEMO_FEED_URL = 'http://127.0.0.1/tidings-demo'
export const DEMO_FEED_ID = 'demo'

export function demoFeed(): FeedSetting {
  return feedSettingSchema.parse({
    id: DEMO_FEED_ID,
    name: 'Demo feed',
    url: DEMO_FEED_URL,
    preset: 'demo',
    color: '#3b82f6',
  })
}

/** What a first run starts with: defaults and the built-in demo feed. */
export function firstRunSettings(): StoredSettings {
  return storedSettingsSchema.parse({ version: SETTINGS_VERSION, feeds: [demoFeed()] })
}

/**
 * The JSON Schema electron-store validates the file with (input form: defaults may be absent).
 * Regex flags do not survive the conversion, so patterns are left to zod, which runs first.
 */
export function settingsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(storedSettingsSchema, { io: 'input', unrepresentable: 'any' })
  return stripPatterns(schema) as Record<string, unknown>
}

function stripPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripPatterns)
  if (typeof node !== 'object' || node === null) return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof value === 'string') continue
    out[key] = stripPatterns(value)
  }
  return out
}
