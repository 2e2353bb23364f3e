// Start at login on Linux: an XDG autostart entry (~/.config/autostart/tidings.desktop).
// macOS and Windows use Electron's login items instead (login-item.ts).
import { mkdir, readFile, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { writeFileAtomic } from '../store/atomic-file.ts'

export const AUTOSTART_FILE_NAME = 'tidings.desktop'

/** $XDG_CONFIG_HOME/autostart, or ~/.config/autostart. */
export function autostartPath(env: NodeJS.ProcessEnv, home: string): string {
  const configHome = env['XDG_CONFIG_HOME']?.startsWith('/')
    ? env['XDG_CONFIG_HOME']
    : join(home, '.config')
  return join(configHome, 'autostart', AUTOSTART_FILE_NAME)
}

// Characters that make the Desktop Entry spec require an argument to be quoted.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/

/** One Exec argument, quoted and escaped per the Desktop Entry spec. */
export function execArgument(arg: string): string {
  // Field codes start with %; a literal one is written %%.
  const literal = arg.replace(/%/g, '%%')
  if (literal !== '' && !RESERVED.test(literal)) return literal
  // Inside quotes, ", `, $ and \ are escaped with a backslash; then the string-value rule
  // escapes every backslash once more.
  const quoted = `"${literal.replace(/(["`$\\])/g, '\\$1')}"`
  return quoted.replace(/\\/g, '\\\\')
}

export function desktopEntry(options: {
  name: string
  exec: readonly string[]
  comment?: string
}): string {
  const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ')
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${oneLine(options.name)}`,
    ...(options.comment ? [`Comment=${oneLine(options.comment)}`] : []),
    `Exec=${options.exec.map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

export async function setXdgAutostart(
  file: string,
  enabled: boolean,
  entry: { name: string; exec: readonly string[]; comment?: string },
): Promise<void> {
  if (!enabled) {
    await rm(file, { force: true })
    return
  }
  await mkdir(dirname(file), { recursive: true })
  await writeFileAtomic(file, desktopEntry(entry))
}

/** Whether our entry exists and is not switched off (a desktop may add Hidden=true). */
export async function isXdgAutostartOn(file: string): Promise<boolean> {
  try {
    const text = await readFile(file, 'utf8')
    return (
      !/^Hidden\s*=\s*true\s*$/m.test(text) &&
      !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text)
    )
  } catch {
    return false
  }
}
