// What the tray shows, derived from plain data: the overall state (and so the icon), the
// tooltip, and the context menu. The menu carries everything, because on Linux the tray may
// ignore clicks. tray.ts only hands the result to Electron.
import { join } from 'node:path'
import type { FeedState } from '../../shared/feed.ts'
import type { FeedStatus, PauseRequest, StorageProblem } from '../../shared/ipc.ts'
import type { Settings } from '../../shared/settings.ts'
import { isKeyringWait, KEYRING_WAIT } from '../../shared/secret-headers.ts'
import { isSnoozed, SNOOZE_CHOICES, snoozeUntil } from '../../shared/snooze.ts'
import { describePause } from './pause.ts'

export type TrayState = 'ok' | 'reconnecting' | 'failed' | 'paused'

/** Stopped on purpose: not a problem to show. */
const CALM_STOPS = new Set(['disabled', 'finished'])

function isFailed(state: FeedState): boolean {
  return state.kind === 'failed' || (state.kind === 'stopped' && !CALM_STOPS.has(state.reason))
}

/**
 * A failure needs the user, so it wins (a feed's, or a data folder that cannot be written);
 * then a pause (the user's choice, easily forgotten); then feeds on their way back; otherwise
 * all is well.
 */
export function trayState(
  feeds: readonly FeedStatus[],
  paused: boolean,
  cannotWrite = false,
): TrayState {
  const live = feeds.filter((feed) => feed.enabled)
  if (cannotWrite || live.some((feed) => isFailed(feed.state))) return 'failed'
  if (paused) return 'paused'
  if (live.some((f) => f.state.kind === 'reconnecting' || f.state.kind === 'connecting'))
    return 'reconnecting'
  return 'ok'
}

/** The per-platform asset: template images on macOS (the @2x is found beside it), .ico on Windows. */
export function trayIconPath(
  resources: string,
  state: TrayState,
  platform: NodeJS.Platform,
): string {
  const dir = join(resources, 'tray')
  if (platform === 'darwin') return join(dir, `tray-${state}Template.png`)
  if (platform === 'win32') return join(dir, `tray-${state}.ico`)
  return join(dir, `tray-${state}.png`)
}

export function stateLabel(state: FeedState): string {
  switch (state.kind) {
    case 'connecting':
      return 'connecting…'
    case 'open':
      return 'connected'
    case 'reconnecting':
      return isKeyringWait(state.reason) ? KEYRING_WAIT : `reconnecting (attempt ${state.attempt})`
    case 'stopped':
      // One word for a feed the user paused, as the window says it.
      if (state.reason === 'disabled') return 'paused'
      return CALM_STOPS.has(state.reason) ? state.reason : `stopped: ${state.reason}`
    case 'failed':
      return `failed: ${state.reason}`
  }
}

export interface TraySummary {
  feeds: readonly FeedStatus[]
  tasks: { running: number; progress: number | null }
  pause: Settings['pause']
  now: number
  /** A write to the data folder is failing (a full disk): shown first until it clears. */
  storage?: StorageProblem | null
}

/** "Cannot write to <folder>: disk full" in at most `max` characters (the folder is shortened). */
export function storageLine(problem: StorageProblem, max: number): string {
  const line = (folder: string) => `Cannot write to ${folder}: ${problem.reason}`
  const full = line(problem.folder)
  if (full.length <= max) return full
  const room = max - line('').length - 1
  if (room < 8) return `Cannot write: ${problem.reason}`.slice(0, max)
  return line(`…${problem.folder.slice(-room)}`)
}

/** Windows cuts tray tooltips at 127 characters. */
export const TOOLTIP_MAX = 127

export function trayTooltip(summary: TraySummary): string {
  const lines = ['Tidings']
  if (summary.storage) lines.push(storageLine(summary.storage, TOOLTIP_MAX - 'Tidings\n'.length))
  const live = summary.feeds.filter((feed) => feed.enabled)
  if (live.length === 0) lines.push('No feeds')
  else {
    const open = live.filter((f) => f.state.kind === 'open').length
    const failed = live.filter((f) => isFailed(f.state)).length
    const waiting = live.filter(
      (f) => f.state.kind === 'reconnecting' || f.state.kind === 'connecting',
    ).length
    const parts = [`${open} of ${live.length} feed${live.length === 1 ? '' : 's'} connected`]
    if (waiting > 0) parts.push(`${waiting} reconnecting`)
    if (failed > 0) parts.push(`${failed} failed`)
    lines.push(parts.join(', '))
  }
  const { running, progress } = summary.tasks
  if (running > 0)
    lines.push(
      `${running} task${running === 1 ? '' : 's'} running` +
        (progress === null ? '' : ` (${Math.round(progress * 100)}%)`),
    )
  if (summary.pause) lines.push(`Notifications paused ${describePause(summary.pause, summary.now)}`)
  const text = lines.join('\n')
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`
}

/** The subset of Electron's MenuItemConstructorOptions the tray uses. */
export interface MenuItemModel {
  label?: string
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu'
  enabled?: boolean
  checked?: boolean
  submenu?: MenuItemModel[]
  click?: () => void
}

export interface TrayActions {
  openLog(): void
  openSettings(): void
  pause(request: PauseRequest): void
  reconnect(feedId: string): void
  /** Snoozes one feed's notifications until then (null: unsnooze). Absent: no snooze items. */
  snooze?(feedId: string, until: number | null): void
  setStartAtLogin(enabled: boolean): void
  quit(): void
}

export interface TrayMenuModel extends TraySummary {
  startAtLogin: boolean
}

const MENU_LABEL_MAX = 60

export function trayMenu(model: TrayMenuModel, actions: TrayActions): MenuItemModel[] {
  const pauseItems: MenuItemModel[] = model.pause
    ? [
        { label: `Notifications paused ${describePause(model.pause, model.now)}`, enabled: false },
        { label: 'Resume notifications', click: () => actions.pause({ kind: 'resume' }) },
      ]
    : [
        {
          label: 'Pause notifications',
          submenu: [
            {
              label: 'For 1 hour',
              click: () => actions.pause({ kind: 'for-minutes', minutes: 60 }),
            },
            { label: 'Until tomorrow', click: () => actions.pause({ kind: 'until-tomorrow' }) },
            { label: 'Until resumed', click: () => actions.pause({ kind: 'until-resumed' }) },
          ],
        },
      ]
  const feedItems: MenuItemModel[] =
    model.feeds.length === 0
      ? [{ label: 'No feeds yet', enabled: false }]
      : model.feeds.map((feed) => ({
          label: clip(`${feed.name} — ${feed.enabled ? stateLabel(feed.state) : 'paused'}`),
          submenu: [
            { label: clip(feed.enabled ? stateLabel(feed.state) : 'paused'), enabled: false },
            // Reconnecting a paused feed resumes it (the core's rule, as in the window).
            {
              label: feed.enabled ? 'Reconnect now' : 'Resume',
              click: () => actions.reconnect(feed.id),
            },
            ...snoozeItems(feed, model.now, actions),
          ],
        }))
  const storageItems: MenuItemModel[] = model.storage
    ? [{ label: storageLine(model.storage, MENU_LABEL_MAX), enabled: false }, { type: 'separator' }]
    : []
  return [
    ...storageItems,
    { label: 'Open log', click: () => actions.openLog() },
    { type: 'separator' },
    ...pauseItems,
    { type: 'separator' },
    ...feedItems,
    { type: 'separator' },
    { label: 'Settings…', click: () => actions.openSettings() },
    {
      label: 'Start at login',
      type: 'checkbox',
      checked: model.startAtLogin,
      click: () => actions.setStartAtLogin(!model.startAtLogin),
    },
    { type: 'separator' },
    { label: 'Quit Tidings', click: () => actions.quit() },
  ]
}

/** "Snooze notifications" with 30 min / 1 h / until tomorrow, or the running snooze and its end. */
function snoozeItems(feed: FeedStatus, now: number, actions: TrayActions): MenuItemModel[] {
  const snooze = actions.snooze
  if (!snooze) return []
  if (isSnoozed(feed.snoozedUntil, now))
    return [
      { type: 'separator' },
      {
        label: `Snoozed ${describePause({ until: feed.snoozedUntil }, now)}`,
        enabled: false,
      },
      { label: 'Unsnooze', click: () => snooze(feed.id, null) },
    ]
  return [
    { type: 'separator' },
    {
      label: 'Snooze notifications',
      submenu: SNOOZE_CHOICES.map(({ choice, label }) => ({
        label,
        click: () => snooze(feed.id, snoozeUntil(choice, Date.now())),
      })),
    },
  ]
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ')
  return flat.length <= MENU_LABEL_MAX ? flat : `${flat.slice(0, MENU_LABEL_MAX - 1)}…`
}
