// A feed's problem in plain words, with the next step, from what the engine knows (its state's
// reason and FailureFacts): "Nothing is listening at 127.0.0.1:4000. Is the server running?"
// rather than "connect ECONNREFUSED 127.0.0.1:4000". The engine's own words stay as the detail,
// one click away. Pure: the window and the CLI say the same.
import type { FailureFacts, FeedState } from './feed.ts'
import { isKeyringWait } from './secret-headers.ts'

export interface FeedProblem {
  /** What is wrong, in plain words. */
  summary: string
  /** What to do, or what Tidings does next (may be empty). */
  next: string
  /** The technical detail, as the engine said it. */
  detail: string
  /**
   * What fixes it from the window: trust the server's certificate (after checking it), or edit
   * the feed (its address, its sign-in); null when waiting is the fix.
   */
  fix: 'trust' | 'edit' | null
}

export interface ProblemContext {
  /** The feed's address: where host and port come from. */
  url: string
  /** Tidings tries again by itself (a reconnecting feed). */
  retrying: boolean
  /** When, in words ("in 5 s", "now"), if known. */
  nextTryIn?: string
}

/** Certificate errors Node reports (OpenSSL's codes and Node's own). */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_SIGNATURE_ALGORITHM_UNSUPPORTED',
  // Ours: the certificate is not the one trusted for the feed (--trust-cert, Trust).
  'CERT_FINGERPRINT_MISMATCH',
])
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])
const WRONG_NAME = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH'])
/** The host is certainly unknown (NXDOMAIN); EAI_AGAIN is a resolver that could not answer now. */
const UNKNOWN_HOST = new Set(['ENOTFOUND', 'EAI_NONAME'])
/** An https address whose server speaks plain http. */
const NOT_TLS = 'ERR_SSL_WRONG_VERSION_NUMBER'

/**
 * A failure that trying again will not mend by itself: the certificate is rejected, the host
 * does not exist, the server does not speak TLS. The engine keeps trying (a window is watched
 * over hours, and a fix elsewhere may come); `tidings tail` gives up at once unless told to retry.
 */
export function isLastingFailure(reason: string, facts: FailureFacts | undefined): boolean {
  if (facts?.kind !== 'network') return false
  const code = facts.code ?? ''
  return (
    UNTRUSTED.has(code) ||
    EXPIRED.has(code) ||
    WRONG_NAME.has(code) ||
    UNKNOWN_HOST.has(code) ||
    code === NOT_TLS ||
    /certificate|self[- ]signed/i.test(reason)
  )
}

/** The problem a feed's state shows, or null when there is none (open, connecting, paused…). */
export function describeFeedState(
  state: FeedState,
  context: Omit<ProblemContext, 'retrying'>,
): FeedProblem | null {
  switch (state.kind) {
    case 'failed':
      return describeFailure(state.reason, state.facts, { ...context, retrying: false })
    case 'reconnecting':
      if (isKeyringWait(state.reason))
        return {
          summary: 'Waiting for the keyring to unlock: the feed’s secrets are stored in it.',
          next: 'Tidings connects once it opens; if this stays, enter the secret again in Settings.',
          detail: state.reason,
          fix: null,
        }
      return describeFailure(state.reason, state.facts, { ...context, retrying: true })
    case 'stopped':
      if (state.reason === 'disabled' || state.reason === 'finished') return null
      return {
        summary: `Stopped: ${state.reason}.`,
        next: 'Reconnect now starts it again.',
        detail: state.reason,
        fix: null,
      }
    default:
      return null
  }
}

/** A failed connection (a feed's, or Test connection's) in plain words. */
export function describeFailure(
  reason: string,
  facts: FailureFacts | undefined,
  context: ProblemContext,
): FeedProblem {
  const again = context.retrying
    ? `Tidings tries again${context.nextTryIn ? ` ${context.nextTryIn}` : ' by itself'}.`
    : ''
  const said = (summary: string, next: string, fix: FeedProblem['fix']): FeedProblem => ({
    summary,
    next: [next, again].filter(Boolean).join(' '),
    detail: reason,
    fix,
  })
  const { host, hostPort } = where(context.url)
  const status = facts?.status
  switch (facts?.kind) {
    case 'network':
      return network(facts.code, reason, host, hostPort, said)
    case 'http':
      return http(status ?? 0, facts.serverMessage, said)
    case 'content-type':
      return said(
        'This address answers, but not with an event stream (it sends a web page or a file).',
        'Check the URL: it should be the stream’s own address.',
        'edit',
      )
    case 'idle':
      return said(
        /no response/.test(reason)
          ? `${hostPort} took the connection but never answered.`
          : 'The stream went quiet: no data for longer than the idle timeout.',
        '',
        null,
      )
    case 'oversize':
      return said(
        'An event was larger than this feed allows.',
        'Raise “Largest event” for the feed in Settings if such events are expected.',
        'edit',
      )
    case 'no-event':
      return said('The server sends data that never makes a complete event.', '', null)
    case 'redirect':
      return said('The server redirects to an address Tidings does not follow.', '', 'edit')
    case 'resume-refused':
      return said('The server refused the position to resume from.', '', null)
    default:
      return {
        summary: status !== undefined ? `HTTP ${status}: ${reason}` : capitalize(reason),
        next: again,
        detail: reason,
        fix: null,
      }
  }
}

type Say = (summary: string, next: string, fix: FeedProblem['fix']) => FeedProblem

function network(
  code: string | undefined,
  reason: string,
  host: string,
  hostPort: string,
  said: Say,
): FeedProblem {
  if (code === 'ECONNREFUSED')
    return said(`Nothing is listening at ${hostPort}. Is the server running?`, '', 'edit')
  if ((code && UNKNOWN_HOST.has(code)) || code === 'EAI_AGAIN')
    return said(
      `Cannot find host ${host}.`,
      'Check the address for typos, and that this computer is online.',
      'edit',
    )
  if (code && UNTRUSTED.has(code))
    return said(
      'The server’s certificate is not trusted.',
      'If this is a server you know, check its certificate and trust it for this feed.',
      'trust',
    )
  if (code && EXPIRED.has(code))
    return said(
      'The server’s certificate has expired (or is not valid yet).',
      'Tell the server’s owner; check this computer’s date and time.',
      null,
    )
  if (code && WRONG_NAME.has(code))
    return said(
      `The server’s certificate is not for ${host}.`,
      'Check the address; the certificate names another host.',
      'edit',
    )
  if (code === NOT_TLS)
    return said(
      `${hostPort} does not answer in https.`,
      'Check the address: it may be an http:// one.',
      'edit',
    )
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')
    return said(`${hostPort} did not answer in time.`, '', null)
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENETDOWN')
    return said(`${hostPort} cannot be reached from this network.`, '', null)
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
    return said(`The connection to ${hostPort} broke off.`, '', null)
  if (/certificate|self[- ]signed/i.test(reason))
    return said(
      'The server’s certificate is not trusted.',
      'If this is a server you know, check its certificate and trust it for this feed.',
      'trust',
    )
  return said(`Cannot connect to ${hostPort}.`, '', null)
}

function http(status: number, serverMessage: string | undefined, said: Say): FeedProblem {
  const quoted = serverMessage ? `: “${serverMessage}”` : '.'
  if (status === 401)
    return said(
      `HTTP 401: the server wants you to sign in${quoted}`,
      'Check the feed’s token or password in Settings.',
      'edit',
    )
  if (status === 403)
    return said(
      `HTTP 403: the server refused access${quoted}`,
      'Check the feed’s sign-in, and that it may read this stream.',
      'edit',
    )
  if (status === 404)
    return said('HTTP 404: no event stream at this address.', 'Check the URL.', 'edit')
  if (status === 410) return said('HTTP 410: this stream is gone for good.', '', 'edit')
  if (status === 429) return said('HTTP 429: the server asks Tidings to slow down.', '', null)
  if (status === 408) return said('HTTP 408: the server gave up waiting for the request.', '', null)
  if (status >= 500) return said(`HTTP ${status}: the server has a problem.`, '', null)
  if (status >= 400)
    return said(`HTTP ${status}: the server refused the request${quoted}`, 'Check the URL.', 'edit')
  return said(`HTTP ${status}: not an event stream.`, 'Check the URL.', 'edit')
}

/** "example.com" and "example.com:443" from a URL (the default port named). */
function where(url: string): { host: string; hostPort: string } {
  try {
    const parsed = new URL(url)
    const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80')
    return { host: parsed.hostname, hostPort: `${parsed.hostname}:${port}` }
  } catch {
    return { host: url, hostPort: url }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
