// What certificate does this https server present? Asked after a connection failed on TLS, so the
// user can compare its SHA-256 fingerprint with the one they expect and trust that one
// certificate for that one feed (never "ignore TLS errors"). Plain Node: used by the app's Test
// connection and by the CLI. The probe only reads the certificate and hangs up.
import { isIP } from 'node:net'
import { connect, type PeerCertificate } from 'node:tls'
import type { PresentedCertificateView } from '../../shared/ipc.ts'

/** The certificate a server presented: the one shape the engine, CLI and window share. */
export type PresentedCertificate = PresentedCertificateView

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/

/** "ab:cd:…", "AB CD …" or 64 hex digits, as "AB:CD:…"; null when it is no SHA-256 fingerprint. */
export function normalizeFingerprint(text: string): string | null {
  const hex = text
    .replace(/^sha256[:=\s]*/i, '')
    .replace(/[\s:]/g, '')
    .toUpperCase()
  if (!/^[0-9A-F]{64}$/.test(hex)) return null
  const colons = hex.match(/../g)?.join(':') ?? ''
  return FINGERPRINT.test(colons) ? colons : null
}

/** Whether a failure reason (Node's or Chromium's) is about the server's certificate. */
export function isCertificateError(reason: string): boolean {
  return /certificate|ERR_CERT_|CERT_|self[- ]signed|unable to verify|SSL|TLS|Hostname\/IP does not match/i.test(
    reason,
  )
}

export function probeCertificate(
  url: string,
  options: { timeoutMs?: number } = {},
): Promise<PresentedCertificate | null> {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return Promise.resolve(null)
  }
  if (target.protocol !== 'https:') return Promise.resolve(null)
  const host = target.hostname.replace(/^\[|\]$/g, '')
  const port = Number(target.port || 443)
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      // Only to read what is presented; nothing is sent over this connection.
      rejectUnauthorized: false,
    })
    const done = (result: PresentedCertificate | null) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(() => done(null), options.timeoutMs ?? 5000)
    socket.once('error', () => done(null))
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(true)
      const sha256 = cert?.fingerprint256 ? normalizeFingerprint(cert.fingerprint256) : null
      if (!sha256) return done(null)
      const subject = nameOf(cert.subject)
      const issuer = nameOf(cert.issuer)
      done({
        host: target.host,
        sha256,
        subject,
        issuer,
        validTo: cert.valid_to,
        selfSigned: cert.issuerCertificate?.fingerprint256 === cert.fingerprint256,
      })
    })
  })
}

function nameOf(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return ''
  const value = (key: string) => {
    const part = (name as unknown as Record<string, string | string[] | undefined>)[key]
    return Array.isArray(part) ? part.join(', ') : part
  }
  return value('CN') ?? value('O') ?? ''
}
