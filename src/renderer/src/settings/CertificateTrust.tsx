// A rejected certificate, as Test connection found it: shown in full for the user to compare
// with what they expect, and trusted by its SHA-256 fingerprint for this feed only.
import { useEffect, useRef } from 'react'
import type { PresentedCertificateView } from '../../../shared/ipc.ts'

export function CertificateTrust(props: {
  certificate: PresentedCertificateView
  /** The fingerprint the feed trusts now, if any. */
  trusted: string | undefined
  onTrust(sha256: string): void
}): React.JSX.Element {
  const { certificate } = props
  const already = props.trusted?.toUpperCase() === certificate.sha256
  // Trust replaces its button: focus goes to what it did, not to <body>; once, so a later
  // render (the saved settings coming back) does not take focus from where the user is.
  const focusPending = useRef(false)
  const said = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    if (!focusPending.current || !already) return
    focusPending.current = false
    said.current?.focus()
  }, [already])
  return (
    <div className="certificate" role="group" aria-label="Presented certificate">
      <strong>The server presented a certificate that is not trusted.</strong>
      <dl>
        <dt>Server</dt>
        <dd>{certificate.host}</dd>
        <dt>Issued to</dt>
        <dd>{certificate.subject || '(no name)'}</dd>
        <dt>Issued by</dt>
        <dd>
          {certificate.selfSigned ? 'itself (self-signed)' : certificate.issuer || '(no name)'}
        </dd>
        <dt>Valid until</dt>
        <dd>{certificate.validTo}</dd>
        <dt>SHA-256</dt>
        <dd className="fingerprint">{certificate.sha256}</dd>
      </dl>
      <p className="hint">
        Trust it only if this fingerprint is the one of the server you know (ask its owner or read
        it on the server). Only this certificate is trusted, only for this feed’s host.
      </p>
      {already ? (
        <p className="hint" ref={said} tabIndex={-1}>
          Trusted: this feed uses this certificate once the settings are saved.
        </p>
      ) : (
        <button
          type="button"
          onClick={() => {
            focusPending.current = true
            props.onTrust(certificate.sha256)
          }}
        >
          Trust this certificate for {certificate.host}
        </button>
      )}
    </div>
  )
}
