// The settings schema: one zod schema validates settings from disk, from IPC and in the
// settings form, and its JSON Schema form is handed to electron-store.
import { z } from 'zod'
import { looksSecret } from './secret-headers.ts'
import { validateFeedUrl, validateHeader } from './validate.ts'

export const SETTINGS_VERSION = 1

export const headerSchema = z
  .object({
    name: z.string(),
    /** Clear text. For a secret header sent to the renderer this is '' and `stored` is true. */
    value: z.string(),
    /** Left out: secret when the name looks like a credential (Authorization, *token*, …). */
    secret: z.boolean().optional(),
    /** Renderer-facing only: a secret value exists in the store and is kept when value is ''. */
    stored: z.boolean().optional(),
  })
  .superRefine((header, ctx) => {
    const result = validateHeader(header.name, header.value)
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.error, path: ['name'] })
  })
  .transform((header) => ({ ...header, secret: header.secret ?? looksSecret(header.name) }))
export type HeaderSetting = z.infer<typeof headerSchema>

export const notifyModeSchema = z.union([
  z.enum(['smart', 'all', 'none']),
  z.object({ types: z.array(z.string().min(1).max(200)).max(100) }),
])

/** Dotted JSON paths that override the built-in field aliases (issue: field mapping). */
export const fieldMappingSchema = z
  .object({
    title: z.string().max(200),
    body: z.string().max(200),
    url: z.string().max(200),
    taskId: z.string().max(200),
    status: z.string().max(200),
    progress: z.string().max(200),
  })
  .partial()
export type FieldMapping = z.infer<typeof fieldMappingSchema>

export const feedSettingSchema = z.object({
  id: z.string().min(1).max(100),
  name: z
    .string()
    .trim()
    .min(1, 'Give the feed a name.')
    .max(100, 'Name is too long (at most 100).'),
  url: z.string().superRefine((url, ctx) => {
    const result = validateFeedUrl(url)
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.error })
  }),
  headers: z.array(headerSchema).max(50).default([]),
  enabled: z.boolean().default(true),
  notify: notifyModeSchema.default('smart'),
  /** Seconds without a byte before the connection counts as dead; 0 = off. */
  idleTimeoutSec: z.number().int().min(0).max(86_400).default(120),
  /** KiB; the largest event accepted. */
  maxEventSizeKiB: z.number().int().min(1).max(65_536).default(1024),
  /** One-shot stream: the end of the stream means the job finished. */
  oneShot: z.boolean().default(false),
  /** With oneShot: remove the feed once it has finished. */
  removeWhenFinished: z.boolean().default(false),
  /** CSS colour for the feed's badge, #rrggbb. */
  color: z
    .string()
    .regex(/^#[0-9a-f]{6}$/i)
    .optional(),
  preset: z.string().max(50).optional(),
  mapping: fieldMappingSchema.optional(),
  /** Epoch ms until which this feed raises no notifications. */
  snoozedUntil: z.number().int().nullable().default(null),
  /** Lowest priority (1-5) that notifies, for feeds that carry one. */
  minPriority: z.number().int().min(1).max(5).default(1),
  /** SHA-256 fingerprint of a self-signed certificate the user chose to trust. */
  trustedCertSha256: z
    .string()
    .regex(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/i,
      'A SHA-256 fingerprint looks like AB:CD:… (32 bytes).',
    )
    .optional(),
})
export type FeedSetting = z.infer<typeof feedSettingSchema>
export type FeedSettingInput = z.input<typeof feedSettingSchema>

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour).')

/** The feed list: at most 500, ids unique. Shared by the settings and their stored form. */
export function feedListSchema<T extends z.ZodType<{ id: string }>>(feed: T) {
  return z
    .array(feed)
    .max(500)
    .default([])
    .superRefine((feeds, ctx) => {
      const seen = new Set<string>()
      feeds.forEach((item, index) => {
        if (seen.has(item.id))
          ctx.addIssue({ code: 'custom', message: 'Duplicate feed id.', path: [index, 'id'] })
        seen.add(item.id)
      })
    })
}

export const settingsSchema = z.object({
  version: z.number().int().default(SETTINGS_VERSION),
  feeds: feedListSchema(feedSettingSchema),
  quietHours: z
    .object({
      enabled: z.boolean().default(false),
      start: clock.default('22:00'),
      end: clock.default('07:00'),
      /** Task failures notify even during quiet hours and pause. */
      failuresBreakThrough: z.boolean().default(true),
    })
    .default({ enabled: false, start: '22:00', end: '07:00', failuresBreakThrough: true }),
  /** Notifications per feed per minute before the rest are summarised. */
  rateLimitPerMinute: z.number().int().min(1).max(600).default(5),
  /** Minutes a feed may be disconnected before one notification says so; 0 = never. */
  disconnectAlertMinutes: z.number().int().min(0).max(1440).default(10),
  /** Notifications paused: null = not paused; until null = until resumed. */
  pause: z.object({ until: z.number().int().nullable() }).nullable().default(null),
  startAtLogin: z.boolean().default(false),
  /** macOS: show the app in the Dock and the app switcher too (a tray app stays out by default). */
  showInDock: z.boolean().default(false),
  /** Events kept in the persisted history. */
  historySize: z.number().int().min(100).max(1_000_000).default(10_000),
})
export type Settings = z.infer<typeof settingsSchema>
export type SettingsInput = z.input<typeof settingsSchema>

/** Error messages keyed by dotted path ("feeds.0.url"), for showing beside each field. */
export type FieldErrors = Record<string, string>

export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of error.issues) {
    const key = issue.path.join('.')
    errors[key] ??= issue.message
  }
  return errors
}

export function parseSettings(
  input: unknown,
): { ok: true; value: Settings } | { ok: false; errors: FieldErrors } {
  const result = settingsSchema.safeParse(input)
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: fieldErrors(result.error) }
}
