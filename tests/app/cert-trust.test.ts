// Trusting a self-signed certificate for one feed: by fingerprint and host, nothing wider.
import { X509Certificate } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ACCEPT,
  pemFingerprint,
  USE_CHROMIUM,
  verifyCertificate,
} from '../../src/main/core/cert-trust.ts'
import { fake } from '../setup/electron.ts'
import { feedSettings, startApp, type Harness } from './support/app-harness.ts'

// A self-signed certificate for CN=feeds.local (generated once with openssl).
const PEM = `-----BEGIN CERTIFICATE-----
MIIBgzCCASmgAwIBAgIUNDqy5K87OGMgJBJGnaspNNZiggwwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLZmVlZHMubG9jYWwwIBcNMjYxMTIxMDg0MjUxWhgPMjEyNjEw
MjgwODQyNTFaMBYxFDASBgNVBAMMC2ZlZWRzLmxvY2FsMFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEi3i/0EHB6kwjT5Zn82nqU2x779QTE8GKdsWPG20YpBDl/Ubs
J6Y5O7frQgujYSg9WzJgHSSYaW+cOCU8kGpQh6NTMFEwHQYDVR0OBBYEFNAjgyMX
Wj7WiFVS+1KSJk4kiudfMB8GA1UdIwQYMBaAFNAjgyMXWj7WiFVS+1KSJk4kiudf
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgFHDTbvRa4olp62mZ
jb3LOfoJAaox3D17vI1TSHVUJ8oCIQDXYmFu7mkLWaNjsKxdBy2q7ejzsYwb1+fh
Lqu/QABNqg==
-----END CERTIFICATE-----`
const FINGERPRINT = new X509Certificate(PEM).fingerprint256

describe('trusted certificates', () => {
  it('fingerprints the certificate as Node does (SHA-256 of the DER, AB:CD:…)', () => {
    expect(pemFingerprint(PEM)).toBe(FINGERPRINT)
    expect(pemFingerprint('not a certificate')).toBeNull()
  })

  it('accepts a rejected certificate only for the feed host that trusts its fingerprint', () => {
    const feeds = [
      { url: 'https://feeds.local:8443/sse', trustedCertSha256: FINGERPRINT.toLowerCase() },
    ]
    const request = { hostname: 'feeds.local', errorCode: -202, certificate: { data: PEM } }
    expect(verifyCertificate(request, feeds)).toBe(ACCEPT)
    expect(verifyCertificate({ ...request, hostname: 'evil.example' }, feeds)).toBe(USE_CHROMIUM)
    expect(verifyCertificate(request, [{ url: 'https://feeds.local/' }])).toBe(USE_CHROMIUM)
    const other = [
      { url: 'https://feeds.local/', trustedCertSha256: FINGERPRINT.replace(/^../, '00') },
    ]
    expect(verifyCertificate(request, other)).toBe(USE_CHROMIUM)
    // A certificate Chromium already accepts keeps Chromium's verdict.
    expect(verifyCertificate({ ...request, errorCode: 0 }, feeds)).toBe(USE_CHROMIUM)
  })

  describe('in the app', () => {
    let harness: Harness | null = null
    beforeEach(() => fake.reset())
    afterEach(async () => {
      await harness?.stop()
      harness = null
    })

    it('installs a verify proc that follows the settings', async () => {
      harness = await startApp({
        settings: feedSettings([
          {
            id: 'local',
            name: 'Local',
            url: 'https://feeds.local/sse',
            enabled: false,
            trustedCertSha256: FINGERPRINT,
          },
        ]),
      })
      const verdicts: number[] = []
      const proc = fake.session.certificateVerifyProc as (
        r: unknown,
        cb: (n: number) => void,
      ) => void
      proc({ hostname: 'feeds.local', errorCode: -202, certificate: { data: PEM } }, (n) =>
        verdicts.push(n),
      )
      proc({ hostname: 'other.local', errorCode: -202, certificate: { data: PEM } }, (n) =>
        verdicts.push(n),
      )
      expect(verdicts).toEqual([ACCEPT, USE_CHROMIUM])
    })
  })
})
