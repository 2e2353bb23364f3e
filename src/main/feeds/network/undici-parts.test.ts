import * as undici from 'undici'
import { expect, it } from 'vitest'
import * as parts from './undici-parts.ts'

it('loads the very classes undici exports, each from its own file', () => {
  expect(parts.Agent).toBe(undici.Agent)
  expect(parts.Client).toBe(undici.Client)
  expect(parts.ProxyAgent).toBe(undici.ProxyAgent)
  expect(parts.Socks5ProxyAgent).toBe(undici.Socks5ProxyAgent)
  expect(parts.buildConnector).toBe(undici.buildConnector)
})
