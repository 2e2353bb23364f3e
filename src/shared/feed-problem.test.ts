import { describe, expect, it } from 'vitest'
import type { FeedState } from './feed.ts'
import { describeFailure, describeFeedState, isLastingFailure } from './feed-problem.ts'

const at = { url: 'http://127.0.0.1:4000/events' }

describe('describeFeedState', () => {
  it.each<[string, FeedState, string, string | null]>([
    [
      'a refused port',
      {
        kind: 'reconnecting',
        attempt: 1,
        delayMs: 1000,
        reason: 'connect ECONNREFUSED 127.0.0.1:4000',
        facts: { kind: 'network', code: 'ECONNREFUSED' },
      },
      'Nothing is listening at 127.0.0.1:4000. Is the server running?',
      'edit',
    ],
    [
      'an unknown host',
      {
        kind: 'reconnecting',
        attempt: 1,
        delayMs: 1000,
        reason: 'getaddrinfo ENOTFOUND feeds.example',
        facts: { kind: 'network', code: 'ENOTFOUND' },
      },
      'Cannot find host 127.0.0.1.',
      'edit',
    ],
    [
      'a self-signed certificate',
      {
        kind: 'reconnecting',
        attempt: 1,
        delayMs: 1000,
        reason: 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
        facts: { kind: 'network', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      },
      'The server’s certificate is not trusted.',
      'trust',
    ],
    [
      'a 404',
      {
        kind: 'failed',
        reason: 'HTTP 404 Not Found',
        status: 404,
        facts: { kind: 'http', status: 404 },
      },
      'HTTP 404: no event stream at this address.',
      'edit',
    ],
    [
      'a 401 with the server’s words',
      {
        kind: 'failed',
        reason: 'HTTP 401 Unauthorized',
        status: 401,
        facts: { kind: 'http', status: 401, serverMessage: 'token expired' },
      },
      'HTTP 401: the server wants you to sign in: “token expired”',
      'edit',
    ],
    [
      'an https address whose server speaks http',
      {
        kind: 'reconnecting',
        attempt: 1,
        delayMs: 1000,
        reason: 'ssl3_get_record:wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)',
        facts: { kind: 'network', code: 'ERR_SSL_WRONG_VERSION_NUMBER' },
      },
      '127.0.0.1:4000 does not answer in https.',
      'edit',
    ],
    [
      'a page instead of a stream',
      {
        kind: 'failed',
        reason: 'unexpected Content-Type "text/html"',
        status: 200,
        facts: { kind: 'content-type', status: 200 },
      },
      'This address answers, but not with an event stream (it sends a web page or a file).',
      'edit',
    ],
  ])('%s', (_what, state, summary, fix) => {
    const problem = describeFeedState(state, at)!
    expect(problem.summary).toBe(summary)
    expect(problem.fix).toBe(fix)
    // The engine's words stay, one click away.
    expect(problem.detail).toBe('reason' in state ? state.reason : '')
  })

  it('says when a 5xx is tried again', () => {
    const problem = describeFeedState(
      {
        kind: 'reconnecting',
        attempt: 3,
        delayMs: 4000,
        reason: 'HTTP 503 Service Unavailable',
        facts: { kind: 'http', status: 503 },
      },
      { ...at, nextTryIn: 'in 4 s' },
    )!
    expect(problem.summary).toBe('HTTP 503: the server has a problem.')
    expect(problem.next).toBe('Tidings tries again in 4 s.')
  })

  it('has nothing to say for a feed that is fine or paused on purpose', () => {
    expect(describeFeedState({ kind: 'open' }, at)).toBeNull()
    expect(describeFeedState({ kind: 'stopped', reason: 'disabled' }, at)).toBeNull()
    expect(describeFeedState({ kind: 'stopped', reason: 'finished' }, at)).toBeNull()
  })

  it('names the default port, and keeps old states without facts readable', () => {
    expect(
      describeFailure(
        'connect ECONNREFUSED',
        { kind: 'network', code: 'ECONNREFUSED' },
        {
          url: 'https://feeds.example/x',
          retrying: false,
        },
      ).summary,
    ).toBe('Nothing is listening at feeds.example:443. Is the server running?')
    expect(
      describeFailure('no answer within 10 s.', undefined, { ...at, retrying: false }),
    ).toMatchObject({
      summary: 'No answer within 10 s.',
      fix: null,
    })
  })
})

describe('isLastingFailure', () => {
  const network = (code?: string) => ({ kind: 'network' as const, ...(code ? { code } : {}) })

  it.each([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ENOTFOUND',
    'EAI_NONAME',
    'ERR_SSL_WRONG_VERSION_NUMBER',
    'CERT_FINGERPRINT_MISMATCH',
  ])('%s will not mend by itself', (code) => {
    expect(isLastingFailure('whatever the words', network(code))).toBe(true)
  })

  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'EAI_AGAIN',
    'ETIMEDOUT',
    'UND_ERR_SOCKET',
    'EHOSTUNREACH',
  ])('%s may mend: a server restarting, a network coming back', (code) => {
    expect(isLastingFailure('whatever the words', network(code))).toBe(false)
  })

  it('reads a certificate failure without a code from its words; other kinds are not lasting', () => {
    expect(isLastingFailure('self signed certificate in certificate chain', network())).toBe(true)
    expect(isLastingFailure('fetch failed', network())).toBe(false)
    expect(isLastingFailure('HTTP 503', { kind: 'http', status: 503 })).toBe(false)
    expect(isLastingFailure('no data for 2 s', { kind: 'idle' })).toBe(false)
    expect(isLastingFailure('certificate', undefined)).toBe(false)
  })
})
