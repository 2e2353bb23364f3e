import { describe, expect, it } from 'vitest'
import {
  BACKOFF_CAP_MS,
  backoffDelay,
  clampRetry,
  decideReconnect,
  parseRetryAfter,
  type Outcome,
  type PolicyContext,
} from './reconnect-policy.ts'

const context = (over: Partial<PolicyContext> = {}): PolicyContext => ({
  attempt: 1,
  serverRetryMs: null,
  oneShot: false,
  random: () => 0.5,
  ...over,
})
const http = (
  status: number,
  retryAfterMs: number | null = null,
): Extract<Outcome, { kind: 'http' }> => ({
  kind: 'http',
  status,
  statusText: '',
  retryAfterMs,
})

describe('reconnect policy', () => {
  it('reconnects after a clean end after retry, default 3 s, clamped to 250 ms..1 h', () => {
    expect(decideReconnect({ kind: 'ended', delivered: true }, context())).toEqual({
      action: 'reconnect',
      delayMs: 3000,
      reason: 'stream ended',
    })
    expect(
      decideReconnect({ kind: 'ended', delivered: true }, context({ serverRetryMs: 10 })),
    ).toMatchObject({
      delayMs: 250,
    })
    expect(
      decideReconnect({ kind: 'ended', delivered: true }, context({ serverRetryMs: 1e12 })),
    ).toMatchObject({
      delayMs: 3_600_000,
    })
    expect(clampRetry(5000)).toBe(5000)
  })

  it('ends a one-shot feed as finished on a clean end', () => {
    expect(decideReconnect({ kind: 'ended', delivered: true }, context({ oneShot: true }))).toEqual(
      {
        action: 'stop',
        reason: 'finished',
      },
    )
    // A break is not an end: it still reconnects.
    expect(
      decideReconnect({ kind: 'network', reason: 'x' }, context({ oneShot: true })).action,
    ).toBe('reconnect')
  })

  it('backs off exponentially with full jitter, base 1 s, cap 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, () => 0.999999))).toEqual([
      999, 1999, 3999, 7999, 15999, 31999, 59999, 59999,
    ])
    expect(backoffDelay(50, () => 0.5)).toBe(BACKOFF_CAP_MS / 2)
    expect(backoffDelay(3, () => 0)).toBe(0)
  })

  it.each([500, 502, 503, 599, 408, 429])('retries HTTP %i with backoff', (status) => {
    const decision = decideReconnect(http(status), context({ attempt: 3 }))
    expect(decision).toMatchObject({ action: 'reconnect', delayMs: 2000 })
    expect(decision.reason).toContain(`HTTP ${status}`)
  })

  it('never reconnects sooner than retry: or Retry-After', () => {
    expect(
      decideReconnect({ kind: 'network', reason: 'x' }, context({ serverRetryMs: 5000 })),
    ).toMatchObject({
      delayMs: 5000,
    })
    expect(decideReconnect(http(503, 30_000), context())).toMatchObject({ delayMs: 30_000 })
    expect(decideReconnect(http(429, 100), context({ attempt: 5, random: () => 1 }))).toMatchObject(
      { delayMs: 16_000 },
    )
  })

  it('stops on 204 and fails on other statuses with the exact reason', () => {
    expect(decideReconnect({ ...http(204), statusText: 'No Content' }, context())).toEqual({
      action: 'stop',
      reason: 'HTTP 204 No Content: the server ended the feed',
    })
    for (const status of [301, 400, 401, 403, 404, 410, 201]) {
      expect(decideReconnect({ ...http(status), statusText: 'X' }, context())).toMatchObject({
        action: 'fail',
        reason: `HTTP ${status} X`,
        status,
      })
    }
  })

  it('fails on a wrong content type and an oversize event', () => {
    expect(
      decideReconnect({ kind: 'content-type', contentType: 'text/html' }, context()),
    ).toMatchObject({
      action: 'fail',
      status: 200,
      reason: 'unexpected Content-Type "text/html" (expected text/event-stream)',
    })
    expect(decideReconnect({ kind: 'content-type', contentType: null }, context()).action).toBe(
      'fail',
    )
    expect(decideReconnect({ kind: 'oversize', limit: 1024 * 1024 }, context())).toEqual({
      action: 'fail',
      reason: 'event larger than the limit of 1 MiB',
      facts: { kind: 'oversize' },
    })
  })

  it('treats an idle connection as dead, saying whether the server answered at all', () => {
    expect(
      decideReconnect({ kind: 'idle', idleMs: 120_000, beforeResponse: false }, context()),
    ).toMatchObject({ action: 'reconnect', reason: 'no data for 120 s' })
    expect(
      decideReconnect({ kind: 'idle', idleMs: 120_000, beforeResponse: true }, context()),
    ).toMatchObject({ action: 'reconnect', reason: 'no response from the server within 120 s' })
  })

  it('doubles the wait after each end without an event, from the retry interval', () => {
    const empty = (attempt: number, random = () => 0.999999) =>
      decideReconnect(
        { kind: 'ended', delivered: false },
        context({ attempt, serverRetryMs: 1000, random }),
      ) as { action: 'reconnect'; delayMs: number; reason: string }
    expect([1, 2, 3, 4, 7, 40].map((attempt) => empty(attempt).delayMs)).toEqual([
      1000, 1999, 3999, 7999, 59_999, 59_999,
    ])
    // Jitter never brings it under the retry interval.
    expect(empty(1, () => 0).delayMs).toBe(1000)
    expect(empty(2, () => 0).delayMs).toBe(1000)
    expect(empty(3, () => 0)).toEqual({
      action: 'reconnect',
      reason: 'stream ended without an event',
      delayMs: 2000,
    })
  })

  it('backs off on bytes that make no event; fails on a refused redirect', () => {
    expect(decideReconnect({ kind: 'no-event', bytes: 4 * 1024 * 1024 }, context())).toMatchObject({
      action: 'reconnect',
      reason: '4 MiB of data without a complete event',
      delayMs: 500,
    })
    expect(decideReconnect({ kind: 'redirect', reason: 'redirect loop' }, context())).toEqual({
      action: 'fail',
      reason: 'redirect loop',
      facts: { kind: 'redirect' },
    })
  })

  it('retries a refused resume id at once, saying so', () => {
    expect(
      decideReconnect({ kind: 'resume-refused', reason: 'HTTP 431' }, context()),
    ).toMatchObject({
      action: 'reconnect',
      reason: 'HTTP 431: trying once more without the resume position (Last-Event-ID)',
      delayMs: 0,
    })
  })

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-21T10:00:00Z')
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:01:30 GMT', now)).toBe(90_000)
    expect(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(parseRetryAfter('-5', now)).toBeNull()
    expect(parseRetryAfter('1.5', now)).toBeNull()
    expect(parseRetryAfter(null, now)).toBeNull()
    expect(parseRetryAfter('99999999999999', now)).toBe(86_400_000)
  })
})
