// The CLI's network: Node's fetch, or undici's fetch through EnvHttpProxyAgent when a proxy
// variable is set, so HTTP(S)_PROXY and NO_PROXY work as they do for curl. NODE_EXTRA_CA_CERTS
// is honoured by Node itself for both.
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici'
import type { FetchLike } from '../feeds/index.ts'

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

export function createCliNetwork(env: Env): CliNetwork {
  const { httpProxy, httpsProxy, noProxy } = proxySettings(env)
  if (!httpProxy && !httpsProxy)
    return { fetch: undefined, description: undefined, dispose: async () => {} }

  // Explicit values, so only the env given here counts. Without HTTPS_PROXY, https requests use
  // HTTP_PROXY, as undici (and most corporate setups) expect.
  const agent = new EnvHttpProxyAgent({
    httpProxy: httpProxy ?? '',
    httpsProxy: httpsProxy ?? httpProxy ?? '',
    noProxy: noProxy ?? '',
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
