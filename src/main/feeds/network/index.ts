// The one network module of the feeds, on undici (plain Node): the desktop app's feeds and Test
// connection and the `tidings` CLI all make their requests here.
// - Proxies as the OS has them (PAC included, asked per request through the app's resolver) or as
//   the environment says (CLI): DIRECT, HTTP and HTTPS proxies, SOCKS5; PAC's ';' fallbacks are
//   tried in order when a proxy cannot be reached; a kind we cannot use is a clear error.
// - The OS certificate store and NODE_EXTRA_CA_CERTS on top of Node's own authorities.
// - A feed's trusted self-signed certificate is checked in that feed's own TLS handshake, for
//   that feed's host only, on a dispatcher of its own: no other feed or request shares it.
// - No cookie jar, no connection limit per host, no body timeout (a feed may be quiet for hours;
//   the engine's idle timeout decides), a bound on how long response headers may take.
import type { Dispatcher } from 'undici'
import { Agent, ProxyAgent, Socks5ProxyAgent } from './undici-parts.ts'
import type { FetchLike, RequestContext } from '../feed-connection.ts'
import { redactProxy, type ProxyResolver, type ProxyRoute } from './proxy-routes.ts'
import { connector, trustStore, type PinnedCertificate } from './tls.ts'
import { streamRequest } from './stream-request.ts'
import { ProxyTunnelError, tunnelThrough, type Tunnel } from './tunnel.ts'

export { envProxies, envResolver, describeEnvProxies, pacResolver } from './proxy-routes.ts'
export type { ProxyResolver, ProxyRoute } from './proxy-routes.ts'

/** undici's (and Node's) default: response headers larger than this fail the request. */
export const MAX_RESPONSE_HEADER_BYTES = 16 * 1024
export const HEADERS_TIMEOUT_MS = 300_000
const CONNECT_TIMEOUT_MS = 10_000

export interface FeedNetworkOptions {
  /** The routes for a URL, best first. Default: always direct. */
  proxies?: ProxyResolver | null
  /** NODE_EXTRA_CA_CERTS is read from here. */
  env?: Record<string, string | undefined>
  /** How long response headers may take. Default 300 s (the engine's idle timeout is shorter). */
  headersTimeoutMs?: number
}

export interface FeedNetwork {
  readonly fetch: FetchLike
  /** Closes every connection (destroy, not close: close would wait for streams that never end). */
  dispose(): Promise<void>
}

/** Errors by which a route failed before the request reached the server: try the next route. */
const ROUTE_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKS5',
])

/** A route this request cannot take (a kind of proxy we cannot use): the next one may do. */
class RouteError extends Error {
  override readonly name = 'RouteError'
}

export function createFeedNetwork(options: FeedNetworkOptions = {}): FeedNetwork {
  const resolve = options.proxies ?? (async () => [{ kind: 'direct' } as const])
  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS
  const extraCaFile = options.env?.['NODE_EXTRA_CA_CERTS']
  const dispatchers = new Map<string, Dispatcher>()
  const tunnels: Tunnel[] = []
  let disposed = false

  const secureContext = () => trustStore(extraCaFile)
  const connectorFor = (pinned?: PinnedCertificate) =>
    connector({ secureContext, connectTimeoutMs: CONNECT_TIMEOUT_MS }, pinned)

  // The same limits on every dispatcher, per request too (undici's SOCKS5 pools ignore the
  // pool options for them).
  const limits = { bodyTimeout: 0, headersTimeout, maxHeaderSize: MAX_RESPONSE_HEADER_BYTES }
  const bounded = (dispatcher: Dispatcher): Dispatcher =>
    dispatcher.compose(
      (dispatch) => (opts, handler) =>
        dispatch({ ...opts, bodyTimeout: 0, headersTimeout }, handler),
    )

  function create(
    route: Exclude<ProxyRoute, { kind: 'unsupported' }>,
    https: boolean,
    pinned?: PinnedCertificate,
  ): Dispatcher {
    if (route.kind === 'direct') return new Agent({ ...limits, connect: connectorFor(pinned) })
    if (route.kind === 'socks5') {
      if (pinned)
        throw new RouteError(
          `a trusted self-signed certificate cannot be checked through the SOCKS proxy ${route.proxy.host}; connect without a proxy for this feed`,
        )
      const context = https ? secureContext() : undefined
      return new Socks5ProxyAgent(route.proxy, {
        ...limits,
        ...(context ? { requestTls: { secureContext: context } } : {}),
      })
    }
    if (!https) {
      const context = route.kind === 'https' ? secureContext() : undefined
      return new ProxyAgent({
        uri: route.proxy.href,
        ...limits,
        ...(context ? { proxyTls: { secureContext: context } } : {}),
      })
    }
    const tunnel = tunnelThrough(route.proxy, connectorFor(), connectorFor(pinned))
    tunnels.push(tunnel)
    return new Agent({ ...limits, connect: tunnel.connect })
  }

  function dispatcherFor(route: ProxyRoute, target: URL, context?: RequestContext): Dispatcher {
    if (route.kind === 'unsupported') throw new RouteError(route.why)
    const https = target.protocol === 'https:'
    // A pinned certificate only ever matters for its own host over https.
    const pin = context?.trust
    const pinned =
      https &&
      pin &&
      target.hostname.replace(/^\[|\]$/g, '').toLowerCase() === pin.host.toLowerCase()
        ? pin
        : undefined
    const key = [
      route.kind,
      route.kind === 'direct' ? '' : route.proxy.href,
      route.kind === 'direct' || route.kind === 'socks5' ? '' : https ? 'tunnel' : 'forward',
      pinned ? `${pinned.host} ${pinned.sha256.toUpperCase()}` : '',
    ].join('|')
    let dispatcher = dispatchers.get(key)
    if (!dispatcher) {
      dispatcher = bounded(create(route, https, pinned))
      dispatchers.set(key, dispatcher)
    }
    return dispatcher
  }

  const fetch: FetchLike = async (url, init, context) => {
    if (disposed) throw new Error('the network was shut down')
    const target = new URL(url)
    let routes: ProxyRoute[]
    try {
      routes = await resolve(target.href)
    } catch (error) {
      throw new Error('could not find out which proxy to use', { cause: error })
    }
    let first: unknown = null
    for (const route of routes.length > 0 ? routes : [{ kind: 'direct' } as const]) {
      try {
        const dispatcher = dispatcherFor(route, target, context)
        return await streamRequest(dispatcher, target, init)
      } catch (caught) {
        if (init.signal?.aborted) throw caught
        const error = withOurLimits(caught, headersTimeout)
        // Say which proxy a request went through, unless the error already does.
        const failure =
          route.kind === 'direct' || route.kind === 'unsupported' || inChain(error, isOurs)
            ? error
            : new Error(`through the proxy ${redactProxy(route.proxy)}`, { cause: error })
        first ??= failure
        // The next route only when this one never reached the server.
        if (!isRouteFailure(error)) break
      }
    }
    throw first
  }

  return {
    fetch,
    async dispose() {
      disposed = true
      const all = [...dispatchers.values()]
      dispatchers.clear()
      await Promise.all([
        ...all.map((dispatcher) => dispatcher.destroy().catch(() => {})),
        ...tunnels.splice(0).map((tunnel) => tunnel.close().catch(() => {})),
      ])
    },
  }
}

/** undici's headers timeout does not say how long it waited: this one does. */
function withOurLimits(error: unknown, headersTimeoutMs: number): unknown {
  if (!inChain(error, (link) => (link as { code?: unknown }).code === 'UND_ERR_HEADERS_TIMEOUT'))
    return error
  const limit =
    headersTimeoutMs % 1000 === 0 ? `${headersTimeoutMs / 1000} s` : `${headersTimeoutMs} ms`
  return Object.assign(
    new Error(`the server did not send its response headers within ${limit}`, { cause: error }),
    { code: 'UND_ERR_HEADERS_TIMEOUT' },
  )
}

const isOurs = (error: Error) => error instanceof ProxyTunnelError || error instanceof RouteError

function isRouteFailure(error: unknown): boolean {
  return inChain(error, (link) => {
    const code = (link as Error & { code?: unknown }).code
    return isOurs(link) || (typeof code === 'string' && ROUTE_FAILURES.has(code))
  })
}

/** Whether an error or one of its causes matches. */
function inChain(error: unknown, match: (link: Error) => boolean): boolean {
  let current: unknown = error
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (match(current)) return true
    current = current.cause
  }
  return false
}
