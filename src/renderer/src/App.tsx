import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { StorageProblem, TidingsApi } from '../../shared/ipc.ts'
import { EventStore } from './state/event-store.ts'
import { useTidings } from './state/use-tidings.ts'
import { StreamTracker } from './tasks/streams.ts'
import { LogView, type FocusRequest } from './log/LogView.tsx'
import type { SettingsAsk, SettingsRequest } from './settings/SettingsPage.tsx'
import { TasksView } from './tasks/TasksView.tsx'
import { FeedsView } from './feeds/FeedsView.tsx'
import { PauseControl } from './PauseControl.tsx'
import { BrowserHeader } from './web/BrowserHeader.tsx'
import type { WebControls } from './web/http-api.ts'

// Settings (and the zod schema it validates with) load on first visit: a smaller first bundle.
const SettingsPage = lazy(() =>
  import('./settings/SettingsPage.tsx').then((module) => ({ default: module.SettingsPage })),
)

const VIEWS = [
  { id: 'log', label: 'Log' },
  { id: 'tasks', label: 'Tasks' },
  { id: 'feeds', label: 'Feeds' },
  { id: 'settings', label: 'Settings' },
] as const
type ViewId = (typeof VIEWS)[number]['id']

export function App(props: {
  api: TidingsApi
  store?: EventStore
  /** In a browser (tidings ui): the header that stands in for the tray. */
  web?: WebControls
}): React.JSX.Element {
  const { api } = props
  const store = useMemo(() => props.store ?? new EventStore(), [props.store])
  const streams = useMemo(() => new StreamTracker(), [])
  const [view, setView] = useState<ViewId>('log')
  const [settingsOpened, setSettingsOpened] = useState(false)
  if (view === 'settings' && !settingsOpened) setSettingsOpened(true)
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null)
  const [settingsRequest, setSettingsRequest] = useState<SettingsRequest | null>(null)
  /** Settings opens on a new feed, or on one feed (and tests it). */
  const askSettings = useCallback((request: SettingsAsk) => {
    setView('settings')
    setSettingsRequest((old) => ({ ...request, nonce: (old?.nonce ?? 0) + 1 }))
  }, [])
  const addFeed = useCallback(() => askSettings({ kind: 'add' }), [askSettings])
  const searchRef = useRef<HTMLInputElement>(null)
  const tabRefs = useRef(new Map<ViewId, HTMLButtonElement>())

  const onFocusEvent = useCallback((seq: number) => {
    setView('log')
    setFocusRequest((old) => ({ seq, nonce: (old?.nonce ?? 0) + 1 }))
  }, [])
  const state = useTidings(api, store, streams, onFocusEvent)
  const lastEvent = useCallback(
    (feedId: string) => {
      const events = store.all()
      for (let at = events.length - 1; at >= 0; at--)
        if (events[at]!.feedId === feedId) return events[at]!
      return null
    },
    [store],
  )

  // Ctrl/Cmd+F searches the log; Ctrl/Cmd+1..4 switch views.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return
      if (event.key === 'f' || event.key === 'F') {
        event.preventDefault()
        setView('log')
        requestAnimationFrame(() => {
          searchRef.current?.focus()
          searchRef.current?.select()
        })
        return
      }
      const index = ['1', '2', '3', '4'].indexOf(event.key)
      const target = VIEWS[index]
      if (target) {
        event.preventDefault()
        setView(target.id)
        focusView(target.id)
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  const onTabKeyDown = (event: React.KeyboardEvent): void => {
    const index = VIEWS.findIndex((candidate) => candidate.id === view)
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key]
    let next: number | undefined
    if (step !== undefined) next = (index + step + VIEWS.length) % VIEWS.length
    else if (event.key === 'Home') next = 0
    else if (event.key === 'End') next = VIEWS.length - 1
    if (next === undefined) return
    event.preventDefault()
    const target = VIEWS[next]!.id
    setView(target)
    tabRefs.current.get(target)?.focus()
  }

  const colors = useMemo(
    () => new Map(state.feeds.map((feed) => [feed.id, feed.color])),
    [state.feeds],
  )
  const savedFeeds = state.settings?.feeds ?? []
  const demoOnly = savedFeeds.length > 0 && savedFeeds.every((feed) => feed.preset === 'demo')
  const running = state.tasks.filter((task) => task.status === 'running').length
  const troubled = state.feeds.filter(
    (feed) => feed.state.kind === 'failed' || feed.state.kind === 'reconnecting',
  ).length
  const badges: Record<ViewId, string> = {
    log: '',
    tasks: running > 0 ? String(running) : '',
    feeds: troubled > 0 ? String(troubled) : '',
    settings: '',
  }

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Tidings">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Tidings
        </div>
        <div role="tablist" aria-orientation="vertical" aria-label="Views" onKeyDown={onTabKeyDown}>
          {VIEWS.map((item) => (
            <button
              key={item.id}
              ref={(element) => {
                if (element) tabRefs.current.set(item.id, element)
              }}
              type="button"
              role="tab"
              id={`tab-${item.id}`}
              aria-selected={view === item.id}
              aria-controls={`panel-${item.id}`}
              tabIndex={view === item.id ? 0 : -1}
              className="tab"
              onClick={() => setView(item.id)}
            >
              <span className="tab-label">{item.label}</span>
              {badges[item.id] ? (
                <span
                  className={`tab-badge${item.id === 'feeds' ? ' tone-busy' : ''}`}
                  aria-label={
                    item.id === 'feeds'
                      ? `${badges[item.id]} feeds need attention`
                      : `${badges[item.id]} running`
                  }
                >
                  {badges[item.id]}
                </span>
              ) : null}
            </button>
          ))}
        </div>
        {props.web ? null : (
          <div className="sidebar-foot">
            <PauseControl api={api} pause={state.settings?.pause ?? null} />
          </div>
        )}
      </nav>
      <main className="content">
        {props.web ? (
          <BrowserHeader
            api={api}
            web={props.web}
            feeds={state.feeds}
            tasks={state.tasks}
            pause={state.settings?.pause ?? null}
            onShowSettings={() => setView('settings')}
          />
        ) : null}
        {state.error ? (
          <p className="banner tinted tone-bad" role="alert">
            {state.error}
          </p>
        ) : null}
        {state.storage ? <StorageBanner problem={state.storage} /> : null}
        {VIEWS.map((item) => (
          <div
            key={item.id}
            role="tabpanel"
            id={`panel-${item.id}`}
            aria-labelledby={`tab-${item.id}`}
            className="panel"
            hidden={view !== item.id}
          >
            {item.id === 'log' ? (
              <LogView
                api={api}
                store={store}
                feeds={state.feeds}
                active={view === 'log'}
                searchRef={searchRef}
                focusRequest={focusRequest}
                demoOnly={demoOnly}
                onAddFeed={addFeed}
              />
            ) : item.id === 'settings' ? (
              // Stays mounted once opened, so unsaved edits survive a look at another view.
              settingsOpened ? (
                <Suspense fallback={<p className="muted loading">Loading settings…</p>}>
                  <SettingsPage
                    api={api}
                    settings={state.settings}
                    colors={colors}
                    lastEvent={lastEvent}
                    request={settingsRequest}
                  />
                </Suspense>
              ) : null
            ) : view !== item.id ? null : item.id === 'tasks' ? (
              <TasksView tasks={state.tasks} feeds={state.feeds} streams={streams} />
            ) : (
              <FeedsView
                api={api}
                feeds={state.feeds}
                loaded={state.loaded}
                onAddFeed={addFeed}
                onEditFeed={(feedId, test) => askSettings({ kind: 'edit', feedId, test })}
              />
            )}
          </div>
        ))}
      </main>
    </div>
  )
}

/**
 * Ctrl/Cmd+1..4: keyboard focus goes into the view, not left on the page (Settings loads on first
 * use, so it may take a few frames to be there).
 */
function focusView(id: ViewId): void {
  let tries = 0
  const attempt = (): void => {
    const view = document.querySelector<HTMLElement>(`#panel-${id} .view`)
    if (view && !view.closest('[hidden]')) view.focus()
    else if (tries++ < 30) requestAnimationFrame(attempt)
  }
  requestAnimationFrame(attempt)
}

/** A write to the data folder fails: what, and that nothing is given up (details a click away). */
function StorageBanner(props: { problem: StorageProblem }): React.JSX.Element {
  const { problem } = props
  return (
    <div className="banner tinted tone-bad storage-banner" role="alert">
      <p>
        <strong>
          Cannot write to {problem.folder}: {problem.reason}.
        </strong>{' '}
        Tidings keeps what it could not write and saves it as soon as the disk takes it again.
      </p>
      <details>
        <summary>Details</summary>
        <p className="mono">{problem.detail}</p>
      </details>
    </div>
  )
}
