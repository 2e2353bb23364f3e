// The CLI's network: Node's fetch, or undici's fetch through EnvHttpProxyAgent when a proxy
// variable is set, so HTTP(S)_PROXY and NO_PROXY work as they do for curl. NODE_EXTRA_CA_CERTS
// is honoured by Node itself for both. --trust-cert accepts one self-signed certificate, by its
// SHA-256 fingerprint, for the feed's host only (on direct connections, i.e. without a proxy or
// for a NO_PROXY host): every other certificate is verified as usual.
import type { TLSSocket } from 'node:tls'
import { Agent, buildConnector, EnvHttpProxyAgent, fetch as undiciFetch } from 'undici'
import type { FetchLike } from '../feeds/index.ts'

/** One certificate the user trusts, for one host. */
export interface TrustedCertificate {
  hostname: string
  sha256: string
}

export interface CliNetwork {
  /** Undefined: the engine's default (global fetch). */
  fetch: FetchLike | undefined
  /** For the connecting line, e.g. "via proxy http://proxy:3128". */
  description: string | undefined
  dispose(): Promise<void>
}

type Env = Record<string, string | undefined>

/** Lower-case wins over upper-case, as in curl. */
function envVar(env: Env, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()]
  return value?.trim() ? value.trim() : undefined
}

export function proxySettings(env: Env) {
  return {
    httpProxy: envVar(env, 'http_proxy'),
    httpsProxy: envVar(env, 'https_proxy'),
    noProxy: envVar(env, 'no_proxy'),
  }
}

export function createCliNetwork(env: Env, trust?: TrustedCertificate): CliNetwork {
  const { httpProxy, httpsProxy, noProxy } = proxySettings(env)
  const connect = trust ? { connect: pinnedConnector(trust) } : {}
  if (!httpProxy && !httpsProxy) {
    if (!trust) return { fetch: undefined, description: undefined, dispose: async () => {} }
    const direct = new Agent(connect)
    return {
      fetch: (url, init) =>
        undiciFetch(url, {
          ...(init as Parameters<typeof undiciFetch>[1]),
          dispatcher: direct,
        }) as unknown as Promise<Response>,
      description: undefined,
      dispose: () => direct.destroy(),
    }
  }

  // Explicit values, so only the env given here counts. Without HTTPS_PROXY, https requests use
  // HTTP_PROXY, as undici (and most corporate setups) expect.
  const agent = new EnvHttpProxyAgent({
    httpProxy: httpProxy ?? '',
    httpsProxy: httpsProxy ?? httpProxy ?? '',
    noProxy: noProxy ?? '',
    ...connect,
  })
  const fetch: FetchLike = (url, init) =>
    undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    }) as unknown as Promise<Response>
  return {
    fetch,
    description: describeProxies(httpProxy, httpsProxy, noProxy),
    // destroy, not close: close would wait for a stream that never ends by itself.
    dispose: () => agent.destroy(),
  }
}

/**
 * Node's own verification, except that a certificate it rejects is accepted when it is the
 * trusted one for the trusted host (compared by SHA-256 of the whole certificate).
 */
function pinnedConnector(trust: TrustedCertificate): buildConnector.connector {
  const verified = buildConnector({})
  const lenient = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0 })
  const host = trust.hostname.toLowerCase().replace(/^\[|\]$/g, '')
  return (options, callback) => {
    if (options.protocol !== 'https:' || options.hostname.toLowerCase() !== host)
      return verified(options, callback)
    lenient(options, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('no socket'), null)
      const tls = socket as TLSSocket
      if (tls.authorized) return callback(null, tls)
      const presented = tls.getPeerCertificate()?.fingerprint256?.toUpperCase()
      if (presented === trust.sha256.toUpperCase()) return callback(null, tls)
      tls.destroy()
      const failure = new Error(
        `certificate not trusted (${String(tls.authorizationError)}); its SHA-256 fingerprint ` +
          `${presented ?? 'unknown'} is not the one given to --trust-cert`,
      )
      callback(Object.assign(failure, { code: 'CERT_FINGERPRINT_MISMATCH' }), null)
    })
  }
}

function describeProxies(http?: string, https?: string, noProxy?: string): string {
  const proxies =
    http && https && http !== https
      ? `http via ${redact(http)}, https via ${redact(https)}`
      : `via proxy ${redact((https ?? http) as string)}`
  return noProxy ? `${proxies} (not for ${noProxy})` : proxies
}

/** Never print proxy credentials. */
function redact(proxy: string): string {
  try {
    const url = new URL(proxy)
    if (url.username || url.password) {
      url.username = '***'
      url.password = ''
    }
    return url.href
  } catch {
    return proxy.replace(/\/\/[^@/]*@/, '//***@')
  }
}
