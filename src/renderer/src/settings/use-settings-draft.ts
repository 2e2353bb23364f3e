// The Settings form's state: the draft being edited, its errors, which feed is selected, the
// save status, and what the form does (edit, save, revert, import). The view components only
// show it; this is the one place the draft changes.
import { useEffect, useRef, useState } from 'react'
import { focusSoon } from '../ui/focus.ts'
import { NOTICE_MS } from '../ui/use-notice.ts'
import type { SettingsView, TidingsApi } from '../../../shared/ipc.ts'
import type { FeedSetting, FieldErrors } from '../../../shared/settings.ts'
import {
  draftFromView,
  draftToInput,
  firstFeedWithError,
  validateDraft,
  type Draft,
} from './draft.ts'
import { importFeeds } from './feeds-json.ts'

export interface SettingsStatus {
  tone: 'ok' | 'bad' | 'info'
  text: string
  /** A refused save: the bar counts the fields still wrong, as they are fixed or removed. */
  invalid?: boolean
}

/** Where the save status is shown (SaveBar): focus goes there after Save and Revert. */
export const STATUS_ID = 'settings-status'

export interface SettingsDraft {
  /** Null until the saved settings arrived. */
  draft: Draft | null
  dirty: boolean
  errors: FieldErrors
  /** The selected feed's index (within the draft's feeds, or -1 when there is none). */
  index: number
  select(index: number): void
  status: SettingsStatus | null
  setStatus(status: SettingsStatus | null): void
  saving: boolean
  edit(next: Draft): void
  setFeeds(feeds: FeedSetting[]): void
  move(from: number, to: number): void
  /** Validates and saves the draft (or `next`); messages go beside the fields when refused. */
  save(next?: Draft): Promise<void>
  revert(): void
  importFile(file: File): Promise<void>
}

/** After Save and Revert their button is disabled: focus goes to what they did, not <body>. */
function focusStatus(): void {
  focusSoon(STATUS_ID)
}

export function useSettingsDraft(api: TidingsApi, settings: SettingsView | null): SettingsDraft {
  const [draft, setDraft] = useState<Draft | null>(() =>
    settings ? draftFromView(settings) : null,
  )
  const [dirty, setDirty] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [selected, setSelected] = useState(0)
  const [status, setStatusNow] = useState<SettingsStatus | null>(null)
  const [saving, setSaving] = useState(false)
  const showErrors = useRef(false)
  const fade = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  // Confirmations fade; what is wrong stays until it is fixed.
  const setStatus = (next: SettingsStatus | null): void => {
    clearTimeout(fade.current)
    setStatusNow(next)
    if (next && next.tone !== 'bad') fade.current = setTimeout(() => setStatusNow(null), NOTICE_MS)
  }
  useEffect(() => () => clearTimeout(fade.current), [])

  // Saved settings replace the form unless the user is editing it. Only a view that arrived
  // since the draft was last taken counts: when Save or Revert clear `dirty`, the view in hand may
  // be older than what Save returned (its push still on the way), and must not bring it back.
  const applied = useRef(settings)
  const latest = useRef(settings)
  latest.current = settings
  useEffect(() => {
    if (!settings || dirty || settings === applied.current) return
    applied.current = settings
    setDraft(draftFromView(settings))
  }, [settings, dirty])

  const encryptionAvailable = settings?.encryptionAvailable ?? false
  const index = draft ? Math.min(selected, draft.feeds.length - 1) : -1

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
  const setFeeds = (feeds: FeedSetting[]): void => {
    if (draft) edit({ ...draft, feeds })
  }

  const move = (from: number, to: number): void => {
    if (!draft || to < 0 || to >= draft.feeds.length) return
    const feeds = [...draft.feeds]
    const [moved] = feeds.splice(from, 1)
    feeds.splice(to, 0, moved!)
    setFeeds(feeds)
    if (selected === from) setSelected(to)
  }

  const save = async (next: Draft | null = draft): Promise<void> => {
    if (!next || !settings) return
    setDraft(next)
    const input = draftToInput(next, settings)
    const result = validateDraft(input, encryptionAvailable, settings)
    if (!result.ok) {
      showErrors.current = true
      setErrors(result.errors)
      setStatus({ tone: 'bad', text: 'Nothing was saved.', invalid: true })
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
        applied.current = latest.current
        setDraft(draftFromView(saved.settings))
        setStatus(
          saved.sessionOnly
            ? {
                tone: 'info',
                text:
                  'Applied until Tidings quits, not saved: it runs the feeds given with --feed ' +
                  'and leaves your saved settings as they are.',
              }
            : { tone: 'ok', text: 'Settings saved.' },
        )
        focusStatus()
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
    if (!settings) return
    showErrors.current = false
    setErrors({})
    setDirty(false)
    applied.current = settings
    setDraft(draftFromView(settings))
    setStatus({ tone: 'info', text: 'Changes discarded.' })
    focusStatus()
  }

  const importFile = async (file: File): Promise<void> => {
    if (!draft) return
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

  return {
    draft,
    dirty,
    errors,
    index,
    select: setSelected,
    status,
    setStatus,
    saving,
    edit,
    setFeeds,
    move,
    save,
    revert,
    importFile,
  }
}
