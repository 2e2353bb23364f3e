// Command-line parsing: argv in, a validated command out. Bad input becomes a message for exit
// code 2, checked with the same validators the app uses, so both reject it the same way.
import { parseArgs } from 'node:util'
import { isPresetId, PRESETS, type PresetId } from '../../shared/presets.ts'
import { parseHeaderLine, validateFeedUrl } from '../../shared/validate.ts'
import { isResumeId, MAX_RESUME_ID_BYTES } from '../feeds/event-id.ts'
import { normalizeFingerprint } from '../feeds/tls-probe.ts'
import { nearest } from './suggest.ts'
import { DEMO_USAGE, MAIN_USAGE, TAIL_USAGE, UI_USAGE } from './usage.ts'

export interface TailOptions {
  url: string
  json: boolean
  /** Each event's data as sent, instead of its one-line summary. */
  raw: boolean
  /** The technical detail beside each plain-words problem. */
  verbose: boolean
  /**
   * How many failed tries in a row before giving up: Infinity with a bare --retry. Undefined:
   * lasting failures (certificate, unknown host, HTTP 4xx) give up at once, others never do.
   */
  retry?: number
  headers: Record<string, string>
  lastEventId?: string
  maxEvents?: number
  /** Milliseconds; 0 turns the idle timeout off. */
  idleTimeoutMs?: number
  untilEnd: boolean
  notify: boolean
  /** A preset's resume rule, health events and notification reading (src/shared/presets.ts). */
  preset?: PresetId
  /** SHA-256 fingerprint ("AB:CD:…") of a self-signed certificate trusted for the feed's host. */
  trustCert?: string
}

export interface DemoOptions {
  port: number
  /** Milliseconds per step of the demo's clock (undocumented; for tests and quick looks). */
  tickMs?: number
}

export interface UiOptions {
  port: number
  /** Undefined: the desktop app's data folder. */
  dataDir?: string
  /** Run exactly these feeds (smart notifications); the saved ones stay as they are. */
  feeds: string[]
  /** Run the built-in demo feed (with the --feed ones, if any), as npm run dev does. */
  demo: boolean
  open: boolean
  /** The renderer from Vite's dev server with hot reload (npm run dev without Electron). */
  dev: boolean
}

/** tidings ui's port unless --port says otherwise (tidings demo has 8787). */
export const UI_DEFAULT_PORT = 8788

export type Command =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'tail'; options: TailOptions }
  | { kind: 'demo'; options: DemoOptions }
  | { kind: 'ui'; options: UiOptions }
  | { kind: 'usage-error'; message: string; help: string }

const TAIL_FLAGS = {
  json: { type: 'boolean' },
  raw: { type: 'boolean' },
  verbose: { type: 'boolean' },
  // Takes an optional count, so it is read from parseArgs' tokens (see takeRetry).
  retry: { type: 'boolean' },
  header: { type: 'string', short: 'H', multiple: true },
  'last-event-id': { type: 'string' },
  'max-events': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'until-end': { type: 'boolean' },
  notify: { type: 'boolean' },
  preset: { type: 'string' },
  'trust-cert': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

const DEMO_FLAGS = {
  port: { type: 'string', short: 'p' },
  'tick-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

const UI_FLAGS = {
  port: { type: 'string', short: 'p' },
  'data-dir': { type: 'string' },
  feed: { type: 'string', multiple: true },
  demo: { type: 'boolean' },
  'no-open': { type: 'boolean' },
  dev: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

class UsageError extends Error {}

const COMMANDS = ['tail', 'demo', 'ui', 'help', 'version']

export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help')
      return helpFor(rest[0])
    if (name === '--version' || name === '-v' || name === 'version') return { kind: 'version' }
    if (name === 'tail') return parseTail(rest)
    if (name === 'demo') return parseDemo(rest)
    if (name === 'ui') return parseUi(rest)
    return {
      kind: 'usage-error',
      message: unknownCommand(name),
      help: "Run 'tidings --help' for usage.",
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    const help = `Run 'tidings ${name} --help' for usage.`
    return { kind: 'usage-error', message: error.message, help }
  }
}

/** 'unknown command "tial"; did you mean `tail`?' */
function unknownCommand(name: string): string {
  if (name.startsWith('-')) {
    const option = nearest(name, ['--help', '-h', '--version', '-v'])
    return `unknown option ${name}${option ? `; did you mean \`${option}\`?` : ''}`
  }
  if (/^https?:\/\//i.test(name))
    return `unknown command "${name}"; did you mean \`tidings tail ${name}\`?`
  const command = nearest(name, COMMANDS)
  return `unknown command "${name}"${command ? `; did you mean \`${command}\`?` : ''}`
}

function helpFor(topic: string | undefined): Command {
  if (topic === 'tail') return { kind: 'help', text: TAIL_USAGE }
  if (topic === 'demo') return { kind: 'help', text: DEMO_USAGE }
  if (topic === 'ui') return { kind: 'help', text: UI_USAGE }
  return { kind: 'help', text: MAIN_USAGE }
}

function parseTail(args: string[]): Command {
  const { values, positionals: given, tokens } = parseFlags(retryValueApart(args), TAIL_FLAGS)
  if (values.help) return { kind: 'help', text: TAIL_USAGE }
  const { retry, positionals } = takeRetry(tokens, given)
  if (values.raw && values.json)
    throw new UsageError('--raw and --json do not go together (--json has the data as sent).')
  if (positionals.length === 0) throw new UsageError('tail needs the URL of an SSE feed.')
  if (positionals.length > 1)
    throw new UsageError(`tail takes one URL, got ${positionals.length}: ${positionals.join(' ')}`)

  const url = validateFeedUrl(positionals[0] as string)
  if (!url.ok) throw new UsageError(url.error)

  const headers: Record<string, string> = {}
  for (const line of values.header ?? []) {
    const header = parseHeaderLine(line)
    if (!header.ok) throw new UsageError(header.error)
    const [headerName, value] = header.value
    // Header names are case-insensitive: a later -H replaces an earlier one.
    for (const existing of Object.keys(headers))
      if (existing.toLowerCase() === headerName.toLowerCase()) delete headers[existing]
    headers[headerName] = value
  }

  const lastEventId = values['last-event-id']
  if (lastEventId !== undefined && !isResumeId(lastEventId))
    throw new UsageError(
      `--last-event-id must fit in a header: no control characters, at most ${MAX_RESUME_ID_BYTES} bytes.`,
    )

  const options: TailOptions = {
    url: url.value,
    json: values.json ?? false,
    raw: values.raw ?? false,
    verbose: values.verbose ?? false,
    headers,
    untilEnd: values['until-end'] ?? false,
    notify: values.notify ?? false,
  }
  if (lastEventId !== undefined) options.lastEventId = lastEventId
  if (retry !== undefined) options.retry = retry
  const preset = values.preset?.trim().toLowerCase()
  if (preset !== undefined) {
    if (!isPresetId(preset))
      throw new UsageError(
        `--preset must be one of ${PRESETS.map((p) => p.id).join(', ')}, not "${values.preset}".`,
      )
    options.preset = preset
  }
  if (values['trust-cert'] !== undefined) {
    const fingerprint = normalizeFingerprint(values['trust-cert'])
    if (fingerprint === null)
      throw new UsageError(
        '--trust-cert takes a SHA-256 fingerprint: 64 hex digits, with or without colons (AB:CD:…).',
      )
    if (!url.value.startsWith('https:'))
      throw new UsageError('--trust-cert only applies to https URLs.')
    options.trustCert = fingerprint
  }
  if (values['max-events'] !== undefined)
    options.maxEvents = parseInteger(
      '--max-events',
      values['max-events'],
      1,
      Number.MAX_SAFE_INTEGER,
    )
  if (values['idle-timeout'] !== undefined)
    options.idleTimeoutMs = Math.round(
      parseSeconds('--idle-timeout', values['idle-timeout'], 86_400) * 1000,
    )
  return { kind: 'tail', options }
}

function parseDemo(args: string[]): Command {
  const { values, positionals } = parseFlags(args, DEMO_FLAGS)
  if (values.help) return { kind: 'help', text: DEMO_USAGE }
  if (positionals.length > 0) throw new UsageError(`demo takes no arguments: ${positionals[0]}`)
  const options: DemoOptions = {
    port: values.port === undefined ? 8787 : parseInteger('--port', values.port, 0, 65_535),
  }
  if (values['tick-ms'] !== undefined)
    options.tickMs = parseInteger('--tick-ms', values['tick-ms'], 1, 3_600_000)
  return { kind: 'demo', options }
}

function parseUi(args: string[]): Command {
  const { values, positionals } = parseFlags(args, UI_FLAGS)
  if (values.help) return { kind: 'help', text: UI_USAGE }
  if (positionals.length > 0)
    throw new UsageError(
      `ui takes no arguments: ${positionals[0]} (give a feed as --feed ${positionals[0]})`,
    )
  const feeds: string[] = []
  for (const text of values.feed ?? []) {
    const url = validateFeedUrl(text)
    if (!url.ok) throw new UsageError(`--feed ${text}: ${url.error}`)
    if (!feeds.includes(url.value)) feeds.push(url.value)
  }
  const dataDir = values['data-dir']
  if (dataDir !== undefined && dataDir.trim() === '')
    throw new UsageError('--data-dir needs a folder.')
  const options: UiOptions = {
    port:
      values.port === undefined ? UI_DEFAULT_PORT : parseInteger('--port', values.port, 0, 65_535),
    feeds,
    demo: values.demo ?? false,
    open: !(values['no-open'] ?? false),
    dev: values.dev ?? false,
  }
  if (dataDir !== undefined) options.dataDir = dataDir
  return { kind: 'ui', options }
}

/** `--retry=N` as `--retry N`, so both spellings reach takeRetry alike. */
function retryValueApart(args: string[]): string[] {
  const end = args.indexOf('--')
  return args.flatMap((arg, index) => {
    if ((end !== -1 && index > end) || !arg.startsWith('--retry=')) return [arg]
    const count = arg.slice('--retry='.length)
    if (!/^\d+$/.test(count)) throw new UsageError(retryCountError(count))
    return ['--retry', count]
  })
}

/**
 * `--retry` alone means forever; a whole number right after it is the count. Read from the
 * tokens, so a value of another option (-H 3) or a URL after it is never taken for the count.
 */
function takeRetry(
  tokens: ParsedToken[],
  positionals: string[],
): { retry: number | undefined; positionals: string[] } {
  let retry: number | undefined
  const countIndexes = new Set<number>()
  tokens.forEach((token, i) => {
    if (token.kind !== 'option' || token.name !== 'retry') return
    const next = tokens[i + 1]
    if (next?.kind === 'positional' && next.index === token.index + 1 && /^\d+$/.test(next.value)) {
      retry = parseInteger('--retry', next.value, 0, Number.MAX_SAFE_INTEGER)
      countIndexes.add(next.index)
    } else retry = Infinity
  })
  if (countIndexes.size === 0) return { retry, positionals }
  const rest = tokens
    .filter((token) => token.kind === 'positional' && !countIndexes.has(token.index))
    .map((token) => (token as { value: string }).value)
  return { retry, positionals: rest }
}

function retryCountError(text: string): string {
  return `--retry takes a whole number of tries (or nothing, for "keep trying"), not "${text}".`
}

type ParsedToken = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number]

type Flags = Parameters<typeof parseArgs>[0] extends infer C
  ? C extends { options?: infer O }
    ? NonNullable<O>
    : never
  : never

function parseFlags<const T extends Flags>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true })
  } catch (error) {
    throw new UsageError(describeParseError(error, options))
  }
}

/** node:util's messages are long and suggest `--`; say what was wrong, briefly. */
function describeParseError(error: unknown, options: Flags): string {
  const { code, message } = error as { code?: string; message?: string }
  const option = /'([^']+)'/.exec(message ?? '')?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    // "--jsno=x": the name is what was mistyped. A one-letter option is too short to guess.
    const typed = option.split('=')[0] as string
    const suggestion = typed.startsWith('--')
      ? nearest(
          typed,
          Object.keys(options).map((name) => `--${name}`),
        )
      : undefined
    return `unknown option ${option}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const flag = option.split(' ').find((part) => part.startsWith('--')) ?? option
    if (/argument missing/.test(message ?? '')) return `${flag} needs a value`
    if (/ambiguous/.test(message ?? ''))
      return `${flag} needs a value (for one starting with "-", write ${flag}=-…)`
    if (/does not take an argument/.test(message ?? '')) return `${flag} does not take a value`
  }
  return (message ?? String(error)).split('\n')[0] as string
}

function parseInteger(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim()))
    throw new UsageError(`${flag} must be a whole number, not "${text}".`)
  const value = Number(text.trim())
  if (value < min || value > max)
    throw new UsageError(`${flag} must be between ${min} and ${max}, not ${text.trim()}.`)
  return value
}

function parseSeconds(flag: string, text: string, max: number): number {
  const value = Number(text.trim())
  if (text.trim() === '' || !Number.isFinite(value) || value < 0)
    throw new UsageError(`${flag} must be a number of seconds (0 turns it off), not "${text}".`)
  if (value > max) throw new UsageError(`${flag} must be at most ${max} seconds.`)
  return value
}
