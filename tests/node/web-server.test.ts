// tidings ui's server without a browser: what its answers tell the page about pushes.
import { mkdtemp, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import type { SecretCipher } from '../../src/main/store/secrets.ts'
import { startTidingsUi, type TidingsUi } from '../../src/main/web/ui-app.ts'

let ui: TidingsUi | undefined
let dir: string | undefined
afterEach(async () => {
  await ui?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

function post(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: path.startsWith('/?') ? 'GET' : 'POST', headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end(path.startsWith('/?') ? undefined : '[]')
  })
}

it('stamps an answer with the last push made before its handler ran, not after', async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidings-web-'))
  // A keyring that answers only when told: settings:get waits on it.
  let answer: () => void = () => {}
  let asked: () => void = () => {}
  const askedOnce = new Promise<void>((resolve) => (asked = resolve))
  let slow = false
  const cipher: SecretCipher = {
    isAvailable: () =>
      slow
        ? new Promise<boolean>((resolve) => {
            asked()
            answer = () => resolve(false)
          })
        : Promise.resolve(false),
    encrypt: async () => '',
    decrypt: async () => ({ value: '', reseal: false }),
  }
  ui = await startTidingsUi({
    dataDir: dir,
    port: 0,
    renderer: { serve: async (_req, res) => void res.end() },
    cipher,
    notifier: { notify: () => {} },
    env: {},
  })
  const { port, origin } = ui.server
  const signIn = await post(port, `/?token=${new URL(ui.url).searchParams.get('token')}`, {
    host: `127.0.0.1:${port}`,
  })
  const cookie = String(signIn.headers['set-cookie']).split(';')[0]!
  const headers = {
    host: `127.0.0.1:${port}`,
    origin,
    cookie,
    'content-type': 'application/json',
  }
  slow = true
  const reading = post(port, '/api/settings:get', headers)
  await askedOnce
  // The handler runs (its stamp is taken): every push from here on is newer than the answer.
  const during = ui.server.pushLog.lastId
  ui.tidings.core.pauseNotifications({ kind: 'until-resumed' })
  const deadline = Date.now() + 5000
  while (ui.server.pushLog.lastId === during && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10))
  const pushed = ui.server.pushLog.lastId
  expect(pushed).toBeGreaterThan(during)
  answer()
  const reply = await reading
  expect(reply.status).toBe(200)
  // The page must not drop that push as older than this answer.
  expect(Number(reply.headers['x-tidings-push'])).toBeLessThan(pushed)
})
