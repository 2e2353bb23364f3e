// What the Settings view says when notifications may not reach the user, and how to fix it on
// the OS that shows them. Shared so every host's window (Electron, `tidings ui`) says the same.
import type { NotificationHealth } from './ipc.ts'

/** The problem in one sentence, or null when nothing suggests one. */
export function notificationProblem(health: NotificationHealth): string | null {
  switch (health.status) {
    case 'failed':
      return 'Notifications may be blocked: the system refused the last one.'
    case 'unconfirmed':
      return 'Notifications may be blocked: the system never confirmed showing the last one.'
    case 'unsupported':
      return 'Notifications may be blocked: this system says it cannot show any.'
    default:
      return null
  }
}

/** How to let notifications through on this OS. */
export function notificationFix(platform: string): string {
  switch (platform) {
    case 'darwin':
      return (
        'On macOS, open System Settings → Notifications → Tidings and turn on Allow ' +
        'notifications (choose Alerts to keep task results on screen). A build that is not ' +
        'signed gets no notifications at all: use a release build, which is.'
      )
    case 'win32':
      return (
        'On Windows, Focus Assist (Windows 10) or Do Not Disturb (Windows 11) may be holding ' +
        'them back: open Settings → System → Notifications, turn it off or add Tidings to the ' +
        'priority list, and check that notifications from Tidings are on. Windows shows toasts ' +
        'only for an app with its Start-menu shortcut: install Tidings with its Setup installer.'
      )
    default:
      return (
        'On Linux, notifications need a notification service: GNOME, KDE and most desktops ' +
        'have one; on a bare window manager, install and start one (such as dunst or mako). ' +
        'Check that Do Not Disturb is off. On GNOME, the tray icon also needs the AppIndicator ' +
        'extension.'
      )
  }
}
