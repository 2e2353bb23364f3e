import { describe, expect, it } from 'vitest'
import type { FeedState } from '../../shared/feed.ts'
import { Retries } from './retries.ts'

type Failure = Extract<FeedState, { kind: 'reconnecting' | 'failed' }>
const reconnecting = (reason: string, facts?: Failure['facts']): Failure => ({
  kind: 'reconnecting',
  attempt: 1,
  delayMs: 100,
  reason,
  ...(facts ? { facts } : {}),
})
const refused = reconnecting('connect ECONNREFUSED 127.0.0.1:1', {
  kind: 'network',
  code: 'ECONNREFUSED',
})
const unknownHost = reconnecting('getaddrinfo ENOTFOUND nowhere.invalid', {
  kind: 'network',
  code: 'ENOTFOUND',
})
const selfSigned = reconnecting('self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)', {
  kind: 'network',
  code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
})
const serverError = reconnecting('HTTP 503 Service Unavailable', { kind: 'http', status: 503 })
const notFound: Failure = {
  kind: 'failed',
  reason: 'HTTP 404 Not Found',
  status: 404,
  facts: { kind: 'http', status: 404 },
}

describe('Retries, by default', () => {
  it('keeps retrying what may mend (refused, 5xx), counting the tries in a row', () => {
    const retries = new Retries(undefined)
    expect(retries.judge(refused)).toEqual({ action: 'retry', count: 1 })
    expect(retries.judge(serverError)).toEqual({ action: 'retry', count: 2 })
    for (let i = 3; i < 50; i++)
      expect(retries.judge(refused)).toEqual({ action: 'retry', count: i })
  })

  it.each([
    ['an unknown host', unknownHost],
    ['a rejected certificate', selfSigned],
    ['an HTTP 404 (the engine failed the feed)', notFound],
  ])('gives up on %s at the first try', (_what, state) => {
    expect(new Retries(undefined).judge(state)).toEqual({
      action: 'give-up',
      count: 1,
      lasting: true,
    })
  })

  it('gives up on a lasting failure that follows failures that may mend', () => {
    const retries = new Retries(undefined)
    retries.judge(refused)
    expect(retries.judge(unknownHost)).toMatchObject({ action: 'give-up', count: 2 })
  })

  it('does not count a reconnect after a clean end, nor the engine retrying without the resume id', () => {
    const retries = new Retries(0)
    expect(retries.judge(reconnecting('stream ended'))).toEqual({ action: 'reconnect' })
    expect(
      retries.judge(
        reconnecting('HTTP 431: trying once more without the resume position', {
          kind: 'resume-refused',
        }),
      ),
    ).toEqual({ action: 'reconnect' })
  })
})

describe('Retries with --retry', () => {
  it('bare: retries everything, lasting failures too, for ever', () => {
    const retries = new Retries(Infinity)
    for (let i = 1; i < 20; i++)
      expect(retries.judge([selfSigned, notFound, refused][i % 3]!)).toEqual({
        action: 'retry',
        count: i,
      })
  })

  it('N: gives up on the try after N failed ones in a row, whatever the failure', () => {
    const retries = new Retries(2)
    expect(retries.judge(refused)).toEqual({ action: 'retry', count: 1 })
    expect(retries.judge(unknownHost)).toEqual({ action: 'retry', count: 2 })
    expect(retries.judge(refused)).toEqual({ action: 'give-up', count: 3, lasting: false })
  })

  it('N: a connection that opens starts the count again', () => {
    const retries = new Retries(1)
    expect(retries.judge(refused)).toEqual({ action: 'retry', count: 1 })
    retries.opened()
    expect(retries.judge(refused)).toEqual({ action: 'retry', count: 1 })
    expect(retries.judge(refused)).toMatchObject({ action: 'give-up' })
  })

  it('0: gives up at the first failure of any kind', () => {
    expect(new Retries(0).judge(refused)).toEqual({ action: 'give-up', count: 1, lasting: false })
  })
})
