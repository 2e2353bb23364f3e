// Shared steps of the preset tests: the app (fake 'electron' only) with one feed added the way
// "Add feed" adds it (a preset's feed, saved through settings:save so secrets are sealed).
import type { FeedStatus, SaveResult, SettingsView } from '../../src/shared/ipc.ts'
import type { FeedSettingInput } from '../../src/shared/settings.ts'
import { FakeNotification } from '../setup/electron.ts'
import { feedSettings, startApp, type Harness } from '../app/support/app-harness.ts'
import { eventually } from '../support/eventually.ts'

export async function appWithFeed(
  feed: FeedSettingInput,
  options: { userData?: string } = {},
): Promise<Harness> {
  const app = await startApp({ settings: feedSettings([]), ...options })
  await app.connect()
  const current = (await app.invoke('settings:get')) as SettingsView
  const { encryptionAvailable: _unused, ...settings } = current
  const result = (await app.invoke('settings:save', { ...settings, feeds: [feed] })) as SaveResult
  if (!result.ok) throw new Error(`Could not save the feed: ${JSON.stringify(result.errors)}`)
  return app
}

/**
 * The feed as the Feeds view would show it now. Read from the core, not through snapshot:get:
 * a snapshot tells the push queue the window has every event so far, so events still queued
 * would never be pushed, and what a test waits for in the pushes would depend on timing.
 */
export async function feedStatus(app: Harness, feedId: string): Promise<FeedStatus> {
  const feed = app.running.core.board.list().find((f) => f.id === feedId)
  if (!feed) throw new Error(`No feed ${feedId}`)
  return feed
}

/** Event types that reached the log (pushed to the window), in order. */
export function loggedTypes(app: Harness): string[] {
  return app.pushedEvents().map((event) => event.type)
}

export async function waitForLogged(app: Harness, count: number): Promise<void> {
  await eventually(() => {
    if (app.pushedEvents().length < count)
      throw new Error(`${app.pushedEvents().length} of ${count} events logged`)
  })
}

export function shown(): Array<{ title: string; body: string; urgency: unknown }> {
  return FakeNotification.shownOnes().map((n) => ({
    title: n.title,
    body: n.body,
    urgency: n.options['urgency'],
  }))
}
