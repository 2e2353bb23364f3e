// The application menu. Electron's default one has View (reload, force reload, DevTools) and
// their shortcuts: fine while developing, not in what users install. A packaged app has none on
// Windows and Linux (text fields copy and paste by themselves there) and, on macOS, the standard
// app menu with Edit and Window, without which Cmd+C, Cmd+V and Cmd+Q do nothing.
import { Menu, type MenuItemConstructorOptions } from 'electron'

/** What a packaged app shows; null for no menu at all. */
export function productionMenuTemplate(
  platform: NodeJS.Platform,
): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null
  return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]
}

/** In production, replaces Electron's default menu; in development, keeps it. */
export function setApplicationMenu(production: boolean, platform: NodeJS.Platform): void {
  if (!production) return
  const template = productionMenuTemplate(platform)
  Menu.setApplicationMenu(template ? Menu.buildFromTemplate(template) : null)
}
