// The center's policy from the app's settings, so every caller derives it the same way.
import type { Settings } from '../../shared/settings.ts'
import type { NotifyPolicy } from './types.ts'

export function policyFromSettings(
  settings: Pick<
    Settings,
    'feeds' | 'quietHours' | 'rateLimitPerMinute' | 'disconnectAlertMinutes' | 'pause'
  >,
): NotifyPolicy {
  const feeds: NotifyPolicy['feeds'] = {}
  for (const feed of settings.feeds)
    feeds[feed.id] = { name: feed.name, snoozedUntil: feed.snoozedUntil ?? null }
  return {
    rateLimitPerMinute: settings.rateLimitPerMinute,
    disconnectAlertMinutes: settings.disconnectAlertMinutes,
    quietHours: { ...settings.quietHours },
    pause: settings.pause ? { until: settings.pause.until } : null,
    feeds,
  }
}
