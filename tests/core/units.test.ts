// Small plain-Node pieces of the app layer.
import { readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  autostartPath,
  desktopEntry,
  execArgument,
  isXdgAutostartOn,
  setXdgAutostart,
} from '../../src/main/core/autostart.ts'
import { format as formatUrl } from 'node:url'
import {
  createIpcRouter,
  showsRenderer,
  type RequestHandlers,
} from '../../src/main/core/ipc-router.ts'
import { watchNetwork } from '../../src/main/core/network-watch.ts'
import { activePause, describePause, pauseFor } from '../../src/main/core/pause.ts'
import { StateFile } from '../../src/main/store/state-file.ts'
import { testConnection } from '../../src/main/core/test-connection.ts'
import { startSseServer } from '../app/support/sse-server.ts'
import { tempDir } from '../app/support/fixtures.ts'

describe('XDG autostart entry', () => {
  it('quotes and escapes Exec arguments per the Desktop Entry spec', () => {
    expect(execArgument('/usr/bin/tidings')).toBe('/usr/bin/tidings')
    expect(execArgument('/home/a b/Tidings.AppImage')).toBe('"/home/a b/Tidings.AppImage"')
    expect(execArgument('100%')).toBe('100%%')
    expect(execArgument('a"b$c`d')).toBe('"a\\\\"b\\\\$c\\\\`d"')
    expect(execArgument('back\\slash')).toBe('"back\\\\\\\\slash"')
    expect(execArgument('')).toBe('""')
  })

  it('writes a complete entry and removes it again', async () => {
    const home = await tempDir()
    const file = autostartPath({}, home)
    expect(file).toBe(join(home, '.config/autostart/tidings.desktop'))
    expect(autostartPath({ XDG_CONFIG_HOME: '/x/cfg' }, home)).toBe(
      '/x/cfg/autostart/tidings.desktop',
    )
    expect(autostartPath({ XDG_CONFIG_HOME: 'relative' }, home)).toBe(file)

    await setXdgAutostart(file, true, { name: 'Tidings', exec: ['/opt/Tidings/tidings', '--x'] })
    expect(await readFile(file, 'utf8')).toBe(
      desktopEntry({ name: 'Tidings', exec: ['/opt/Tidings/tidings', '--x'] }),
    )
    expect(await isXdgAutostartOn(file)).toBe(true)
    await writeFile(file, `${await readFile(file, 'utf8')}Hidden=true\n`)
    expect(await isXdgAutostartOn(file)).toBe(false)
    await setXdgAutostart(file, false, { name: 'Tidings', exec: [] })
    expect(await isXdgAutostartOn(file)).toBe(false)
  })
})

describe('pause', () => {
  const noon = new Date(2030, 5, 3, 12, 0).getTime()
  it('turns menu choices into times', () => {
    expect(pauseFor({ kind: 'for-minutes', minutes: 60 }, noon)).toEqual({
      until: noon + 3_600_000,
    })
    expect(pauseFor({ kind: 'until-tomorrow' }, noon)).toEqual({
      until: new Date(2030, 5, 4, 8, 0).getTime(),
    })
    expect(pauseFor({ kind: 'until-resumed' }, noon)).toEqual({ until: null })
    expect(pauseFor({ kind: 'resume' }, noon)).toBeNull()
  })

  it('treats an expired pause as none and says until when', () => {
    expect(activePause({ until: noon - 1 }, noon)).toBeNull()
    expect(activePause({ until: null }, noon)).toEqual({ until: null })
    expect(describePause({ until: new Date(2030, 5, 3, 13, 5).getTime() }, noon)).toBe(
      'until 13:05',
    )
    expect(describePause({ until: new Date(2030, 5, 4, 8, 0).getTime() }, noon)).toBe(
      'until tomorrow 08:00',
    )
    expect(describePause({ until: null }, noon)).toBe('until resumed')
  })
})

describe('IPC router', () => {
  const handlers = { 'snapshot:get': () => ({ ok: 1 }) } as unknown as RequestHandlers
  it('refuses channels it does not know, before looking at the sender', async () => {
    const rejected: string[] = []
    const router = createIpcRouter({
      handlers,
      isTrustedSender: () => true,
      onRejected: (channel, reason) => rejected.push(`${channel}: ${reason}`),
    })
    await expect(router.handle('__proto__', { sender: 1, senderFrame: null }, [])).rejects.toThrow(
      'Unknown channel',
    )
    await expect(
      router.handle('constructor', { sender: 1, senderFrame: null }, []),
    ).rejects.toThrow('Unknown channel')
    expect(await router.handle('snapshot:get', { sender: 1, senderFrame: null }, [])).toEqual({
      ok: 1,
    })
    expect(rejected).toEqual(['__proto__: Unknown channel', 'constructor: Unknown channel'])
  })
})

describe('IPC sender page check', () => {
  // The URL Electron's webContents.loadFile makes of a path (lib/browser/api/web-contents.ts).
  const loadFileUrl = (path: string) =>
    formatUrl({ protocol: 'file', slashes: true, pathname: path })

  it('knows our page by its file whatever characters the install path has', () => {
    for (const dir of ['/opt/100%', '/opt/[x]', '/opt/a|b', '/home/me/~x', '/opt/é ü']) {
      const file = `${dir}/out/renderer/index.html`
      expect(showsRenderer(loadFileUrl(file), { file }, 'linux'), dir).toBe(true)
      // Chromium may escape what url.format left (a space, brackets): still the same file.
      const escaped = `file://${encodeURI(file).replaceAll('[', '%5B').replaceAll(']', '%5D')}`
      expect(showsRenderer(`${escaped}#settings`, { file }, 'linux'), dir).toBe(true)
    }
  })

  it('compares Windows paths as Windows does: drive letter, backslashes, any case', () => {
    const file = 'C:\\Users\\Me Too\\AppData\\Local\\Programs\\Tidings [1]\\index.html'
    const url = 'file:///c:/Users/Me%20Too/AppData/Local/Programs/Tidings%20[1]/INDEX.html'
    expect(showsRenderer(url, { file }, 'win32')).toBe(true)
    expect(
      showsRenderer('file://server/share/x.html', { file: '\\\\server\\share\\x.html' }, 'win32'),
    ).toBe(true)
    expect(showsRenderer('file:///c:/Users/Other/index.html', { file }, 'win32')).toBe(false)
  })

  it('refuses another file, another host, another scheme, and a dev server of another origin', () => {
    const file = '/opt/tidings/out/renderer/index.html'
    for (const url of [
      'file:///opt/tidings/out/renderer/other.html',
      'file:///opt/tidings/out/renderer/index.html.evil',
      'file://evil.example/opt/tidings/out/renderer/index.html',
      'https://evil.example/opt/tidings/out/renderer/index.html',
      'not a url',
    ])
      expect(showsRenderer(url, { file }, 'linux'), url).toBe(false)
    const dev = { url: 'http://localhost:5173/' }
    expect(showsRenderer('http://localhost:5173/#log', dev, 'linux')).toBe(true)
    expect(showsRenderer('http://localhost:5174/', dev, 'linux')).toBe(false)
    expect(showsRenderer('file:///opt/tidings/out/renderer/index.html', dev, 'linux')).toBe(false)
  })
})

describe('state file', () => {
  it('persists resume ids, and salvages what a damaged file still says', async () => {
    const file = join(await tempDir(), 'state.json')
    const state = await StateFile.open({ file })
    state.record('a', '10', 5)
    state.record('b', '', 6)
    await state.flush()
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      lastEventIds: { a: '10' },
      lastSeq: 6,
    })
    const again = await StateFile.open({ file })
    expect(again.lastEventId('a')).toBe('10')
    expect(again.lastEventId('toString')).toBeUndefined()
    await writeFile(file, '{"lastEventIds": {"a": 1, "b": "7"')
    const logs: string[] = []
    const salvaged = await StateFile.open({ file, log: (m) => logs.push(m) })
    expect(salvaged.lastEventId('a')).toBeUndefined()
    expect(salvaged.lastEventId('b')).toBe('7')
    expect(logs[0]).toMatch(/damaged.*kept as/)
  })
})

describe('network watch', () => {
  afterEach(() => vi.useRealTimers())
  it('reports a change of the probe, once per change', () => {
    vi.useFakeTimers()
    let signature = 'wifi=10.0.0.2'
    const changes: string[] = []
    const stop = watchNetwork({
      probe: () => signature,
      onChange: () => changes.push(signature),
      intervalMs: 5000,
    })
    vi.advanceTimersByTime(15_000)
    expect(changes).toEqual([])
    signature = 'wifi=10.0.0.2,vpn=172.16.0.9'
    vi.advanceTimersByTime(15_000)
    expect(changes).toEqual(['wifi=10.0.0.2,vpn=172.16.0.9'])
    stop()
    signature = 'none'
    vi.advanceTimersByTime(15_000)
    expect(changes).toHaveLength(1)
  })
})

describe('test connection', () => {
  it('reports a wrong content type, an error status, 204 and a refused connection clearly', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/html') res.writeHead(200, { 'content-type': 'text/html' }).end('<p>')
      else if (req.url === '/401') res.writeHead(401).end()
      else res.writeHead(204).end()
    }).listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const run = (path: string) =>
      testConnection({ url: base + path, headers: {}, fetch: globalThis.fetch })
    try {
      expect(await run('/html')).toEqual({
        ok: false,
        status: 200,
        error: 'unexpected Content-Type "text/html" (expected text/event-stream)',
        facts: { kind: 'content-type', status: 200 },
      })
      expect(await run('/401')).toMatchObject({
        ok: false,
        status: 401,
        error: expect.stringMatching(/HTTP 401/),
      })
      expect(await run('/204')).toMatchObject({
        ok: false,
        status: 204,
        error: expect.stringMatching(/204/),
      })
    } finally {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    }
    // A port nothing listens on any more (never connected to, so no pooled socket).
    const gone = createServer().listen(0, '127.0.0.1')
    await new Promise((r) => gone.once('listening', r))
    const port = (gone.address() as AddressInfo).port
    await new Promise((r) => gone.close(r))
    const refused = await testConnection({
      url: `http://127.0.0.1:${port}/`,
      headers: {},
      fetch: globalThis.fetch,
    })
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) })
  })

  it('connects with the given headers and returns the first event, or none when quiet', async () => {
    const sse = await startSseServer()
    try {
      sse.greeting = ': nothing yet\n\n'
      const quiet = await testConnection({
        url: sse.url,
        headers: { 'X-Key': 'k' },
        fetch: globalThis.fetch,
        firstEventTimeoutMs: 100,
      })
      expect(quiet).toEqual({ ok: true, status: 200, event: null })
      expect(sse.requests[0]?.['x-key']).toBe('k')
      expect(sse.requests[0]?.['accept']).toBe('text/event-stream')
    } finally {
      await sse.close()
    }
  })
})
