// Desktop notifications for `tidings tail --notify`, through the OS's own notifier: notify-send
// on Linux and BSDs, osascript on macOS, a PowerShell toast on Windows. Feed text is passed as
// separate arguments or environment variables, never through a shell or a script's source.
import { execFile } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

export interface DesktopNotification {
  title: string
  body: string
}

export interface NotifierCommand {
  file: string
  args: string[]
  env?: Record<string, string>
}

/** What became of one notification (tidings ui reports it to the Settings view). */
export type DesktopOutcome =
  | { kind: 'shown' }
  | { kind: 'failed'; error: string }
  /** Summarised with others because too many waited ("12 more notifications"). */
  | { kind: 'unconfirmed' }
  | { kind: 'unsupported' }

export interface DesktopNotifier {
  /** Null when notifications can be shown; otherwise why not, as a sentence for stderr. */
  readonly unavailable: string | null
  notify(notification: DesktopNotification): Promise<DesktopOutcome>
  /** Resolves once every queued notification was handed to the OS (or timed out). */
  flush(): Promise<void>
}

export type RunCommand = (command: NotifierCommand) => Promise<void>

export interface DesktopNotifierOptions {
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
  /** Reports a notifier that failed, once. */
  warn: (message: string) => void
  run?: RunCommand
  /** Notifications waiting beyond this are counted and summarised instead ("12 more"). */
  maxQueued?: number
}

const RUN_TIMEOUT_MS = 10_000

export function createDesktopNotifier(options: DesktopNotifierOptions): DesktopNotifier {
  const { platform, env, warn } = options
  const run = options.run ?? runCommand
  const maxQueued = options.maxQueued ?? 10
  const build = commandBuilder(platform, env)
  type Queued = DesktopNotification & { settle?(outcome: DesktopOutcome): void }
  const queue: Queued[] = []
  const summarised: Array<(outcome: DesktopOutcome) => void> = []
  let dropped = 0
  let active = false
  let drained: Promise<void> = Promise.resolve()
  let warned = false

  function take(): Queued | undefined {
    const next = queue.shift()
    if (next || dropped === 0) return next
    const waiting = summarised.splice(0)
    const summary: Queued = {
      title: 'Tidings',
      body: `${dropped} more notifications`,
      settle: (outcome) =>
        waiting.forEach((settle) =>
          settle(outcome.kind === 'shown' ? { kind: 'unconfirmed' } : outcome),
        ),
    }
    dropped = 0
    return summary
  }

  // One notifier process at a time, in order. `active` turns false in the same step that finds
  // the queue empty, so a notification queued at any moment is never left behind.
  async function drain(show: (n: DesktopNotification) => NotifierCommand): Promise<void> {
    for (let next = take(); next; next = take()) {
      try {
        await run(show(next))
        next.settle?.({ kind: 'shown' })
      } catch (error) {
        if (!warned) warn(`tidings: the desktop notifier failed: ${(error as Error).message}`)
        warned = true
        next.settle?.({ kind: 'failed', error: (error as Error).message })
      }
    }
    active = false
  }

  return {
    unavailable: typeof build === 'string' ? build : null,
    notify(notification) {
      if (typeof build === 'string') return Promise.resolve({ kind: 'unsupported' })
      const outcome = new Promise<DesktopOutcome>((settle) => {
        if (queue.length >= maxQueued) {
          dropped += 1
          summarised.push(settle)
        } else queue.push({ ...notification, settle })
      })
      if (!active) {
        active = true
        drained = drain(build)
      }
      return outcome
    },
    async flush() {
      while (active) await drained
    },
  }
}

/** How to show one notification on this platform, or why it cannot be done. */
function commandBuilder(
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
): ((n: DesktopNotification) => NotifierCommand) | string {
  if (platform === 'darwin') {
    const file = findExecutable('osascript', env) ?? '/usr/bin/osascript'
    // The text arrives as `argv`, so nothing in it is ever AppleScript source.
    return ({ title, body }) => ({
      file,
      args: [
        '-e',
        'on run argv',
        '-e',
        'display notification (item 2 of argv) with title (item 1 of argv)',
        '-e',
        'end run',
        title,
        body,
      ],
    })
  }
  if (platform === 'win32') {
    const file = findExecutable('powershell.exe', env) ?? findExecutable('pwsh.exe', env)
    if (!file)
      return 'tidings: --notify needs PowerShell (powershell.exe), which was not found on PATH; events are still printed.'
    return ({ title, body }) => ({
      file,
      args: [
        '-NoProfile',
        '-NonInteractive',
        '-ExecutionPolicy',
        'Bypass',
        '-Command',
        TOAST_SCRIPT,
      ],
      env: { TIDINGS_TITLE: title, TIDINGS_BODY: body },
    })
  }
  const file = findExecutable('notify-send', env)
  if (!file)
    return 'tidings: --notify needs notify-send, which was not found on PATH (install libnotify-bin on Debian/Ubuntu, libnotify on Fedora/Arch); events are still printed.'
  // Notification servers may read the body as markup: escape it so it stays text.
  return ({ title, body }) => ({
    file,
    args: ['--app-name=Tidings', '--', title, escapeMarkup(body)],
  })
}

// Text nodes are created from environment variables, so the feed's text is never parsed as XML
// or PowerShell. The app id is PowerShell's own, which Windows lets show toasts.
const TOAST_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] > $null',
  '$xml = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02)',
  "$texts = $xml.GetElementsByTagName('text')",
  '$texts.Item(0).AppendChild($xml.CreateTextNode($env:TIDINGS_TITLE)) > $null',
  '$texts.Item(1).AppendChild($xml.CreateTextNode($env:TIDINGS_BODY)) > $null',
  '$toast = [Windows.UI.Notifications.ToastNotification]::new($xml)',
  "$appId = '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe'",
  '[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier($appId).Show($toast)',
].join('; ')

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function findExecutable(
  name: string,
  env: Record<string, string | undefined>,
): string | undefined {
  for (const dir of (env['PATH'] ?? env['Path'] ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name)
    try {
      if (!statSync(candidate).isFile()) continue
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

function runCommand(command: NotifierCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      command.file,
      command.args,
      {
        timeout: RUN_TIMEOUT_MS,
        windowsHide: true,
        env: command.env ? { ...process.env, ...command.env } : process.env,
      },
      (error, _stdout, stderr) => {
        if (!error) return resolve()
        const detail = String(stderr).trim().split('\n')[0]
        reject(new Error(`${command.file}: ${detail || error.message}`))
      },
    )
  })
}
