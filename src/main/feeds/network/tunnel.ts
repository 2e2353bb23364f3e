// https through an HTTP(S) proxy: a CONNECT tunnel to the feed's host, then the feed's own TLS
// handshake inside it (its own certificate checks, a pinned certificate included). undici's
// ProxyAgent builds its tunnels' TLS from fixed options, so a per-feed fingerprint could not be
// checked there; this connector is the same CONNECT with our handshake on top.
import type { Socket } from 'node:net'
import { Client, type Connector } from './undici-parts.ts'

/** A tunnel the proxy would not open: the request may try the next route (PAC's fallbacks). */
export class ProxyTunnelError extends Error {
  override readonly name = 'ProxyTunnelError'
}

export interface Tunnel {
  connect: Connector
  close(): Promise<void>
}

export function tunnelThrough(proxy: URL, proxyConnector: Connector, endpoint: Connector): Tunnel {
  const client = new Client(proxy.origin, { connect: proxyConnector })
  const auth =
    proxy.username || proxy.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
      : null
  const connect: Connector = (options, callback) => {
    // `host` is the URL's: brackets around IPv6, the port when it is not the default one.
    const host =
      options.host ?? (options.hostname.includes(':') ? `[${options.hostname}]` : options.hostname)
    const authority = options.port ? host : `${host}:443`
    client
      .connect({
        path: authority,
        headers: { host: authority, ...(auth ? { 'proxy-authorization': auth } : {}) },
      })
      .then(({ socket, statusCode }) => {
        if (statusCode !== 200) {
          socket.on('error', () => {}).destroy()
          const refusal =
            statusCode === 407
              ? `the proxy ${proxy.host} asks for a password (HTTP 407)`
              : `the proxy ${proxy.host} refused a tunnel to ${authority} (HTTP ${statusCode})`
          return callback(new ProxyTunnelError(refusal), null)
        }
        endpoint({ ...options, httpSocket: socket as Socket }, callback)
      })
      .catch((error: Error) =>
        callback(
          new ProxyTunnelError(`could not reach the proxy ${proxy.host}`, { cause: error }),
          null,
        ),
      )
  }
  return { connect, close: () => client.destroy() }
}
