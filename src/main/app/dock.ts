// macOS: a tray app stays out of the Dock (and the Cmd+Tab switcher) unless the user turns on
// "Show in Dock" in Settings. Nothing to do on other systems.
import { app } from 'electron'

export function showInDock(show: boolean, platform: NodeJS.Platform): void {
  const dock = app.dock
  if (platform !== 'darwin' || !dock) return
  if (show) void dock.show()
  else dock.hide()
}
