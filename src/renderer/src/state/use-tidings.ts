// Connects the window to main through `window.tidings`: subscribes to every push, loads the
// snapshot, then tells main it is ready. The log's events go to the EventStore (outside React
// state, so a batch costs an append, not a copy); the rest is ordinary React state.
import { useEffect, useState } from 'react'
import type {
  FeedStatus,
  LoggedEvent,
  SettingsView,
  StorageProblem,
  TaskView,
  TidingsApi,
} from '../../../shared/ipc.ts'
import type { EventStore } from './event-store.ts'
import type { StreamTracker } from '../tasks/streams.ts'

export interface TidingsState {
  loaded: boolean
  feeds: FeedStatus[]
  tasks: TaskView[]
  settings: SettingsView | null
  /** A write to the data folder is failing (a full disk), or null. */
  storage: StorageProblem | null
  error: string | null
}

export function useTidings(
  api: TidingsApi,
  store: EventStore,
  streams: StreamTracker,
  onFocusEvent: (seq: number) => void,
): TidingsState {
  const [state, setState] = useState<TidingsState>({
    loaded: false,
    feeds: [],
    tasks: [],
    settings: null,
    storage: null,
    error: null,
  })

  useEffect(() => {
    let live = true
    const takeEvents = (events: LoggedEvent[]): void => {
      streams.observe(store.append(events))
    }
    const unsubscribe = [
      api.onEvents(takeEvents),
      api.onFeeds((feeds) => setState((old) => ({ ...old, feeds }))),
      api.onTasks((tasks) => setState((old) => ({ ...old, tasks }))),
      api.onSettings((settings) => setState((old) => ({ ...old, settings }))),
      api.onFocusEvent((seq) => onFocusEvent(seq)),
      api.onStorage?.((storage) => setState((old) => ({ ...old, storage }))) ?? (() => {}),
    ]
    Promise.all([api.getSnapshot(), api.getSettings()])
      .then(([snapshot, settings]) => {
        if (!live) return
        takeEvents(snapshot.events)
        setState({
          loaded: true,
          feeds: snapshot.feeds,
          tasks: snapshot.tasks,
          settings,
          storage: snapshot.storage ?? null,
          error: null,
        })
        return api.ready()
      })
      .catch((error: unknown) => {
        if (live)
          setState((old) => ({ ...old, loaded: true, error: `Could not load: ${String(error)}` }))
      })
    return () => {
      live = false
      for (const stop of unsubscribe) stop()
    }
  }, [api, store, streams, onFocusEvent])

  return state
}
