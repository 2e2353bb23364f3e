import { useEffect, useRef, useState } from 'react'
import type { LoggedEvent, SettingsView, TidingsApi } from '../../../shared/ipc.ts'
import type { FeedSetting, FieldErrors } from '../../../shared/settings.ts'
import { Check, Field, describedBy, numberValue, parseNumber } from '../ui/Field.tsx'
import { downloadText } from '../ui/download.ts'
import {
  describePath,
  draftFromView,
  draftToInput,
  feedErrors,
  firstFeedWithError,
  newFeed,
  newFeedId,
  validateDraft,
  type Draft,
} from './draft.ts'
import { exportFeeds, importFeeds } from './feeds-json.ts'
import { FeedEditor } from './FeedEditor.tsx'
import { NotificationHealthPanel } from './NotificationHealthPanel.tsx'
import { PresetPicker } from './presets/PresetPicker.tsx'
import { WatchJobForm } from './WatchJobForm.tsx'

interface Status {
  tone: 'ok' | 'bad' | 'info'
  text: string
}

export function SettingsPage(props: {
  api: TidingsApi
  settings: SettingsView | null
  /** Colours main assigned to feeds without one of their own. */
  colors: ReadonlyMap<string, string>
  /** The last logged event of a feed (the field mapping's preview). */
  lastEvent?: (feedId: string) => LoggedEvent | null
}): React.JSX.Element {
  const { api, settings, colors } = props
  const [draft, setDraft] = useState<Draft | null>(() =>
    settings ? draftFromView(settings) : null,
  )
  const [dirty, setDirty] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [selected, setSelected] = useState(0)
  const [status, setStatus] = useState<Status | null>(null)
  const [saving, setSaving] = useState(false)
  const [pickingPreset, setPickingPreset] = useState(false)
  const [watchingJob, setWatchingJob] = useState(false)
  const fileRef = useRef<HTMLInputElement>(null)
  const showErrors = useRef(false)

  // Saved settings replace the form unless the user is editing it.
  useEffect(() => {
    if (settings && !dirty) setDraft(draftFromView(settings))
  }, [settings, dirty])

  if (!draft || !settings)
    return (
      <section className="view settings-view" aria-label="Settings">
        <p className="muted">Loading settings…</p>
      </section>
    )

  const encryptionAvailable = settings.encryptionAvailable
  const edit = (next: Draft): void => {
    setDraft(next)
    setDirty(true)
    if (status?.tone !== 'bad') setStatus(null)
    // Once a save was refused, messages follow the fixes as they are typed.
    if (showErrors.current) {
      const result = validateDraft(draftToInput(next, settings), encryptionAvailable, settings)
      setErrors(result.ok ? {} : result.errors)
    }
  }
  const setFeeds = (feeds: FeedSetting[]): void => edit({ ...draft, feeds })
  const index = Math.min(selected, draft.feeds.length - 1)
  const feed = draft.feeds[index]

  const move = (from: number, to: number): void => {
    if (to < 0 || to >= draft.feeds.length) return
    const feeds = [...draft.feeds]
    const [moved] = feeds.splice(from, 1)
    feeds.splice(to, 0, moved!)
    setFeeds(feeds)
    if (selected === from) setSelected(to)
  }

  const save = async (next: Draft = draft): Promise<void> => {
    const input = draftToInput(next, settings)
    const result = validateDraft(input, encryptionAvailable, settings)
    if (!result.ok) {
      showErrors.current = true
      setErrors(result.errors)
      const count = Object.keys(result.errors).length
      setStatus({
        tone: 'bad',
        text: `Nothing was saved: ${count} ${count === 1 ? 'field needs' : 'fields need'} fixing.`,
      })
      const feedIndex = firstFeedWithError(result.errors)
      if (feedIndex >= 0) setSelected(feedIndex)
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>('.settings-view [aria-invalid="true"]')?.focus(),
      )
      return
    }
    setSaving(true)
    try {
      const saved = await api.saveSettings(result.value)
      if (saved.ok) {
        showErrors.current = false
        setErrors({})
        setDirty(false)
        setDraft(draftFromView(saved.settings))
        setStatus({ tone: 'ok', text: 'Settings saved.' })
      } else {
        showErrors.current = true
        setErrors(saved.errors)
        const feedIndex = firstFeedWithError(saved.errors)
        if (feedIndex >= 0) setSelected(feedIndex)
        setStatus({ tone: 'bad', text: 'Nothing was saved: the app refused some fields.' })
      }
    } catch (error) {
      setStatus({ tone: 'bad', text: `Nothing was saved: ${String(error)}` })
    } finally {
      setSaving(false)
    }
  }

  const revert = (): void => {
    showErrors.current = false
    setErrors({})
    setDirty(false)
    setDraft(draftFromView(settings))
    setStatus({ tone: 'info', text: 'Changes discarded.' })
  }

  const onImport = async (file: File): Promise<void> => {
    const result = importFeeds(await file.text())
    if (!result.ok) {
      setStatus({ tone: 'bad', text: `Import failed, nothing was added: ${result.error}` })
      return
    }
    setFeeds([...draft.feeds, ...result.feeds])
    setSelected(draft.feeds.length)
    const count = result.feeds.length
    setStatus({
      tone: 'info',
      text: `Imported ${count} ${count === 1 ? 'feed' : 'feeds'}. Review, then Save.`,
    })
  }

  const general = (key: string): string | undefined => errors[key]
  const errorList = Object.entries(errors)

  return (
    <section className="view settings-view" aria-label="Settings">
      <header className="view-header">
        <h1>Settings</h1>
      </header>
      <div className="settings-body">
        <div className="settings-feeds">
          <div className="settings-feeds-list">
            <h2 className="section-title">Feeds</h2>
            {draft.feeds.length === 0 ? <p className="muted">No feeds. Add one to start.</p> : null}
            <ol className="feed-picker" aria-label="Configured feeds">
              {draft.feeds.map((item, at) => {
                const hasError = Object.keys(feedErrors(errors, at)).length > 0
                return (
                  <li key={item.id} className={at === index ? 'selected' : ''}>
                    <button
                      type="button"
                      className="feed-pick"
                      aria-current={at === index ? 'true' : undefined}
                      onClick={() => {
                        setSelected(at)
                        setPickingPreset(false)
                      }}
                    >
                      <span
                        className="feed-dot"
                        style={{ background: item.color ?? colors.get(item.id) ?? 'var(--muted)' }}
                        aria-hidden="true"
                      />
                      <span className="feed-pick-text">
                        <span className="feed-pick-name">
                          {item.name.trim() || '(unnamed)'}
                          {hasError ? <span className="error-mark"> — needs fixing</span> : null}
                          {!item.enabled ? <span className="muted"> · disabled</span> : null}
                        </span>
                        <span className="feed-pick-url">{item.url || 'no URL yet'}</span>
                      </span>
                    </button>
                    <span className="reorder">
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Move ${item.name || 'feed'} up`}
                        disabled={at === 0}
                        onClick={() => move(at, at - 1)}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Move ${item.name || 'feed'} down`}
                        disabled={at === draft.feeds.length - 1}
                        onClick={() => move(at, at + 1)}
                      >
                        ↓
                      </button>
                    </span>
                  </li>
                )
              })}
            </ol>
            <div className="button-row">
              <button
                type="button"
                className="primary"
                onClick={() => {
                  setPickingPreset(false)
                  setWatchingJob(false)
                  setFeeds([...draft.feeds, newFeed()])
                  setSelected(draft.feeds.length)
                  requestAnimationFrame(() => document.getElementById('feed-name')?.focus())
                }}
              >
                Add feed
              </button>
              <button
                type="button"
                onClick={() => {
                  setWatchingJob(false)
                  setPickingPreset(true)
                }}
              >
                Add from a preset…
              </button>
              <button
                type="button"
                onClick={() => {
                  setPickingPreset(false)
                  setWatchingJob(true)
                }}
              >
                Watch a job…
              </button>
              <button type="button" onClick={() => fileRef.current?.click()}>
                Import…
              </button>
              <button
                type="button"
                disabled={settings.feeds.length === 0}
                onClick={() => {
                  downloadText(
                    'tidings-feeds.json',
                    exportFeeds(settings.feeds),
                    'application/json',
                  )
                  setStatus({
                    tone: 'info',
                    text: `Exported ${settings.feeds.length} saved feeds (secrets left out).`,
                  })
                }}
              >
                Export
              </button>
              <input
                ref={fileRef}
                type="file"
                accept="application/json,.json"
                aria-label="Import feeds from a JSON file"
                className="visually-hidden"
                tabIndex={-1}
                onChange={(event) => {
                  const file = event.target.files?.[0]
                  event.target.value = ''
                  if (file) void onImport(file)
                }}
              />
            </div>
          </div>
          {watchingJob ? (
            <WatchJobForm
              newId={newFeedId}
              onWatch={(job) => {
                // Watching starts at once: the job is added and the settings saved.
                const next = { ...draft, feeds: [...draft.feeds, job] }
                setDraft(next)
                setDirty(true)
                setSelected(draft.feeds.length)
                setWatchingJob(false)
                void save(next)
              }}
              onCancel={() => setWatchingJob(false)}
            />
          ) : pickingPreset ? (
            <PresetPicker
              newId={newFeedId}
              onAdd={(added) => {
                setFeeds([...draft.feeds, added])
                setSelected(draft.feeds.length)
                setPickingPreset(false)
                setStatus({ tone: 'info', text: `Added ${added.name}. Review, then Save.` })
              }}
              onCancel={() => setPickingPreset(false)}
            />
          ) : feed ? (
            <FeedEditor
              key={feed.id}
              api={api}
              feed={feed}
              defaultColor={colors.get(feed.id)}
              errors={feedErrors(errors, index)}
              encryptionAvailable={encryptionAvailable}
              savedUrl={settings.feeds.find((saved) => saved.id === feed.id)?.url}
              lastEvent={props.lastEvent?.(feed.id) ?? null}
              onChange={(next) =>
                setFeeds(draft.feeds.map((item, at) => (at === index ? next : item)))
              }
              onRemove={() => {
                setFeeds(draft.feeds.filter((_, at) => at !== index))
                setSelected(Math.max(0, index - 1))
              }}
            />
          ) : null}
        </div>

        <h2 className="section-title">Notifications</h2>
        <div className="form-grid general">
          <NotificationHealthPanel api={api} />
          <div className="field span-all">
            <Check
              id="quiet-enabled"
              label="Quiet hours"
              checked={draft.quietHours.enabled}
              onChange={(enabled) =>
                edit({ ...draft, quietHours: { ...draft.quietHours, enabled } })
              }
            />
          </div>
          <Field
            id="quiet-start"
            label="Quiet from"
            error={general('quietHours.start')}
            className="narrow"
          >
            <input
              {...describedBy('quiet-start', general('quietHours.start'))}
              value={draft.quietHours.start}
              placeholder="22:00"
              onChange={(event) =>
                edit({ ...draft, quietHours: { ...draft.quietHours, start: event.target.value } })
              }
            />
          </Field>
          <Field
            id="quiet-end"
            label="Quiet until"
            error={general('quietHours.end')}
            className="narrow"
          >
            <input
              {...describedBy('quiet-end', general('quietHours.end'))}
              value={draft.quietHours.end}
              placeholder="07:00"
              onChange={(event) =>
                edit({ ...draft, quietHours: { ...draft.quietHours, end: event.target.value } })
              }
            />
          </Field>
          <div className="field span-2">
            <Check
              id="quiet-failures"
              label="Task failures break through quiet hours and pause"
              checked={draft.quietHours.failuresBreakThrough}
              onChange={(failuresBreakThrough) =>
                edit({ ...draft, quietHours: { ...draft.quietHours, failuresBreakThrough } })
              }
            />
          </div>
          <Field
            id="rate-limit"
            label="Rate limit (per feed per minute)"
            error={general('rateLimitPerMinute')}
            hint="Beyond this, one summary says how many more arrived."
          >
            <input
              {...describedBy('rate-limit', general('rateLimitPerMinute'), true)}
              type="number"
              min={1}
              max={600}
              value={numberValue(draft.rateLimitPerMinute)}
              onChange={(event) =>
                edit({ ...draft, rateLimitPerMinute: parseNumber(event.target.value) })
              }
            />
          </Field>
          <Field
            id="disconnect-alert"
            label="Disconnect alert (minutes)"
            error={general('disconnectAlertMinutes')}
            hint="Notify once when a feed stays down this long; 0 = never."
          >
            <input
              {...describedBy('disconnect-alert', general('disconnectAlertMinutes'), true)}
              type="number"
              min={0}
              max={1440}
              value={numberValue(draft.disconnectAlertMinutes)}
              onChange={(event) =>
                edit({ ...draft, disconnectAlertMinutes: parseNumber(event.target.value) })
              }
            />
          </Field>
        </div>

        <h2 className="section-title">App</h2>
        <div className="form-grid general">
          <Field
            id="history-size"
            label="History size (events)"
            error={general('historySize')}
            hint="Events kept on disk across restarts."
          >
            <input
              {...describedBy('history-size', general('historySize'), true)}
              type="number"
              min={100}
              max={1000000}
              value={numberValue(draft.historySize)}
              onChange={(event) => edit({ ...draft, historySize: parseNumber(event.target.value) })}
            />
          </Field>
          <div className="field">
            <Check
              id="start-at-login"
              label="Start at login"
              checked={draft.startAtLogin}
              onChange={(startAtLogin) => edit({ ...draft, startAtLogin })}
            />
          </div>
          <div className="field">
            <Check
              id="show-in-dock"
              label="Show in Dock"
              hint="macOS: also in the Dock and the app switcher; off, Tidings lives in the menu bar only."
              checked={draft.showInDock}
              onChange={(showInDock) => edit({ ...draft, showInDock })}
            />
          </div>
        </div>
      </div>

      <footer className="settings-footer">
        {errorList.length > 0 ? (
          <details className="error-summary">
            <summary>
              {errorList.length} {errorList.length === 1 ? 'problem' : 'problems'}
            </summary>
            <ul>
              {errorList.map(([path, message]) => (
                <li key={path}>
                  {describePath(path, (at) => draft.feeds[at]?.name)}: {message}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        <p className={`save-status ${status?.tone ?? ''}`} role="status">
          {status?.text ?? (dirty ? 'Unsaved changes.' : '')}
        </p>
        <span className="toolbar-spacer" />
        <button type="button" onClick={revert} disabled={!dirty || saving}>
          Revert
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void save()}
          disabled={!dirty || saving}
        >
          {saving ? 'Saving…' : 'Save'}
        </button>
      </footer>
    </section>
  )
}
