// Wikimedia EventStreams through the whole app: recentchange JSON with meta.uri, Kafka-position
// ids, canary events, and Last-Event-ID resume.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { feedFromPreset } from '../../src/shared/presets.ts'
import { fake } from '../setup/electron.ts'
import { waitForNotification, type Harness } from '../app/support/app-harness.ts'
import { startWikimediaServer, type WikimediaServer } from '../support/preset-servers.ts'
import { appWithFeed, feedStatus, shown, waitForLogged } from './support.ts'
import { eventually } from '../support/eventually.ts'

let app: Harness | null = null
let wiki: WikimediaServer | null = null

beforeEach(() => fake.reset())
afterEach(async () => {
  await app?.stop()
  await wiki?.close()
  app = null
  wiki = null
})

async function wikiApp(notify?: 'all') {
  wiki = await startWikimediaServer()
  const feed = feedFromPreset('wikimedia', { id: 'wiki', name: 'Wikipedia', url: wiki.url() })
  app = await appWithFeed(notify ? { ...feed, notify } : feed)
  await wiki.http.request(0)
  await eventually(async () => expect((await feedStatus(app!, 'wiki')).state.kind).toBe('open'))
  return { wiki, app }
}

describe('Wikimedia EventStreams preset', () => {
  it('logs changes without notifying by default (dozens a second), canaries not at all', async () => {
    const { wiki, app } = await wikiApp()
    wiki.change({ title: 'Canary', user: 'Bot', comment: 'canary', canary: true })
    wiki.change({ title: 'Ada Lovelace', user: 'Editor', comment: 'typo' })
    await waitForLogged(app, 1)
    expect(app.pushedEvents().map((e) => JSON.parse(e.data).title)).toEqual(['Ada Lovelace'])
    expect(app.pushedEvents()[0]?.notification).toBeNull()
    expect(shown()).toEqual([])
  })

  it('with All, says what changed where, and links to the page (meta.uri)', async () => {
    const { wiki } = await wikiApp('all')
    wiki.change({ title: 'Ada Lovelace', user: 'Editor', comment: 'Fix a date' })
    const change = await waitForNotification()
    expect(change.title).toBe('Ada Lovelace')
    expect(change.body).toBe('Edited by Editor on en.wikipedia.org: Fix a date')
    change.click()
    expect(fake.shell.opened).toEqual(['https://en.wikipedia.org/wiki/Ada_Lovelace'])
  })

  it('resumes after a drop with Last-Event-ID (the stream’s JSON positions)', async () => {
    const { wiki, app } = await wikiApp()
    wiki.change({ title: 'One', user: 'A', comment: '1' })
    const position = wiki.change({ title: 'Two', user: 'B', comment: '2' })
    await waitForLogged(app, 2)
    wiki.dropConnections()
    wiki.change({ title: 'Three', user: 'C', comment: '3' })
    const again = await wiki.http.request(1)
    expect(again.lastEventId).toBe(position)
    await waitForLogged(app, 3)
    expect(app.pushedEvents().map((e) => JSON.parse(e.data).title)).toEqual(['One', 'Two', 'Three'])
  })
})
