import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import * as undici from 'undici'
import { describe, expect, it } from 'vitest'
import * as parts from './undici-parts.ts'

describe('undici parts', () => {
  it('are the classes undici itself exports (an undici upgrade that moves them fails here)', () => {
    expect(parts.Agent).toBe(undici.Agent)
    expect(parts.Client).toBe(undici.Client)
    expect(parts.ProxyAgent).toBe(undici.ProxyAgent)
    expect(parts.Socks5ProxyAgent).toBe(undici.Socks5ProxyAgent)
    expect(parts.buildConnector).toBe(undici.buildConnector)
  })

  it('give the dispatchers the request API without undici’s index (ProxyAgent tunnels with it)', () => {
    // A process of its own: here undici's index is loaded already, and it does the same.
    const module = fileURLToPath(new URL('./undici-parts.ts', import.meta.url))
    const script = `
      const { Client } = await import(${JSON.stringify(module)})
      const client = new Client('http://127.0.0.1:9')
      const methods = [typeof client.connect, typeof client.request]
      await client.destroy()
      const index = Object.keys(require.cache).some((file) => file.endsWith('/undici/index.js'))
      console.log(JSON.stringify({ methods, index }))`
    const out = execFileSync(
      process.execPath,
      ['--input-type=commonjs', '-e', `(async () => {${script}})()`],
      {
        encoding: 'utf8',
      },
    )
    expect(JSON.parse(out)).toEqual({ methods: ['function', 'function'], index: false })
  })
})
