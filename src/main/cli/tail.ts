// `tidings tail`: one feed on the engine, its events to stdout, its states to stderr, and an
// exit code that scripts can rely on. Nothing printed is lost: every exit waits for stdout.
import type { FeedConfig, FeedEvent, FeedState } from '../../shared/feed.ts'
import { describeFailure } from '../../shared/feed-problem.ts'
import type { NotificationDecision } from '../../shared/notification.ts'
import { presetById, presetEngineOptions } from '../../shared/presets.ts'
import { FeedManager } from '../feeds/index.ts'
import { backoffDelay } from '../feeds/reconnect-policy.ts'
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
import {
  eventHumanLine,
  eventJsonLine,
  eventRawLine,
  stateHumanLine,
  stateJsonLine,
  type StateWords,
} from './format.ts'
import { drained, interruptedExitCode } from './io.ts'
import type { CliIo } from './io.ts'
import { LineWriter } from './line-writer.ts'
import { Retries } from './retries.ts'
import {
  createFeedNetwork,
  describeEnvProxies,
  envProxies,
  envResolver,
} from '../feeds/network/index.ts'

export interface TailDeps {
  createNotifier?: (io: CliIo) => DesktopNotifier
  now?: () => number
  random?: () => number
}

type Failure = Extract<FeedState, { kind: 'reconnecting' | 'failed' }>

export const EXIT = { ok: 0, failed: 1 } as const

export function runTail(options: TailOptions, io: CliIo, deps: TailDeps = {}): Promise<number> {
  const now = deps.now ?? Date.now
  const random = deps.random ?? Math.random
  // The app's network module, with HTTP(S)_PROXY and NO_PROXY as curl reads them.
  const network = createFeedNetwork({ proxies: envResolver(io.env), env: io.env })
  const viaProxy = describeEnvProxies(envProxies(io.env))
  const notifier = options.notify ? (deps.createNotifier ?? defaultNotifier)(io) : null
  if (notifier?.unavailable) io.stderr.write(`${notifier.unavailable}\n`)

  const feedName = describeFeed(options.url)
  const terminal = (io.stdout as { isTTY?: boolean }).isTTY === true
  const color = terminal && !io.env['NO_COLOR']
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
  /** The certificate the server presents, asked once on the first TLS failure. */
  let certificateNote: Promise<string> | null = null
  let connectingShown = false
  const retries = new Retries(options.retry)
  let retryTimer: NodeJS.Timeout | undefined

  /** One line per state; for a person, one per try: a retry's "connecting" goes unsaid. */
  const printState = (state: FeedState, at: number, words: Partial<StateWords> = {}) => {
    if (options.json) return void io.stderr.write(stateJsonLine(state, at, options.url))
    if (state.kind === 'connecting' && connectingShown) return
    if (state.kind === 'connecting') connectingShown = true
    const via = viaProxy ? { via: viaProxy } : {}
    io.stderr.write(
      stateHumanLine(state, { url: options.url, verbose: options.verbose, ...via, ...words }),
    )
  }

  return new Promise<number>((resolve) => {
    const writer = new LineWriter(io.stdout, {
      onBlocked: () => manager.pause(),
      onDrained: () => manager.resume(),
      // The reader is gone (`| head -1`): it has all it wanted, so that is a clean exit.
      onBroken: () => void finish(EXIT.ok),
    })

    /** `last`: what is still to be said first (the certificate the server presents). */
    async function finish(code: number, last?: Promise<void>): Promise<void> {
      if (exitCode !== null) return
      exitCode = code
      manager.dispose()
      clearTimeout(retryTimer)
      io.interrupt.removeEventListener('abort', onInterrupt)
      await last
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
        options.json
          ? eventJsonLine(event, decision)
          : options.raw
            ? eventRawLine(event, terminal)
            : eventHumanLine(event, decision, color),
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
      // The events received before this state are printed before it.
      writer.writeBatch()
      switch (state.kind) {
        case 'open':
          retries.opened()
          return printState(state, at)
        case 'connecting':
          return printState(state, at)
        case 'stopped':
          printState(state, at)
          if (notifier) notifyEnd(state)
          return void finish(EXIT.ok)
        case 'reconnecting':
        case 'failed':
          return onFailure(state, at)
      }
    }

    function onFailure(state: Failure, at: number): void {
      const verdict = retries.judge(state)
      if (verdict.action === 'give-up') return giveUp(state, at, verdict)
      const retry = verdict.action === 'retry' ? { count: verdict.count } : undefined
      const words = retry ? { retry: { ...retry, limit: options.retry ?? Infinity } } : {}
      if (state.kind === 'reconnecting') printState(state, at, words)
      else {
        // The engine stopped for good; asked to keep trying, tail starts it again after a while.
        const delayMs = backoffDelay(retry?.count ?? 1, random)
        printState(
          { ...state, kind: 'reconnecting', attempt: retry?.count ?? 1, delayMs },
          at,
          words,
        )
        retryTimer = setTimeout(() => manager.reconnectNow(CLI_FEED_ID), delayMs)
      }
      const note = explainCertificate(state)
      if (note) void note.then((lines) => exitCode === null && io.stderr.write(lines))
    }

    /** Exit 1 with the reason, the certificate presented if that was it, and a notification. */
    function giveUp(
      state: Failure,
      at: number,
      verdict: { count: number; lasting: boolean },
    ): void {
      const failed: FeedState = { kind: 'failed', reason: state.reason }
      if (state.facts) failed.facts = state.facts
      if (state.kind === 'failed' && state.status !== undefined) failed.status = state.status
      const hint = verdict.lasting && retryMightMend(state) ? { hint: RETRY_HINT } : {}
      printState(failed, at, { tries: verdict.count, ...hint })
      const problem = describeFailure(state.reason, state.facts, {
        url: options.url,
        retrying: false,
      })
      notifier?.notify({ title: `${feedName} failed`, body: problem.summary })
      const note = explainCertificate(state)
      void finish(
        EXIT.failed,
        note?.then((lines) => void io.stderr.write(lines)),
      )
    }

    /**
     * On a TLS failure, once: the certificate the server presents, to compare and trust (the
     * lines to print). Null when it was asked already or does not apply.
     */
    function explainCertificate(state: Failure): Promise<string> | null {
      if (certificateNote || !options.url.startsWith('https:') || !isCertificateError(state.reason))
        return null
      // Whether trusting the certificate is the fix (not so for an http server on an https URL).
      const trust = describeFailure(state.reason, state.facts, {
        url: options.url,
        retrying: false,
      })
      certificateNote = probeCertificate(options.url).then((certificate) =>
        certificateLines(certificate, options.json, trust.fix === 'trust'),
      )
      return certificateNote
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

const CLI_FEED_ID = 'cli'

/** What tail adds when it gave up at once on a failure that waiting might still mend. */
const RETRY_HINT = 'Run with --retry to keep trying.'

/** An unknown host may be a DNS name still to come, a 404 a stream still to be made. */
function retryMightMend(state: Failure): boolean {
  const facts = state.facts
  return (
    (facts?.kind === 'network' && !isCertificateError(state.reason)) ||
    (facts?.kind === 'http' && facts.status === 404)
  )
}

function feedConfig(options: TailOptions, name: string): FeedConfig {
  const config: FeedConfig = {
    id: CLI_FEED_ID,
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

/** The certificate presented, and how to trust it: what to do after a certificate failure. */
function certificateLines(
  certificate: PresentedCertificate | null,
  json: boolean,
  trustIsTheFix: boolean,
): string {
  if (json) return certificate ? `${JSON.stringify({ certificate })}\n` : ''
  if (!certificate && !trustIsTheFix) return ''
  if (!certificate)
    return 'tidings: If this is a server you know, trust its certificate with --trust-cert and its SHA-256 fingerprint.\n'
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
