// `tidings tail`: one feed on the engine, its events to stdout, its states to stderr, and an
// exit code that scripts can rely on. Nothing printed is lost: every exit waits for stdout.
import type { FeedConfig, FeedEvent, FeedState } from '../../shared/feed.ts'
import type { NotificationDecision } from '../../shared/notification.ts'
import { presetById, presetEngineOptions } from '../../shared/presets.ts'
import { FeedManager } from '../feeds/index.ts'
import {
  isCertificateError,
  probeCertificate,
  type PresentedCertificate,
} from '../feeds/tls-probe.ts'
import {
  decide,
  EventReading,
  formatDuration,
  isPresetHealthEvent,
  type DecideOptions,
} from '../notify/index.ts'
import type { TailOptions } from './args.ts'
import { createDesktopNotifier } from './desktop-notifier.ts'
import type { DesktopNotification, DesktopNotifier } from './desktop-notifier.ts'
import { eventHumanLine, eventJsonLine, stateHumanLine, stateJsonLine } from './format.ts'
import { drained, interruptedExitCode } from './io.ts'
import type { CliIo } from './io.ts'
import { LineWriter } from './line-writer.ts'
import {
  createFeedNetwork,
  describeEnvProxies,
  envProxies,
  envResolver,
} from '../feeds/network/index.ts'

export interface TailDeps {
  createNotifier?: (io: CliIo) => DesktopNotifier
  now?: () => number
}

export const EXIT = { ok: 0, failed: 1 } as const

export function runTail(options: TailOptions, io: CliIo, deps: TailDeps = {}): Promise<number> {
  const now = deps.now ?? Date.now
  // The app's network module, with HTTP(S)_PROXY and NO_PROXY as curl reads them.
  const network = createFeedNetwork({ proxies: envResolver(io.env), env: io.env })
  const viaProxy = describeEnvProxies(envProxies(io.env))
  const notifier = options.notify ? (deps.createNotifier ?? defaultNotifier)(io) : null
  if (notifier?.unavailable) io.stderr.write(`${notifier.unavailable}\n`)

  const feedName = describeFeed(options.url)
  const color = (io.stdout as { isTTY?: boolean }).isTTY === true && !io.env['NO_COLOR']
  const manager = new FeedManager({ fetch: network.fetch, now })
  const startedAt = now()
  const decideOptions: DecideOptions = options.preset
    ? { notify: presetById(options.preset).notify, preset: options.preset }
    : { notify: 'smart' }
  let printed = 0
  /** The last event's data, read for a title only if the stream finishes. */
  let lastReading: EventReading | undefined
  let outcomeNotified = false
  let exitCode: number | null = null
  let certificateProbed = false

  const printState = (state: FeedState, at: number) => {
    if (options.json) io.stderr.write(stateJsonLine(state, at))
    else if (state.kind === 'connecting' && viaProxy)
      io.stderr.write(stateHumanLine(state, `${options.url} (${viaProxy})`))
    else io.stderr.write(stateHumanLine(state, options.url))
  }

  return new Promise<number>((resolve) => {
    const writer = new LineWriter(io.stdout, {
      onBlocked: () => manager.pause(),
      onDrained: () => manager.resume(),
      // The reader is gone (`| head -1`): it has all it wanted, so that is a clean exit.
      onBroken: () => void finish(EXIT.ok),
    })

    async function finish(code: number): Promise<void> {
      if (exitCode !== null) return
      exitCode = code
      manager.dispose()
      io.interrupt.removeEventListener('abort', onInterrupt)
      await writer.flush()
      writer.dispose()
      await notifier?.flush()
      await network.dispose()
      await drained(io.stderr)
      resolve(code)
    }

    function onEvent(event: FeedEvent): void {
      if (exitCode !== null) return
      // One reading of the data: parsed at most once, and only when a rule can apply to it.
      const reading = new EventReading(event.data)
      // A preset's keepalives say the connection is alive; the engine already counted them.
      if (options.preset && isPresetHealthEvent(options.preset, event, reading)) return
      const decision = decide(event, decideOptions, reading)
      writer.write(
        options.json ? eventJsonLine(event, decision) : eventHumanLine(event, decision, color),
      )
      printed += 1
      lastReading = reading
      if (decision && notifier) {
        notifier.notify(toDesktop(decision))
        if (decision.kind === 'task-completed' || decision.kind === 'task-failed')
          outcomeNotified = true
      }
      if (options.maxEvents !== undefined && printed >= options.maxEvents) void finish(EXIT.ok)
    }

    function onState(state: FeedState, at: number): void {
      if (exitCode !== null) return
      printState(state, at)
      if (state.kind === 'reconnecting' || state.kind === 'failed') explainCertificate(state.reason)
      if (state.kind === 'stopped') {
        if (notifier) notifyEnd(state)
        void finish(EXIT.ok)
      } else if (state.kind === 'failed') {
        notifier?.notify({ title: `${feedName} failed`, body: state.reason })
        void finish(EXIT.failed)
      }
    }

    /** On a TLS failure, once: the certificate the server presents, to compare and trust. */
    function explainCertificate(reason: string): void {
      if (certificateProbed || !options.url.startsWith('https:') || !isCertificateError(reason))
        return
      certificateProbed = true
      void probeCertificate(options.url).then((certificate) => {
        if (certificate && exitCode === null)
          io.stderr.write(certificateLines(certificate, options.json))
      })
    }

    /** A one-shot stream's finish notifies once, unless an event already told the outcome. */
    function notifyEnd(state: Extract<FeedState, { kind: 'stopped' }>): void {
      if (state.reason !== 'finished') {
        notifier?.notify({ title: `${feedName} ended`, body: state.reason })
        return
      }
      if (outcomeNotified) return
      const lastTitle = lastReading?.read().fields.title
      const body =
        lastTitle ??
        `Ran for ${formatDuration(now() - startedAt)}, ${printed} ${printed === 1 ? 'event' : 'events'}.`
      notifier?.notify({ title: `${feedName} finished`, body })
    }

    function onInterrupt(): void {
      if (exitCode !== null) return
      printState({ kind: 'stopped', reason: 'interrupted' }, now())
      void finish(interruptedExitCode(io.interrupt))
    }

    manager.on('event', onEvent)
    manager.on('state', (change) => onState(change.state, change.at))
    if (io.interrupt.aborted) return onInterrupt()
    io.interrupt.addEventListener('abort', onInterrupt)
    manager.apply([feedConfig(options, feedName)])
  })
}

function feedConfig(options: TailOptions, name: string): FeedConfig {
  const config: FeedConfig = {
    id: 'cli',
    name,
    url: options.url,
    headers: options.headers,
    streamEndMeansFinished: options.untilEnd,
    ...presetEngineOptions(options.preset),
  }
  if (options.lastEventId !== undefined) config.lastEventId = options.lastEventId
  if (options.trustCert !== undefined) config.trustedCertSha256 = options.trustCert
  if (options.idleTimeoutMs !== undefined) config.idleTimeoutMs = options.idleTimeoutMs
  return config
}

/** "ci.example.com/builds/42/events": how the feed is named in notifications. */
function describeFeed(url: string): string {
  const { host, pathname } = new URL(url)
  const name = pathname === '/' ? host : `${host}${pathname}`
  return name.length > 60 ? `${name.slice(0, 59)}…` : name
}

function certificateLines(certificate: PresentedCertificate, json: boolean): string {
  if (json) return `${JSON.stringify({ certificate })}\n`
  const issued = certificate.selfSigned ? 'self-signed' : `issued by ${certificate.issuer}`
  return (
    `tidings: ${certificate.host} presents a certificate for "${certificate.subject}" ` +
    `(${issued}, valid until ${certificate.validTo})\n` +
    `tidings: its SHA-256 fingerprint is ${certificate.sha256}\n` +
    `tidings: if that is the certificate you expect, run again with --trust-cert ${certificate.sha256}\n`
  )
}

function toDesktop(decision: NotificationDecision): DesktopNotification {
  return {
    title: decision.title,
    body: decision.url ? `${decision.body}\n${decision.url}`.trim() : decision.body,
  }
}

function defaultNotifier(io: CliIo): DesktopNotifier {
  return createDesktopNotifier({
    platform: io.platform,
    env: io.env,
    warn: (message) => io.stderr.write(`${message}\n`),
  })
}
