// Self-signed certificates a user chose to trust, per feed: a connection to that feed's host is
// accepted when Chromium rejects the certificate but its SHA-256 fingerprint is the one stored.
// Nothing else is loosened: other hosts and other certificates keep Chromium's verdict.
import { createHash } from 'node:crypto'

/** "AB:CD:…" (32 bytes) of a PEM certificate's DER bytes. */
export function pemFingerprint(pem: string): string | null {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)?.[1]
  if (!body) return null
  const der = Buffer.from(body.replace(/\s+/g, ''), 'base64')
  if (der.length === 0) return null
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase()
  return hex.match(/../g)?.join(':') ?? null
}

export interface TrustRequest {
  hostname: string
  errorCode: number
  certificate: { data: string }
}

/** Chromium's codes for setCertificateVerifyProc: 0 accepts, -3 keeps Chromium's own result. */
export const ACCEPT = 0
export const USE_CHROMIUM = -3

export function verifyCertificate(
  request: TrustRequest,
  feeds: ReadonlyArray<{ url: string; trustedCertSha256?: string | undefined }>,
): number {
  if (request.errorCode === 0) return USE_CHROMIUM
  const fingerprint = pemFingerprint(request.certificate.data)
  if (!fingerprint) return USE_CHROMIUM
  const host = request.hostname.toLowerCase()
  const trusted = feeds.some((feed) => {
    if (!feed.trustedCertSha256 || feed.trustedCertSha256.toUpperCase() !== fingerprint)
      return false
    try {
      return new URL(feed.url).hostname.toLowerCase().replace(/^\[|\]$/g, '') === host
    } catch {
      return false
    }
  })
  return trusted ? ACCEPT : USE_CHROMIUM
}
