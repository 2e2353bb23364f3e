// Start at login: login items on macOS and Windows, an XDG autostart entry on Linux.
import { homedir } from 'node:os'
import { app } from 'electron'
import { autostartPath, isXdgAutostartOn, setXdgAutostart } from '../core/autostart.ts'

export interface LoginItemOptions {
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  home?: string
}

/** The command that starts this app: the AppImage if there is one, else the executable. */
export function launchCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env['APPIMAGE']) return [env['APPIMAGE']]
  // Unpackaged (development), Electron needs the app folder as its argument.
  return app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()]
}

export async function setStartAtLogin(
  enabled: boolean,
  options: LoginItemOptions = {},
): Promise<void> {
  const platform = options.platform ?? process.platform
  if (platform === 'darwin' || platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: enabled })
    return
  }
  const env = options.env ?? process.env
  await setXdgAutostart(autostartPath(env, options.home ?? homedir()), enabled, {
    name: 'Tidings',
    comment: 'Notifications from Server-Sent Events feeds',
    exec: launchCommand(env),
  })
}

export async function isStartAtLoginOn(options: LoginItemOptions = {}): Promise<boolean> {
  const platform = options.platform ?? process.platform
  if (platform === 'darwin' || platform === 'win32') return app.getLoginItemSettings().openAtLogin
  return isXdgAutostartOn(autostartPath(options.env ?? process.env, options.home ?? homedir()))
}
