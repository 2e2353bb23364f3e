// Whom a feed's TLS handshake trusts: the certificate authorities Node ships, the OS certificate
// store and NODE_EXTRA_CA_CERTS, all as one secure context built once; and, for a feed whose
// user trusted one self-signed certificate by its SHA-256 fingerprint, that certificate too, for
// that feed's host only, checked in that feed's own handshake. Nothing is loosened for any other
// host, feed or request.
import { readFileSync } from 'node:fs'
import {
  createSecureContext,
  getCACertificates,
  type PeerCertificate,
  type SecureContext,
  type TLSSocket,
} from 'node:tls'
import { buildConnector, type Connector } from './undici-parts.ts'

/** One certificate the user trusts, for one host. */
export interface PinnedCertificate {
  /** The feed's host name, as in its URL (IPv6 without brackets). */
  host: string
  /** "AB:CD:…": SHA-256 of the whole certificate. */
  sha256: string
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

let shared: { extraFile: string | undefined; context: SecureContext | undefined } | null = null

/**
 * Node's default authorities (bundled, plus what Node itself loaded from NODE_EXTRA_CA_CERTS),
 * the OS store, and the certificates in `extraFile` (NODE_EXTRA_CA_CERTS read here as well:
 * Electron ignores the variable when the Node-options fuse is off, as it is in our packages).
 * Built once per process; undefined where Node cannot list its certificates (its defaults apply).
 */
export function trustStore(extraFile: string | undefined): SecureContext | undefined {
  if (shared !== null && shared.extraFile === extraFile) return shared.context
  let context: SecureContext | undefined
  try {
    const authorities = new Set([...getCACertificates('default'), ...getCACertificates('system')])
    for (const pem of readExtra(extraFile)) authorities.add(pem)
    context = createSecureContext({ ca: [...authorities] })
  } catch {
    context = undefined
  }
  shared = { extraFile, context }
  return context
}

function readExtra(file: string | undefined): string[] {
  if (!file) return []
  try {
    return readFileSync(file, 'utf8').match(PEM_BLOCK) ?? []
  } catch {
    return [] // Node warns about an unreadable NODE_EXTRA_CA_CERTS itself
  }
}

export interface ConnectorOptions {
  /** Built on the first https connection only (reading the OS store takes a moment). */
  secureContext: () => SecureContext | undefined
  /** Only while connecting: once connected, a stream may be silent for as long as it likes. */
  connectTimeoutMs: number
}

/**
 * The TLS (and TCP) connector of one dispatcher. With `pinned`, a certificate Node rejects is
 * accepted from `pinned.host` when it is exactly that certificate; everything else is verified
 * as usual. Sessions from such a handshake are never cached, so no later connection resumes
 * one without its own check.
 */
export function connector(options: ConnectorOptions, pinned?: PinnedCertificate): Connector {
  const plain = buildConnector({ timeout: options.connectTimeoutMs })
  let tls: Connector | null = null
  return (connectOptions, callback) => {
    if (connectOptions.protocol !== 'https:') return plain(connectOptions, callback)
    tls ??= tlsConnector(options, pinned)
    return tls(connectOptions, callback)
  }
}

function tlsConnector(options: ConnectorOptions, pinned?: PinnedCertificate) {
  const context = options.secureContext()
  const base = {
    timeout: options.connectTimeoutMs,
    ...(context ? { secureContext: context } : {}),
  }
  const verified = buildConnector(base)
  if (!pinned) return verified
  const lenient = buildConnector({ ...base, rejectUnauthorized: false, maxCachedSessions: 0 })
  const host = pinned.host.toLowerCase().replace(/^\[|\]$/g, '')
  const expected = pinned.sha256.toUpperCase()
  const pinnedConnector: Connector = (connectOptions, callback) => {
    if (connectOptions.hostname.toLowerCase() !== host) return verified(connectOptions, callback)
    lenient(connectOptions, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('no socket'), null)
      const tls = socket as TLSSocket
      if (tls.authorized) return callback(null, tls)
      const presented = fingerprintOf(tls.getPeerCertificate())
      if (presented === expected) return callback(null, tls)
      tls.destroy()
      const failure = new Error(
        `certificate not trusted (${String(tls.authorizationError)}); its SHA-256 fingerprint ` +
          `${presented ?? 'unknown'} is not the one trusted for this feed`,
      )
      callback(Object.assign(failure, { code: 'CERT_FINGERPRINT_MISMATCH' }), null)
    })
  }
  return pinnedConnector
}

function fingerprintOf(certificate: PeerCertificate | undefined): string | null {
  return certificate?.fingerprint256 ? certificate.fingerprint256.toUpperCase() : null
}
