// Where a request goes: straight to the server or through a proxy, in order of preference.
// The desktop app asks the OS (Electron's session.resolveProxy, PAC included) and gets Chromium's
// PAC-style answer ("PROXY a:3128; HTTPS b:443; DIRECT"); the CLI reads HTTP(S)_PROXY and
// NO_PROXY as curl does. Both become the same list of routes.

export type ProxyRoute =
  | { kind: 'direct' }
  /** An HTTP proxy (PROXY), an HTTP proxy spoken to over TLS (HTTPS), or a SOCKS5 proxy. */
  | { kind: 'http' | 'https' | 'socks5'; proxy: URL }
  /** A route Tidings cannot take (SOCKS4, QUIC, an unreadable entry): why, in words. */
  | { kind: 'unsupported'; entry: string; why: string }

export type ProxyResolver = (url: string) => Promise<ProxyRoute[]>

const PAC_SCHEMES: Record<string, 'http' | 'https' | 'socks5'> = {
  PROXY: 'http',
  HTTP: 'http',
  HTTPS: 'https',
  SOCKS5: 'socks5',
}

/** Chromium's PAC result: entries separated by ';', each "DIRECT" or "<TYPE> host:port". */
export function parsePacResult(text: string): ProxyRoute[] {
  const routes: ProxyRoute[] = []
  for (const part of text.split(';')) {
    const entry = part.trim()
    if (entry === '') continue
    const [keyword = '', address, ...rest] = entry.split(/\s+/)
    const type = keyword.toUpperCase()
    if (type === 'DIRECT' && address === undefined) {
      routes.push({ kind: 'direct' })
      continue
    }
    const scheme = PAC_SCHEMES[type]
    const proxy = scheme && address && rest.length === 0 ? proxyUrl(`${scheme}://${address}`) : null
    if (scheme && proxy) routes.push({ kind: scheme, proxy })
    else routes.push({ kind: 'unsupported', entry, why: unsupportedReason(type, entry) })
  }
  return routes.length > 0 ? routes : [{ kind: 'direct' }]
}

function unsupportedReason(type: string, entry: string): string {
  if (type === 'SOCKS' || type === 'SOCKS4')
    return `the system proxy "${entry}" is a SOCKS4 proxy; Tidings can use HTTP, HTTPS and SOCKS5 proxies`
  return `the system proxy "${entry}" is of a kind Tidings cannot use (HTTP, HTTPS and SOCKS5 work)`
}

/** A route resolver over Electron's session.resolveProxy (or anything answering in PAC form). */
export function pacResolver(resolveProxy: (url: string) => Promise<string>): ProxyResolver {
  return async (url) => parsePacResult(await resolveProxy(url))
}

type Env = Record<string, string | undefined>

/** Lower-case wins over upper-case, as in curl. */
function envVar(env: Env, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()]
  return value?.trim() ? value.trim() : undefined
}

export interface EnvProxies {
  httpProxy: string | undefined
  httpsProxy: string | undefined
  noProxy: string | undefined
}

export function envProxies(env: Env): EnvProxies {
  return {
    httpProxy: envVar(env, 'http_proxy'),
    httpsProxy: envVar(env, 'https_proxy'),
    noProxy: envVar(env, 'no_proxy'),
  }
}

/**
 * HTTP_PROXY for http URLs, HTTPS_PROXY (else HTTP_PROXY) for https URLs, except for hosts in
 * NO_PROXY; null when no proxy variable is set (every request goes direct).
 */
export function envResolver(env: Env): ProxyResolver | null {
  const { httpProxy, httpsProxy, noProxy } = envProxies(env)
  if (!httpProxy && !httpsProxy) return null
  const bypass = noProxyMatcher(noProxy ?? '')
  const routeFor = (value: string | undefined): ProxyRoute => {
    if (!value) return { kind: 'direct' }
    const proxy = proxyUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`)
    const scheme = proxy?.protocol.slice(0, -1)
    if (proxy && (scheme === 'http' || scheme === 'https' || scheme === 'socks5'))
      return { kind: scheme, proxy }
    if (proxy && scheme === 'socks') return { kind: 'socks5', proxy }
    return {
      kind: 'unsupported',
      entry: redactProxy(value),
      why: `the proxy "${redactProxy(value)}" is not an http://, https:// or socks5:// URL`,
    }
  }
  const http = routeFor(httpProxy)
  const https = routeFor(httpsProxy ?? httpProxy)
  return async (url) => {
    const target = new URL(url)
    const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80)
    if (bypass(target.hostname, port)) return [{ kind: 'direct' }]
    return [target.protocol === 'https:' ? https : http]
  }
}

interface NoProxyEntry {
  host: string
  port: number
  /** "*.example.com": subdomains only. */
  subdomainsOnly: boolean
}

/** NO_PROXY as curl and undici read it: "*", hosts and domain suffixes, optional ports. */
function noProxyMatcher(value: string): (hostname: string, port: number) => boolean {
  const entries: NoProxyEntry[] = []
  for (const raw of value.split(/[,\s]+/)) {
    if (raw === '') continue
    const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(raw)
    let host = raw
    let port = 0
    if (bracketed) {
      host = bracketed[1]!
      port = Number(bracketed[2] ?? 0)
    } else if ((raw.match(/:/g) ?? []).length === 1) {
      const [name, digits] = raw.split(':')
      if (/^\d+$/.test(digits ?? '')) {
        host = name!
        port = Number(digits)
      }
    }
    entries.push({
      host: host
        .replace(/^\*?\./, '')
        .replace(/\.$/, '')
        .toLowerCase(),
      port,
      subdomainsOnly: raw.startsWith('*.'),
    })
  }
  return (hostname, port) => {
    const host = hostname
      .replace(/^\[(.+)\]$/, '$1')
      .replace(/\.$/, '')
      .toLowerCase()
    return entries.some((entry) => {
      if (entry.port && entry.port !== port) return false
      if (entry.host === '*') return true
      if (!entry.subdomainsOnly && host === entry.host) return true
      return host.endsWith(`.${entry.host}`)
    })
  }
}

function proxyUrl(text: string): URL | null {
  try {
    const url = new URL(text)
    return url.hostname ? url : null
  } catch {
    return null
  }
}

/** A proxy URL fit to print: never its credentials. */
export function redactProxy(proxy: string | URL): string {
  try {
    const url = new URL(proxy)
    if (url.username || url.password) {
      url.username = '***'
      url.password = ''
    }
    return url.href
  } catch {
    return String(proxy).replace(/\/\/[^@/]*@/, '//***@')
  }
}

/** "via proxy http://proxy:3128/ (not for localhost)": the CLI's connecting line. */
export function describeEnvProxies({
  httpProxy,
  httpsProxy,
  noProxy,
}: EnvProxies): string | undefined {
  if (!httpProxy && !httpsProxy) return undefined
  const proxies =
    httpProxy && httpsProxy && httpProxy !== httpsProxy
      ? `http via ${redactProxy(httpProxy)}, https via ${redactProxy(httpsProxy)}`
      : `via proxy ${redactProxy((httpsProxy ?? httpProxy) as string)}`
  return noProxy ? `${proxies} (not for ${noProxy})` : proxies
}
