// The parts of undici the network module uses, loaded on their own: undici's index loads all of
// undici (fetch, WebSocket, EventSource, the cache, the mock agents) for 3.4 MiB of heap; these
// parts are 1.3 MiB. As undici's index does, the request API goes on the dispatchers (ProxyAgent
// opens its tunnels with `connect`).
import { createRequire } from 'node:module'
import type * as Undici from 'undici'

// Not named `require`: electron-vite's ESM output declares one of its own in the same scope.
const load = createRequire(import.meta.url)
const part = <T>(path: string): T => load(`undici/lib/${path}`) as T

Object.assign(
  part<typeof Undici.Dispatcher>('dispatcher/dispatcher.js').prototype,
  part<object>('api/index.js'),
)
export const Agent = part<typeof Undici.Agent>('dispatcher/agent.js')
export const Client = part<typeof Undici.Client>('dispatcher/client.js')
export const ProxyAgent = part<typeof Undici.ProxyAgent>('dispatcher/proxy-agent.js')
export const Socks5ProxyAgent = part<typeof Undici.Socks5ProxyAgent>(
  'dispatcher/socks5-proxy-agent.js',
)
export const buildConnector = part<typeof Undici.buildConnector>('core/connect.js')

/** A connector as `buildConnector` makes them: TCP or TLS, given to a dispatcher. */
export type Connector = Undici.buildConnector.connector
