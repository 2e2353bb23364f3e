// A self-signed certificate for 127.0.0.1, made with the system's openssl, for tests of https
// feeds, certificate trust by fingerprint and NODE_EXTRA_CA_CERTS. Null where openssl is missing.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface SelfSigned {
  key: Buffer
  cert: Buffer
  /** Where the certificate's PEM was written (for NODE_EXTRA_CA_CERTS). */
  certFile: string
}

export function makeSelfSigned(dir: string, name = 'cert'): SelfSigned | null {
  const keyFile = join(dir, `${name}.key`)
  const certFile = join(dir, `${name}.pem`)
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
        .concat(['-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1'])
        .concat(['-addext', 'subjectAltName=IP:127.0.0.1']),
      { stdio: 'ignore' },
    )
  } catch {
    return null
  }
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), certFile }
}
