// The center's policy from the app's settings, so every caller derives it the same way.
import { plainText } from '../../shared/decide/text.ts'
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

/** The feed's name as notifications say it: its setting, else its id. */
export function feedName(policy: NotifyPolicy, feedId: string): string {
  const name = policy.feeds[feedId]?.name
  return plainText(typeof name === 'string' && name.trim() ? name : feedId, 60)
}

/** Until when the feed is snoozed, or null when it is not (or no longer). */
export function snoozedUntil(policy: NotifyPolicy, feedId: string, now: number): number | null {
  const until = policy.feeds[feedId]?.snoozedUntil
  return typeof until === 'number' && now < until ? until : null
}
