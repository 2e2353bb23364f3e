// Self-signed certificates: the fingerprint the server presents is shown for the user to
// confirm (app Test connection, CLI), and trusting exactly that fingerprint works in the CLI.
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeSelfSigned } from '../support/self-signed.ts'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  isCertificateError,
  normalizeFingerprint,
  probeCertificate,
} from '../../src/main/feeds/tls-probe.ts'
import type { TestConnectionResult } from '../../src/shared/ipc.ts'
import { fake } from '../setup/electron.ts'
import { feedSettings, startApp, type Harness } from '../app/support/app-harness.ts'
import { cleanEnv, jsonLines, killLeftoverClis, runCli } from '../node/cli-harness.ts'

const dir = mkdtempSync(join(tmpdir(), 'tidings-presets-tls-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const tls = makeSelfSigned(dir, 'feed')
const other = makeSelfSigned(dir, 'other')
const FINGERPRINT = tls ? new X509Certificate(tls.cert).fingerprint256 : ''
const OTHER_FINGERPRINT = other ? new X509Certificate(other.cert).fingerprint256 : ''

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  killLeftoverClis()
  await close?.()
  close = undefined
})

async function httpsFeed(): Promise<string> {
  const server = createHttpsServer({ key: tls!.key, cert: tls!.cert }, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' })
    res.end('id: 1\ndata: over tls\n\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/events`
}

describe('fingerprints', () => {
  it('are normalised from the forms people paste', () => {
    const hex = 'ab'.repeat(32)
    const colons = Array(32).fill('AB').join(':')
    expect(normalizeFingerprint(hex)).toBe(colons)
    expect(normalizeFingerprint(colons.toLowerCase())).toBe(colons)
    expect(normalizeFingerprint(`SHA256:${Array(32).fill('AB').join(' ')}`)).toBe(colons)
    expect(normalizeFingerprint('ab'.repeat(31))).toBeNull()
    expect(normalizeFingerprint('zz'.repeat(32))).toBeNull()
  })

  it('TLS failures are told apart from other network failures', () => {
    expect(isCertificateError('self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)')).toBe(true)
    expect(isCertificateError('net::ERR_CERT_AUTHORITY_INVALID')).toBe(true)
    expect(isCertificateError('connect ECONNREFUSED 127.0.0.1:4000')).toBe(false)
    expect(isCertificateError('HTTP 401 Unauthorized')).toBe(false)
  })

  it.skipIf(!tls)('the probe reads what the server presents', async () => {
    const url = await httpsFeed()
    expect(await probeCertificate(url)).toEqual({
      host: new URL(url).host,
      sha256: FINGERPRINT,
      subject: '127.0.0.1',
      issuer: '127.0.0.1',
      validTo: new X509Certificate(tls!.cert).validTo,
      selfSigned: true,
    })
    expect(await probeCertificate('http://127.0.0.1:1/')).toBeNull()
    expect(await probeCertificate('https://127.0.0.1:1/')).toBeNull()
  })
})

describe.skipIf(!tls)('Test connection in the app', () => {
  let app: Harness | null = null
  beforeEach(() => fake.reset())
  afterEach(async () => {
    await app?.stop()
    app = null
  })

  it('shows the rejected certificate’s fingerprint for the user to confirm', async () => {
    const url = await httpsFeed()
    app = await startApp({ settings: feedSettings([]) })
    await app.connect()
    const result = (await app.invoke('feed:test', {
      id: 'new',
      name: 'LAN box',
      url,
    })) as TestConnectionResult
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error).toMatch(/self[- ]signed certificate/i)
    expect(result.certificate).toMatchObject({ sha256: FINGERPRINT, selfSigned: true })
  })

  it('trusts the form’s fingerprint for the test’s own request only, before it is saved', async () => {
    const url = await httpsFeed()
    app = await startApp({ settings: feedSettings([]) })
    await app.connect()
    const form = { id: 'new', name: 'LAN box', url }
    const results = [
      await app.invoke('feed:test', form),
      await app.invoke('feed:test', { ...form, trustedCertSha256: FINGERPRINT }),
      await app.invoke('feed:test', form),
    ] as TestConnectionResult[]
    expect(results.map((r) => r.ok)).toEqual([false, true, false])
  })

  it('says nothing about certificates for other failures', async () => {
    app = await startApp({ settings: feedSettings([]) })
    await app.connect()
    const result = (await app.invoke('feed:test', {
      id: 'new',
      name: 'Nothing there',
      url: 'https://127.0.0.1:1/events',
    })) as TestConnectionResult
    expect(result).toMatchObject({ ok: false })
    expect(result.ok === false && result.certificate).toBeFalsy()
  })
})

describe.skipIf(!tls || !other)('tidings tail --trust-cert', () => {
  it('prints the presented fingerprint when the certificate is rejected', async () => {
    const url = await httpsFeed()
    const result = await runCli(['tail', url, '--json'], { env: cleanEnv() }).exit
    expect(result.code).toBe(1)
    const line = jsonLines(result.stderr).find((l) => 'certificate' in l)
    expect(line?.['certificate']).toMatchObject({ sha256: FINGERPRINT, selfSigned: true })
  })

  it('tells people how to trust it, in words', async () => {
    const url = await httpsFeed()
    const { code, stderr } = await runCli(['tail', url], { env: cleanEnv() }).exit
    expect(code).toBe(1)
    expect(stderr).toContain(`its SHA-256 fingerprint is ${FINGERPRINT}`)
    expect(stderr).toContain(`run again with --trust-cert ${FINGERPRINT}`)
  })

  it('connects when given exactly that fingerprint (any common form)', async () => {
    const url = await httpsFeed()
    const pasted = FINGERPRINT.replace(/:/g, '').toLowerCase()
    const result = await runCli(['tail', url, '--until-end', '--json', '--trust-cert', pasted], {
      env: cleanEnv(),
    }).exit
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout)[0]).toMatchObject({ data: 'over tls' })
  })

  it('refuses another certificate, saying which fingerprint it saw', async () => {
    const url = await httpsFeed()
    const result = await runCli(['tail', url, '--json', '--trust-cert', OTHER_FINGERPRINT], {
      env: cleanEnv(),
    }).exit
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    const state = jsonLines(result.stderr).find((l) => l['state'] === 'failed')
    expect(state?.['reason']).toContain(`${FINGERPRINT} is not the one trusted for this feed`)
  })

  it('rejects a malformed fingerprint, and one for an http URL, as usage errors', async () => {
    const bad = await runCli(['tail', 'https://127.0.0.1:1/', '--trust-cert', 'abc']).exit
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--trust-cert takes a SHA-256 fingerprint')
    const plain = await runCli(['tail', 'http://127.0.0.1:1/', '--trust-cert', FINGERPRINT]).exit
    expect(plain.code).toBe(2)
    expect(plain.stderr).toContain('only applies to https URLs')
  })
})
