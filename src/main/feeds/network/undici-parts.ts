// The parts of undici the network module uses, each loaded from its own file. undici's index
// loads all of undici (fetch, WebSocket, EventSource, mocks, caches, cookies…): about 200 ms of
// CPU at every start of `tidings`, against 80 for these. The same classes the index exports
// (undici-parts.test.ts checks it, so a reorganised undici fails the tests, not a user).
import { createRequire } from 'node:module'
import type * as Undici from 'undici'

const load = createRequire(import.meta.url)

export const Agent = load('undici/lib/dispatcher/agent.js') as typeof Undici.Agent
export const Client = load('undici/lib/dispatcher/client.js') as typeof Undici.Client
export const ProxyAgent = load('undici/lib/dispatcher/proxy-agent.js') as typeof Undici.ProxyAgent
export const Socks5ProxyAgent = load(
  'undici/lib/dispatcher/socks5-proxy-agent.js',
) as typeof Undici.Socks5ProxyAgent
export const buildConnector = load('undici/lib/core/connect.js') as typeof Undici.buildConnector
