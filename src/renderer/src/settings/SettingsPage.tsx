// The Settings view: the feed list beside the selected feed's editor (or a form that adds one),
// then the notification and app settings, and the save bar. Its state is useSettingsDraft's.
import { useEffect, useState } from 'react'
import type { LoggedEvent, SettingsView, TidingsApi } from '../../../shared/ipc.ts'
import { downloadText } from '../ui/download.ts'
import { focusSoon } from '../ui/focus.ts'
import { AppSettings } from './AppSettings.tsx'
import { feedErrors, newFeed, newFeedId } from './draft.ts'
import { exportFeeds } from './feeds-json.ts'
import { FeedEditor } from './FeedEditor.tsx'
import { FeedList } from './FeedList.tsx'
import { NotificationSettings } from './NotificationSettings.tsx'
import { PresetPicker } from './presets/PresetPicker.tsx'
import { SaveBar } from './SaveBar.tsx'
import { STATUS_ID, useSettingsDraft } from './use-settings-draft.ts'
import { WatchJobForm } from './WatchJobForm.tsx'
import './settings.css'

type Adding = 'preset' | 'job' | null

/** Another view asks Settings for something: a new feed, or one feed (tested at once). */
export type SettingsAsk = { kind: 'add' } | { kind: 'edit'; feedId: string; test?: boolean }
export type SettingsRequest = SettingsAsk & { nonce: number }

export function SettingsPage(props: {
  api: TidingsApi
  settings: SettingsView | null
  /** Colours main assigned to feeds without one of their own. */
  colors: ReadonlyMap<string, string>
  /** The last logged event of a feed (the field mapping's preview). */
  lastEvent?: (feedId: string) => LoggedEvent | null
  request?: SettingsRequest | null
}): React.JSX.Element {
  const { api, settings, colors, request } = props
  const form = useSettingsDraft(api, settings)
  const [adding, setAdding] = useState<Adding>(null)
  /** A feed to test as soon as its editor shows (asked from the Feeds view). */
  const [autoTest, setAutoTest] = useState<string | null>(null)
  const [handled, setHandled] = useState(0)
  const { draft, errors, index } = form

  const addFeed = (): void => {
    if (!draft) return
    setAdding(null)
    form.setFeeds([...draft.feeds, newFeed()])
    form.select(draft.feeds.length)
    focusSoon('feed-name')
  }

  // Handled once each, once the draft is there.
  useEffect(() => {
    if (!request || request.nonce === handled || !draft) return
    setHandled(request.nonce)
    if (request.kind === 'add') addFeed()
    else {
      const at = draft.feeds.findIndex((feed) => feed.id === request.feedId)
      if (at < 0) return
      setAdding(null)
      form.select(at)
      if (request.test) setAutoTest(request.feedId)
      focusSoon('feed-name')
    }
  })

  if (!draft || !settings)
    return (
      <section className="view settings-view" aria-label="Settings" tabIndex={-1}>
        <p className="muted">Loading settings…</p>
      </section>
    )

  const feed = draft.feeds[index]
  return (
    <section className="view settings-view" aria-label="Settings" tabIndex={-1}>
      <header className="view-header">
        <h1>Settings</h1>
      </header>
      <div className="settings-body">
        <div className="settings-feeds">
          <FeedList
            feeds={draft.feeds}
            errors={errors}
            index={index}
            colors={colors}
            canExport={settings.feeds.length > 0}
            onSelect={(at) => {
              form.select(at)
              setAdding(null)
            }}
            onMove={form.move}
            onAdd={addFeed}
            onAddPreset={() => setAdding('preset')}
            onWatchJob={() => setAdding('job')}
            onImport={(file) => void form.importFile(file)}
            onExport={() => {
              downloadText('tidings-feeds.json', exportFeeds(settings.feeds), 'application/json')
              form.setStatus({
                tone: 'info',
                text: `Exported ${settings.feeds.length} saved feeds (secrets left out).`,
              })
            }}
          />
          {adding === 'job' ? (
            <WatchJobForm
              newId={newFeedId}
              onWatch={(job) => {
                // Watching starts at once: the job is added and the settings saved.
                const next = { ...draft, feeds: [...draft.feeds, job] }
                form.edit(next)
                form.select(draft.feeds.length)
                setAdding(null)
                void form.save(next)
              }}
              onCancel={() => setAdding(null)}
            />
          ) : adding === 'preset' ? (
            <PresetPicker
              api={api}
              newId={newFeedId}
              onAdd={(added) => {
                form.setFeeds([...draft.feeds, added])
                form.select(draft.feeds.length)
                setAdding(null)
                form.setStatus({ tone: 'info', text: `Added ${added.name}. Review, then Save.` })
                focusSoon('feed-name')
              }}
              onCancel={() => setAdding(null)}
            />
          ) : feed ? (
            <FeedEditor
              key={feed.id}
              api={api}
              feed={feed}
              defaultColor={colors.get(feed.id)}
              errors={feedErrors(errors, index)}
              encryptionAvailable={settings.encryptionAvailable}
              savedUrl={settings.feeds.find((saved) => saved.id === feed.id)?.url}
              lastEvent={props.lastEvent?.(feed.id) ?? null}
              autoTest={autoTest === feed.id}
              onAutoTested={() => setAutoTest(null)}
              onChange={(next) =>
                form.setFeeds(draft.feeds.map((item, at) => (at === index ? next : item)))
              }
              onRemove={() => {
                const name = feed.name.trim() || 'The feed'
                form.setFeeds(draft.feeds.filter((_, at) => at !== index))
                form.select(Math.max(0, index - 1))
                form.setStatus({ tone: 'info', text: `${name} removed. Save to keep it so.` })
                focusSoon(STATUS_ID)
              }}
            />
          ) : null}
        </div>
        <NotificationSettings api={api} draft={draft} errors={errors} edit={form.edit} />
        <AppSettings draft={draft} errors={errors} edit={form.edit} />
      </div>
      <SaveBar
        draft={draft}
        errors={errors}
        status={form.status}
        dirty={form.dirty}
        saving={form.saving}
        onRevert={form.revert}
        onSave={() => void form.save()}
      />
    </section>
  )
}
