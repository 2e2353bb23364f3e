// The settings form's working copy and its validation. The draft is plain Settings (numbers may
// be NaN while a field is empty); saving validates the whole draft with the shared zod schema,
// so the form shows the same messages main would and never sends anything half-valid.
import type { FeedSetting, FieldErrors, Settings, SettingsInput } from '../../../shared/settings.ts'
import { settingsSchema } from '../../../shared/settings.ts'
import type { SettingsView } from '../../../shared/ipc.ts'
import { secretMovedMessage, secretsLeftBehind } from '../../../shared/secret-headers.ts'

export type Draft = Settings

export function draftFromView(view: SettingsView): Draft {
  const { encryptionAvailable: _unused, ...settings } = view
  return structuredClone(settings)
}

export function newFeedId(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `feed-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
}

export function newFeed(): FeedSetting {
  return {
    id: newFeedId(),
    name: '',
    url: '',
    headers: [],
    enabled: true,
    notify: 'smart',
    idleTimeoutSec: 120,
    maxEventSizeKiB: 1024,
    oneShot: false,
    removeWhenFinished: false,
    snoozedUntil: null,
    minPriority: 1,
  }
}

/**
 * What Save sends: the draft, except state other views change while the form is open
 * (notification pause, per-feed snooze), which is taken from the latest saved settings.
 */
export function draftToInput(draft: Draft, latest: SettingsView | null): SettingsInput {
  const snoozes = new Map(latest?.feeds.map((feed) => [feed.id, feed.snoozedUntil]) ?? [])
  return {
    ...draft,
    pause: latest ? latest.pause : draft.pause,
    feeds: draft.feeds.map((feed) => ({
      ...feed,
      snoozedUntil: snoozes.has(feed.id) ? (snoozes.get(feed.id) ?? null) : feed.snoozedUntil,
    })),
  }
}

export type Validated = { ok: true; value: Settings } | { ok: false; errors: FieldErrors }

/** `saved`: the settings as saved, so a stored secret is not taken to a feed's new origin. */
export function validateDraft(
  input: SettingsInput,
  encryptionAvailable: boolean,
  saved?: SettingsView | null,
): Validated {
  const errors: FieldErrors = {}
  const savedUrls = new Map(saved?.feeds.map((feed) => [feed.id, feed.url]) ?? [])
  input.feeds?.forEach((feed, feedIndex) => {
    for (const headerIndex of secretsLeftBehind(feed, savedUrls.get(feed.id)))
      errors[`feeds.${feedIndex}.headers.${headerIndex}.value`] = secretMovedMessage(feed.url)
  })
  const result = settingsSchema.safeParse(input)
  if (!result.success)
    for (const issue of result.error.issues)
      errors[issue.path.join('.')] ??= friendly(issue.message)
  if (!encryptionAvailable)
    input.feeds?.forEach((feed, feedIndex) =>
      feed.headers?.forEach((header, headerIndex) => {
        if (header.secret && header.value !== '')
          errors[`feeds.${feedIndex}.headers.${headerIndex}.value`] ??=
            'This system offers no encrypted storage, so secret headers cannot be saved.'
      }),
    )
  if (Object.keys(errors).length > 0 || !result.success) return { ok: false, errors }
  return { ok: true, value: result.data }
}

/** zod's generic number messages, said the way a person would. */
export function friendly(message: string): string {
  if (/received NaN/.test(message)) return 'Enter a number.'
  if (/expected int/.test(message)) return 'Enter a whole number.'
  const small = /Too small: expected number to be >=?\s*(-?[\d.]+)/.exec(message)
  if (small) return `Must be at least ${small[1]}.`
  const big = /Too big: expected number to be <=?\s*(-?[\d.]+)/.exec(message)
  if (big) return `Must be at most ${big[1]}.`
  return message
}

/** Index of the first feed that has an error, or -1. */
export function firstFeedWithError(errors: FieldErrors): number {
  let first = -1
  for (const key of Object.keys(errors)) {
    const match = /^feeds\.(\d+)\./.exec(key)
    if (match) {
      const index = Number(match[1])
      if (first === -1 || index < first) first = index
    }
  }
  return first
}

/** Errors of one feed, keyed by the path inside the feed ("url", "headers.0.name"). */
export function feedErrors(errors: FieldErrors, index: number): FieldErrors {
  const prefix = `feeds.${index}.`
  const own: FieldErrors = {}
  for (const [key, message] of Object.entries(errors))
    if (key.startsWith(prefix)) own[key.slice(prefix.length)] = message
  return own
}

const LABELS: Record<string, string> = {
  name: 'Name',
  url: 'URL',
  idleTimeoutSec: 'Idle timeout',
  maxEventSizeKiB: 'Largest event',
  notify: 'Notifications',
  color: 'Colour',
  minPriority: 'Lowest priority',
  trustedCertSha256: 'Trusted certificate',
  'quietHours.start': 'Quiet hours start',
  'quietHours.end': 'Quiet hours end',
  rateLimitPerMinute: 'Rate limit',
  disconnectAlertMinutes: 'Disconnect alert',
  historySize: 'History size',
}

/** "Feed 2 (Builds), URL" for the error summary. */
export function describePath(path: string, nameOf: (index: number) => string | undefined): string {
  const match = /^feeds\.(\d+)\.?(.*)$/.exec(path)
  if (!match) return LABELS[path] ?? path
  const index = Number(match[1])
  const name = nameOf(index)?.trim()
  const field = match[2] ?? ''
  const header = /^headers\.(\d+)\.(name|value)$/.exec(field)
  const fieldLabel = header
    ? `header ${Number(header[1]) + 1} ${header[2]}`
    : (LABELS[field] ?? (field || 'feed'))
  return `Feed ${index + 1}${name ? ` (${name})` : ''}, ${fieldLabel}`
}
