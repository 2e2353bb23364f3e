// Where the desktop app keeps its data, worked out without Electron, so `tidings ui` opens the
// same settings, history and resume ids: Electron's app.getPath('userData'), which is
// app.getPath('appData') joined with the app's name (package.json's productName, else its name).
// appData is %APPDATA% on Windows, ~/Library/Application Support on macOS and $XDG_CONFIG_HOME
// (else ~/.config) elsewhere. TIDINGS_USER_DATA_DIR moves it, for both (src/main/index.ts).
import { homedir } from 'node:os'
import { posix, win32 } from 'node:path'
import packageJson from '../../../package.json' with { type: 'json' }

type Env = Record<string, string | undefined>

export function appName(pkg: { name: string; productName?: string } = packageJson): string {
  return pkg.productName ?? pkg.name
}

export function appDataDir(platform: NodeJS.Platform, env: Env, home: string): string {
  if (platform === 'win32') return env['APPDATA'] ?? win32.join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support')
  // As Chromium reads it (base::nix::GetXDGDirectory): any value that is not empty.
  const xdg = env['XDG_CONFIG_HOME']
  return xdg ? xdg.replace(/(.)\/+$/, '$1') : posix.join(home, '.config')
}

export function desktopDataDir(
  options: { platform?: NodeJS.Platform; env?: Env; home?: string; name?: string } = {},
): string {
  const platform = options.platform ?? process.platform
  const env = options.env ?? process.env
  const override = env['TIDINGS_USER_DATA_DIR']
  if (override) return override
  const base = appDataDir(platform, env, options.home ?? homedir())
  const join = platform === 'win32' ? win32.join : posix.join
  return join(base, options.name ?? appName())
}
