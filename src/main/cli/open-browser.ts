// Opens an address in the default browser, the way each OS does it: xdg-open, open, or the URL
// protocol handler on Windows (not `start`, whose cmd.exe would read & and ^ in the address).
import { spawn } from 'node:child_process'
import { findExecutable } from './desktop-notifier.ts'

export interface BrowserCommand {
  file: string
  args: string[]
}

export function browserCommand(
  url: string,
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
): BrowserCommand | null {
  if (platform === 'darwin')
    return { file: findExecutable('open', env) ?? '/usr/bin/open', args: [url] }
  if (platform === 'win32')
    return { file: 'rundll32.exe', args: ['url.dll,FileProtocolHandler', url] }
  const file = findExecutable('xdg-open', env)
  return file ? { file, args: [url] } : null
}

/** Resolves with null once the browser was asked, else with why it could not be. */
export function openBrowser(
  url: string,
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
): Promise<string | null> {
  const command = browserCommand(url, platform, env)
  if (!command) return Promise.resolve('xdg-open was not found on PATH')
  return new Promise((resolve) => {
    // Detached and not waited for: some openers stay until the browser they started exits.
    const child = spawn(command.file, command.args, {
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
    })
    child.once('error', (error) => resolve(error.message))
    child.once('spawn', () => resolve(null))
    child.unref()
  })
}
