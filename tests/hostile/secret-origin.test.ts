// A compromised or buggy renderer asks main to save a feed, or to Test connection, with the URL
// pointed at another origin and the secret left blank ("keep the stored one"): the stored
// secret never goes there. Two loopback servers on two ports are two origins.
import { describe, expect, it } from 'vitest'
import type { SettingsView } from '../../src/shared/ipc.ts'
import {
  headerSchema,
  settingsSchema,
  type FeedSettingInput,
  type SettingsInput,
} from '../../src/shared/settings.ts'
import { looksSecret } from '../../src/shared/secret-headers.ts'
import { validateDraft } from '../../src/renderer/src/settings/draft.ts'
import { startLiveServer, startStoreApp } from '../support/store-pipeline.ts'
import { plainCipher } from './support.ts'

/** The settings with this feed in place of the one with its id (or added at the end). */
function withFeed(view: SettingsView, feed: FeedSettingInput): SettingsInput {
  const known = view.feeds.some((f) => f.id === feed.id)
  return {
    ...view,
    feeds: known ? view.feeds.map((f) => (f.id === feed.id ? feed : f)) : [...view.feeds, feed],
  }
}

describe('stored secrets stay with their origin', () => {
  it('saving or testing with another origin never sends them; entering them again does', async () => {
    const [home, elsewhere] = await Promise.all([startLiveServer(), startLiveServer()])
    const app = await startStoreApp({ cipher: plainCipher })
    const { tidings } = app
    const core = tidings.core
    try {
      await tidings.start()
      const first = await core.saveSettings(
        withFeed(await core.settingsView(), {
          id: 'jobs',
          name: 'Jobs',
          url: home.url,
          headers: [
            { name: 'Authorization', value: 'Bearer home-secret', secret: true },
            { name: 'X-Team', value: 'infra', secret: false },
          ],
        }),
      )
      expect(first.ok).toBe(true)
      expect((await home.request(0)).headers['authorization']).toBe('Bearer home-secret')

      // What the renderer sends: the view (secret blank, stored: true), URL pointed elsewhere.
      const view = await core.settingsView()
      const jobs = view.feeds.find((f) => f.id === 'jobs')!
      expect(jobs.headers[0]).toEqual({
        name: 'Authorization',
        value: '',
        secret: true,
        stored: true,
      })
      const index = view.feeds.indexOf(jobs)
      const moved = { ...jobs, url: elsewhere.url }
      const saved = await core.saveSettings(withFeed(view, moved))
      const origin = new URL(elsewhere.url).origin
      expect(saved).toEqual({
        ok: false,
        errors: {
          [`feeds.${index}.headers.0.value`]: expect.stringContaining(
            `The URL now points to ${origin}: enter this secret again`,
          ),
        },
      })
      expect(tidings.settings.current.feeds.find((f) => f.id === 'jobs')?.url).toBe(home.url)

      const tested = await core.testConnection(moved)
      expect(tested).toMatchObject({ ok: false, error: expect.stringContaining(origin) })
      expect(elsewhere.requests).toHaveLength(0)

      // The same origin, another path: the stored secret goes along.
      const path = `${home.url}?tenant=2`
      expect((await core.saveSettings(withFeed(view, { ...jobs, url: path }))).ok).toBe(true)
      const again = await home.request(1)
      expect(again.url).toBe('/events?tenant=2')
      expect(again.headers['authorization']).toBe('Bearer home-secret')

      // Entered again for the new origin: only that value goes there.
      const entered = {
        ...jobs,
        url: elsewhere.url,
        headers: [
          { name: 'Authorization', value: 'Bearer elsewhere-secret', secret: true },
          { name: 'X-Team', value: 'infra', secret: false },
        ],
      }
      const test = core.testConnection(entered)
      const probe = await elsewhere.request(0)
      expect(probe.headers['authorization']).toBe('Bearer elsewhere-secret')
      elsewhere.send('data: hello\n\n')
      expect(await test).toMatchObject({ ok: true, event: { data: 'hello' } })
      expect((await core.saveSettings(withFeed(await core.settingsView(), entered))).ok).toBe(true)
      const connected = await elsewhere.request(1)
      expect(connected.headers['authorization']).toBe('Bearer elsewhere-secret')
      for (const request of elsewhere.requests)
        expect(JSON.stringify(request.headers)).not.toContain('home-secret')
    } finally {
      await tidings.dispose()
      await Promise.all([home.close(), elsewhere.close()])
    }
  })

  it('the form says so beside the field before anything is sent', () => {
    const saved: SettingsView = {
      ...settingsSchema.parse({
        feeds: [
          {
            id: 'jobs',
            name: 'Jobs',
            url: 'https://ci.example.com/events',
            headers: [{ name: 'Authorization', value: '', secret: true, stored: true }],
          },
        ],
      }),
      encryptionAvailable: true,
    }
    const draft = (url: string) => ({ ...saved, feeds: [{ ...saved.feeds[0]!, url }] })
    const result = validateDraft(draft('https://evil.example.net/events'), true, saved)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors['feeds.0.headers.0.value']).toMatch(
      /points to https:\/\/evil\.example\.net: enter this secret again/,
    )
    // Same origin: nothing to say.
    expect(validateDraft(draft('https://ci.example.com/other'), true, saved).ok).toBe(true)
  })
})

describe('headers whose name looks secret', () => {
  const secret = [
    'Authorization',
    // Proxy-Authorization itself is refused: a header for the proxy, never sent from a feed.
    'X-Proxy-Authorization',
    'Cookie',
    'X-Auth-Token',
    'X-Api-Key',
    'api_key',
    'Private-Token',
    'X-Client-Secret',
    'X-Password',
    'X-Goog-Api-Key',
  ]
  const plain = ['X-Team', 'X-Environment', 'Accept-Language', 'User-Agent', 'X-Request-Id']

  it.each(secret)('%s is secret by default', (name) => {
    expect(looksSecret(name)).toBe(true)
    expect(headerSchema.parse({ name, value: 'v' }).secret).toBe(true)
    // An explicit choice stands.
    expect(headerSchema.parse({ name, value: 'v', secret: false }).secret).toBe(false)
  })
  it.each(plain)('%s is not', (name) => {
    expect(looksSecret(name)).toBe(false)
    expect(headerSchema.parse({ name, value: 'v' }).secret).toBe(false)
  })

  it('saved without the flag, such a header is sealed, never stored in clear', async () => {
    const app = await startStoreApp({ cipher: plainCipher })
    const { tidings } = app
    try {
      const result = await tidings.core.saveSettings({
        ...(await tidings.core.settingsView()),
        feeds: [
          {
            id: 'x',
            name: 'X',
            url: 'https://x.example.com/',
            headers: [{ name: 'X-Api-Key', value: 'k-123' }],
          },
        ],
      })
      expect(result.ok).toBe(true)
      const header = tidings.settings.current.feeds[0]?.headers[0]
      expect(header).toMatchObject({ name: 'X-Api-Key', value: '', secret: true })
      expect(header?.sealed).toBeDefined()
    } finally {
      await tidings.dispose()
    }
  })
})
