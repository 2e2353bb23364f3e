// The Log view in Debian's Chromium, served by the real tidings ui (core, engine, web server)
// from loopback SSE servers.
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, skipReason } from './support/chromium.ts'
import {
  startHarness,
  settle,
  waitForLogged,
  waitInPage,
  type AppSession,
  type Harness,
} from './support/harness.ts'
import { frame, startSseServer, type SseServer } from './support/sse-server.ts'

let harness: Harness
let sse: SseServer
let run = 0

/** An expression true once keyboard focus is in the log row at `index`. */
const focusedRow = (index: number): string =>
  `document.activeElement?.closest('[data-index]')?.getAttribute('data-index') === '${index}'`

if (!hasChromium) console.warn(`browser tests skipped: ${skipReason}`)

describe.skipIf(!hasChromium)('log view', () => {
  beforeAll(async () => {
    ;[harness, sse] = await Promise.all([startHarness(), startSseServer()])
  })
  afterAll(async () => {
    await harness?.close()
    await sse?.close()
  })

  /** A fresh page with two feeds on paths of their own. */
  async function openTwoFeeds(): Promise<{ session: AppSession; alpha: string; beta: string }> {
    run++
    const alpha = `/log${run}/alpha`
    const beta = `/log${run}/beta`
    const session = await harness.open({
      settings: {
        feeds: [
          { id: 'alpha', name: 'Alpha', url: sse.url(alpha) },
          { id: 'beta', name: 'Beta', url: sse.url(beta) },
        ],
      },
    })
    await Promise.all([sse.waitForClients(alpha), sse.waitForClients(beta)])
    return { session, alpha, beta }
  }

  const rows = (session: AppSession) =>
    session.page.getByRole('list', { name: 'Events' }).getByRole('listitem')

  it('shows engine events newest at the bottom with time, feed, type, kind and summary', async () => {
    const { session, alpha, beta } = await openTwoFeeds()
    sse.send(
      beta,
      frame({
        event: 'news',
        id: '7',
        data: '{"title":"Release 2.0","body":"Out now","url":"https://example.com/r"}',
      }),
    )
    await waitForLogged(session, 1)
    sse.send(
      alpha,
      frame({
        event: 'build.started',
        id: '1',
        data: '{"taskId":"b1","title":"Build 1","status":"running"}',
      }),
    )
    sse.send(
      alpha,
      frame({
        event: 'build.failed',
        id: '2',
        data: '{"taskId":"b1","title":"Build 1","error":"3 tests failed"}',
      }),
    )
    await waitForLogged(session, 3)
    expect(await rows(session).count()).toBe(3)
    const texts = await rows(session).allTextContents()
    expect(texts[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}Betanewsnews/)
    expect(texts[0]).toContain('Release 2.0 — Out now')
    expect(texts[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}Alphabuild\.startedBuild 1 · running/)
    expect(texts[2]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}Alphabuild\.failedfailed/)
    expect(texts[2]).toContain('3 tests failed')
    expect(await session.page.getByText('3 events').count()).toBe(1)
    await session.close()
  })

  it('filters by feed, type and notification kind', async () => {
    const { session, alpha, beta } = await openTwoFeeds()
    sse.send(
      alpha,
      frame({ event: 'task.done', data: '{"taskId":"t1","title":"Export","status":"completed"}' }),
    )
    sse.send(
      alpha,
      frame({ event: 'task.failed', data: '{"taskId":"t2","title":"Backup","error":"disk full"}' }),
    )
    sse.send(beta, frame({ event: 'ping', data: 'ping' }))
    sse.send(
      beta,
      frame({ event: 'news', data: '{"title":"Weekly digest","url":"https://example.com"}' }),
    )
    await waitForLogged(session, 4)
    const { page } = session
    await page.getByLabel('Filter by feed').selectOption({ label: 'Beta' })
    await settle(session)
    expect(await rows(session).allTextContents()).toEqual([
      expect.stringContaining('ping'),
      expect.stringContaining('Weekly digest'),
    ])
    expect(await page.getByText('2 of 4 events').count()).toBe(1)
    await page.getByLabel('Filter by feed').selectOption({ label: 'All feeds' })
    await page.getByLabel('Filter by type').selectOption('task.failed')
    await settle(session)
    expect(await rows(session).allTextContents()).toEqual([expect.stringContaining('disk full')])
    await page.getByLabel('Filter by type').selectOption({ label: 'All types' })
    await page.getByLabel('Filter by notification kind').selectOption({ label: 'Task completed' })
    await settle(session)
    expect(await rows(session).allTextContents()).toEqual([expect.stringContaining('Export')])
    await page.getByLabel('Filter by notification kind').selectOption({ label: 'Not notified' })
    await settle(session)
    expect(await rows(session).allTextContents()).toEqual([expect.stringContaining('ping')])
    await page.getByRole('button', { name: 'Reset filters' }).click()
    await settle(session)
    expect(await rows(session).count()).toBe(4)
    // A new event that fails the filter stays out; one that passes shows up live.
    await page.getByLabel('Filter by feed').selectOption({ label: 'Alpha' })
    sse.send(beta, frame({ event: 'ping', data: 'ping again' }))
    sse.send(alpha, frame({ event: 'note', data: 'alpha again' }))
    await waitForLogged(session, 6)
    expect(await rows(session).allTextContents()).toEqual([
      expect.stringContaining('Export'),
      expect.stringContaining('Backup'),
      expect.stringContaining('alpha again'),
    ])
    await session.close()
  })

  it('Ctrl+F focuses the search, which filters by text in data, type and feed name', async () => {
    const { session, alpha, beta } = await openTwoFeeds()
    sse.send(alpha, frame({ event: 'deploy', data: '{"message":"Rolled out to ZEBRA-cluster"}' }))
    sse.send(beta, frame({ event: 'deploy', data: '{"message":"Rolled out to lion-cluster"}' }))
    sse.send(beta, frame({ event: 'zebra.sighted', data: 'plain text' }))
    await waitForLogged(session, 3)
    const { page } = session
    await page.getByRole('tab', { name: 'Feeds' }).click()
    await page.keyboard.press('Control+f')
    const search = page.getByRole('searchbox', { name: 'Search events' })
    await search.waitFor()
    expect(
      await search.evaluate((element) => element === element.ownerDocument.activeElement),
    ).toBe(true)
    await page.keyboard.type('zebra')
    await settle(session)
    const found = await rows(session).allTextContents()
    expect(found).toHaveLength(2)
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('ZEBRA-cluster'),
        expect.stringContaining('zebra.sighted'),
      ]),
    )
    await search.fill('beta')
    await settle(session)
    expect(await rows(session).count()).toBe(2)
    await search.fill('no such text')
    await settle(session)
    expect(await rows(session).count()).toBe(0)
    expect(await page.getByText('No events match the filter.').count()).toBe(1)
    await search.press('Escape')
    await settle(session)
    expect(await search.inputValue()).toBe('')
    expect(await rows(session).count()).toBe(3)
    await session.close()
  })

  it('shows a row in the inspector under the list (JSON pretty-printed, text as is), copies, and Escape closes it', async () => {
    const { session, alpha } = await openTwoFeeds()
    sse.send(alpha, frame({ event: 'report', id: 'r-9', data: '{"title":"Report","rows":[1,2]}' }))
    sse.send(alpha, frame({ event: 'note', data: 'just some text' }))
    await waitForLogged(session, 2)
    const { page } = session
    const head = rows(session).first().getByRole('button')
    expect(await head.getAttribute('aria-expanded')).toBe('false')
    await head.click()
    expect(await head.getAttribute('aria-expanded')).toBe('true')
    const details = page.getByRole('region', { name: 'Event 1 details' })
    // The inspector is not a row: the list keeps its rows at their places and heights.
    expect(await head.getAttribute('aria-controls')).toBe(await details.getAttribute('id'))
    expect(
      await rows(session)
        .nth(1)
        .evaluate((row) => row.getBoundingClientRect().height),
    ).toBe(
      await rows(session)
        .nth(0)
        .evaluate((row) => row.getBoundingClientRect().height),
    )
    const pretty = JSON.stringify({ title: 'Report', rows: [1, 2] }, null, 2)
    expect(await details.getByLabel('Event data').textContent()).toBe(pretty)
    expect(await details.textContent()).toContain('id r-9')
    await details.getByRole('button', { name: 'Copy data' }).click()
    await details.getByText('Data copied.').waitFor()
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(pretty)
    await details.getByRole('button', { name: 'Copy event' }).click()
    await details.getByText('Event copied.').waitFor()
    const copied = JSON.parse(
      await page.evaluate<string>('navigator.clipboard.readText()'),
    ) as Record<string, unknown>
    expect(copied).toMatchObject({
      seq: 1,
      feedId: 'alpha',
      feed: 'Alpha',
      type: 'report',
      id: 'r-9',
    })
    // Another row takes the inspector's place.
    await rows(session).nth(1).getByRole('button').click()
    expect(
      await page
        .getByRole('region', { name: 'Event 2 details' })
        .getByLabel('Event data')
        .textContent(),
    ).toBe('just some text')
    expect(await page.getByRole('region', { name: 'Event 1 details' }).count()).toBe(0)
    // Escape closes it, and focus goes back to its row.
    await page.keyboard.press('Escape')
    expect(await page.getByRole('region', { name: 'Event 2 details' }).count()).toBe(0)
    await waitInPage(page, focusedRow(1))
    expect(await rows(session).nth(1).getByRole('button').getAttribute('aria-expanded')).toBe(
      'false',
    )
    // From the inspector's own buttons too.
    await rows(session).nth(0).getByRole('button').click()
    await page
      .getByRole('region', { name: 'Event 1 details' })
      .getByRole('button', { name: 'Copy data' })
      .focus()
    await page.keyboard.press('Escape')
    expect(await page.getByRole('region', { name: 'Event 1 details' }).count()).toBe(0)
    await waitInPage(page, focusedRow(0))
    await session.close()
  })

  it('follows new events at the bottom, and shows "N new" after the user scrolls up', async () => {
    const { session, alpha } = await openTwoFeeds()
    const { page } = session
    for (let index = 1; index <= 120; index++)
      sse.send(alpha, frame({ event: 'tick', id: String(index), data: `tick ${index}` }))
    await waitForLogged(session, 120)
    const scroller = page.locator('.log-scroll')
    const atBottom = (): Promise<boolean> =>
      scroller.evaluate(
        (element) => element.scrollHeight - element.scrollTop - element.clientHeight < 2,
      )
    expect(await atBottom()).toBe(true)
    expect(await page.getByText('tick 120', { exact: true }).isVisible()).toBe(true)
    await scroller.hover()
    await page.mouse.wheel(0, -10_000)
    await waitInPage(page, `document.querySelector('.log-scroll').scrollTop === 0`)
    await settle(session)
    for (let index = 121; index <= 125; index++)
      sse.send(alpha, frame({ event: 'tick', data: `tick ${index}` }))
    await waitForLogged(session, 125)
    // Following is held: a bar says so, how many arrived below, and the way back.
    const bar = page.getByRole('region', { name: 'Following paused' })
    await bar.getByText('5 new events below').waitFor()
    expect(await bar.textContent()).toMatch(/^Paused/)
    expect(await atBottom()).toBe(false)
    expect(await page.getByText('tick 1', { exact: true }).isVisible()).toBe(true)
    await bar.getByRole('button', { name: 'Resume', exact: true }).click()
    await settle(session)
    expect(await atBottom()).toBe(true)
    expect(await bar.count()).toBe(0)
    sse.send(alpha, frame({ event: 'tick', data: 'tick 126' }))
    await waitForLogged(session, 126)
    expect(await page.getByText('tick 126', { exact: true }).isVisible()).toBe(true)
    expect(await atBottom()).toBe(true)
    // Opening a row near the bottom: its details show under the list, in view, and the row
    // stays where it was in sight; following is held so new events do not scroll it away.
    const near = page.getByRole('button', { name: /tick 125$/ })
    await near.click()
    const details = page.getByRole('region', { name: 'Event 125 details' })
    await details.waitFor()
    const viewport = page.viewportSize()!
    const box = (await details.boundingBox())!
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height + 1)
    const list = (await scroller.boundingBox())!
    const row = (await near.boundingBox())!
    expect(row.y).toBeGreaterThanOrEqual(list.y - 1)
    expect(row.y + row.height).toBeLessThanOrEqual(list.y + list.height + 1)
    for (let index = 127; index <= 160; index++)
      sse.send(alpha, frame({ event: 'tick', data: `tick ${index}` }))
    await waitForLogged(session, 160)
    await bar.getByText('34 new events below').waitFor()
    expect(await details.isVisible()).toBe(true)
    expect(await near.isVisible()).toBe(true)
    expect(await page.getByText('tick 160', { exact: true }).isVisible()).toBe(false)
    await session.close()
  })

  it('shows a hostile event as inert text: no markup, no script, no javascript: link', async () => {
    const { session, alpha } = await openTwoFeeds()
    const { page } = session
    const hostile = {
      title: '<img src=x onerror="window.__pwned=1">',
      body: '<script>window.__pwned=2</script><a href="javascript:window.__pwned=3">click</a>',
      url: 'javascript:window.__pwned=4',
    }
    sse.send(alpha, frame({ event: 'message', data: JSON.stringify(hostile) }))
    sse.send(
      alpha,
      frame({ event: '<b onmouseover=alert(1)>x</b>', data: '<img src=x onerror=alert(1)>' }),
    )
    sse.send(
      alpha,
      frame({ event: 'news', data: '{"title":"Safe link","url":"https://example.com/post"}' }),
    )
    await waitForLogged(session, 3)
    await rows(session).nth(0).getByRole('button').first().click()
    await settle(session)
    const first = page.getByRole('region', { name: 'Event 1 details' })
    expect(await first.getByLabel('Event data').textContent()).toContain(
      '<img src=x onerror=\\"window.__pwned=1\\">',
    )
    expect(await first.getByRole('button', { name: 'Open link' }).count()).toBe(0)
    await rows(session).nth(1).getByRole('button').first().click()
    await settle(session)
    expect(await rows(session).nth(1).textContent()).toContain('<b onmouseover=alert(1)>x</b>')
    expect(
      await page
        .getByRole('region', { name: 'Event 2 details' })
        .getByLabel('Event data')
        .textContent(),
    ).toBe('<img src=x onerror=alert(1)>')
    // Hover everything that could carry a handler, then check that nothing ran or was created.
    await rows(session).nth(1).hover()
    const dom = await page.evaluate(`({
      pwned: window.__pwned ?? null,
      images: document.querySelectorAll('img').length,
      scripts: [...document.querySelectorAll('script')].filter((script) => !script.src).length,
      links: document.querySelectorAll('a[href]').length,
      bold: document.querySelectorAll('.log-list b').length,
    })`)
    expect(dom).toEqual({ pwned: null, images: 0, scripts: 0, links: 0, bold: 0 })
    // The http link is offered; main approves it (http and https only) and the browser opens it
    // in a tab of its own.
    await rows(session).nth(2).getByRole('button').first().click()
    const [tab] = await Promise.all([
      session.context.waitForEvent('page'),
      page
        .getByRole('region', { name: 'Event 3 details' })
        .getByRole('button', { name: 'Open link' })
        .click(),
    ])
    expect(tab.url()).toBe('https://example.com/post')
    expect(session.app.calls.filter((call) => call.channel === 'link:open')).toEqual([
      { channel: 'link:open', args: ['https://example.com/post'] },
    ])
    await tab.close()
    expect(session.errors.filter((error) => !/frame-ancestors/.test(error))).toEqual([])
    await session.close()
  })

  it('exports the filtered rows as JSON lines (the notice fades); Clear says what it does and can be undone', async () => {
    const { session, alpha, beta } = await openTwoFeeds()
    const { page } = session
    sse.send(alpha, frame({ event: 'a', id: 'x1', data: 'one' }))
    await waitForLogged(session, 1)
    sse.send(beta, frame({ event: 'b', data: 'two' }))
    await waitForLogged(session, 2)
    sse.send(alpha, frame({ event: 'a', data: 'three\nlines' }))
    await waitForLogged(session, 3)
    await page.getByLabel('Filter by feed').selectOption({ label: 'Alpha' })
    await settle(session)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSONL' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^tidings-log-\d{8}-\d{6}\.jsonl$/)
    const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\n')
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ seq: 1, feed: 'Alpha', type: 'a', id: 'x1', data: 'one' }),
      expect.objectContaining({ seq: 3, feed: 'Alpha', data: 'three\nlines' }),
    ])
    // A confirmation, not a message that stays on for good.
    const exported = page.getByText('Exported 2 events.')
    await exported.waitFor()
    await exported.waitFor({ state: 'detached', timeout: 15_000 })

    await page.getByRole('button', { name: 'Reset filters' }).click()
    const clear = page.getByRole('button', { name: 'Clear', exact: true })
    // It says what it does before it is pressed.
    const hintId = (await clear.getAttribute('aria-describedby'))!
    expect(await page.locator(`#${hintId}`).textContent()).toMatch(
      /in this window only; the history keeps them\. Can be undone\./,
    )
    await clear.click()
    await settle(session)
    expect(await rows(session).count()).toBe(0)
    const cleared = page.getByRole('status').filter({ hasText: 'Cleared 3 events' })
    expect(await cleared.textContent()).toContain('the history keeps them')
    sse.send(beta, frame({ event: 'b', data: 'after clear' }))
    await waitForLogged(session, 4)
    expect(await rows(session).allTextContents()).toEqual([expect.stringContaining('after clear')])
    // Undo brings the cleared rows back before what arrived since.
    await cleared.getByRole('button', { name: 'Undo' }).click()
    await settle(session)
    const texts = await rows(session).allTextContents()
    expect(texts).toHaveLength(4)
    expect(texts[0]).toContain('one')
    expect(texts[3]).toContain('after clear')
    await page.getByText('Brought back 3 events.').waitFor()
    // The history was never touched.
    expect(session.app.ui.tidings.history.events()).toHaveLength(4)
    await session.close()
  })

  it('works from the keyboard: arrows move between rows, Enter expands', async () => {
    const { session, alpha } = await openTwoFeeds()
    const { page } = session
    for (let index = 1; index <= 3; index++)
      sse.send(alpha, frame({ event: 'k', data: `key ${index}` }))
    await waitForLogged(session, 3)
    await rows(session).first().getByRole('button').first().focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowUp')
    await waitInPage(page, focusedRow(1))
    await page.keyboard.press('Enter')
    await page.getByRole('region', { name: 'Event 2 details' }).waitFor()
    await page.keyboard.press('End')
    await waitInPage(page, focusedRow(2))
    // Tabs: arrow keys move between views.
    await page.getByRole('tab', { name: 'Log' }).focus()
    await page.keyboard.press('ArrowDown')
    expect(await page.getByRole('tab', { name: 'Tasks' }).getAttribute('aria-selected')).toBe(
      'true',
    )
    await page.keyboard.press('Control+4')
    expect(await page.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe(
      'true',
    )
    await session.close()
  })

  it('shows the event of a clicked notification (focus-event push)', async () => {
    const { session, alpha } = await openTwoFeeds()
    const { page } = session
    for (let index = 1; index <= 80; index++)
      sse.send(alpha, frame({ event: 'n', data: `event ${index}` }))
    await waitForLogged(session, 80)
    await page.getByRole('tab', { name: 'Feeds' }).click()
    // What a click on a notification without a link does (main asks the window to show it).
    session.app.ui.tidings.push.focusEvent(5)
    await page.getByRole('region', { name: 'Event 5 details' }).waitFor()
    expect(await page.getByRole('tab', { name: 'Log' }).getAttribute('aria-selected')).toBe('true')
    expect(await page.getByRole('region', { name: 'Event 5 details' }).isVisible()).toBe(true)
    session.app.ui.tidings.push.focusEvent(9999)
    await page.getByText('Event #9999 is no longer in this window').waitFor()
    await session.close()
  })

  it('shows a token stream as one growing row, not a row per token; its done is no task card', async () => {
    const { session, alpha } = await openTwoFeeds()
    const { page } = session
    sse.send(alpha, frame({ event: 'note', data: 'before the answer' }))
    const words =
      'The deploy finished at 14:02 and all six of the hosts report version 2.14 now .'.split(' ')
    for (const [index, word] of words.entries())
      sse.send(
        alpha,
        frame({
          event: 'token',
          data: JSON.stringify({ stream: 'answer-1', delta: `${index ? ' ' : ''}${word}` }),
        }),
      )
    await waitForLogged(session, 1 + words.length)
    expect(words.length).toBeGreaterThanOrEqual(15)
    expect(await rows(session).count()).toBe(2)
    const row = rows(session).nth(1)
    expect(await row.textContent()).toContain('streaming')
    expect(await row.textContent()).toContain(`(${words.length} tokens)`)
    // It grows in place.
    sse.send(alpha, frame({ event: 'token', data: '{"stream":"answer-1","text":" Done."}' }))
    sse.send(alpha, frame({ event: 'note', data: 'after the answer' }))
    await waitForLogged(session, 3 + words.length)
    expect(await rows(session).count()).toBe(3)
    expect(await rows(session).nth(1).textContent()).toContain('version 2.14 now . Done.')
    // Its end closes the row; it is the stream's, not a task's.
    sse.send(alpha, frame({ event: 'done', data: '{"stream":"answer-1","done":true}' }))
    await waitForLogged(session, 4 + words.length)
    expect(await rows(session).count()).toBe(3)
    expect(await rows(session).nth(1).textContent()).toMatch(
      /(stream|completed)The deploy finished/,
    )
    await rows(session).nth(1).getByRole('button').click()
    const details = page.getByRole('region', { name: 'Event 2 details' })
    expect(await details.getByLabel('Stream text').textContent()).toBe(`${words.join(' ')} Done.`)
    expect(await details.textContent()).toContain(`${words.length + 1} tokens, done`)
    // Export still has every event as sent.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSONL' }).click(),
    ])
    const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\n')
    expect(lines).toHaveLength(4 + words.length)
    await page.getByRole('tab', { name: 'Tasks' }).click()
    await page.getByRole('list', { name: 'Streams' }).waitFor()
    expect(await page.getByRole('list', { name: 'Tasks' }).count()).toBe(0)
    expect(session.app.ui.tidings.core.tasks.list()).toEqual([])
    await session.close()
  })

  it('puts streams first in Tasks while one runs', async () => {
    const { session, alpha } = await openTwoFeeds()
    const { page } = session
    sse.send(alpha, frame({ event: 'build.started', data: '{"taskId":"b1","title":"Build 1"}' }))
    sse.send(alpha, frame({ event: 'token', data: '{"stream":"s1","delta":"Hel"}' }))
    await waitForLogged(session, 2)
    await page.getByRole('tab', { name: /Tasks/ }).click()
    await page.getByRole('list', { name: 'Streams' }).waitFor()
    const order = () =>
      page
        .locator('.tasks-view ul[aria-label]')
        .evaluateAll((lists) => lists.map((list) => list.getAttribute('aria-label')))
    expect(await order()).toEqual(['Streams', 'Tasks'])
    sse.send(alpha, frame({ event: 'done', data: '{"stream":"s1"}' }))
    await waitForLogged(session, 3)
    await page.getByRole('list', { name: 'Streams' }).getByText('Done', { exact: true }).waitFor()
    expect(await order()).toEqual(['Tasks', 'Streams'])
    await session.close()
  })

  it('Ctrl+1..4 move keyboard focus into the view they open', async () => {
    const { session } = await openTwoFeeds()
    const { page } = session
    const inPanel = (id: string) =>
      `Boolean(document.activeElement?.closest('#panel-${id}')) && document.activeElement !== document.body`
    await page.getByRole('tab', { name: 'Log' }).focus()
    for (const [key, id] of [
      ['3', 'feeds'],
      ['2', 'tasks'],
      ['4', 'settings'],
      ['1', 'log'],
    ] as const) {
      await page.keyboard.press(`Control+${key}`)
      await waitInPage(page, inPanel(id))
    }
    await session.close()
  })

  it('leads on from an empty log: "Add your first feed" with no feeds, a word about the demo feed', async () => {
    const session = await harness.open({ settings: { feeds: [] } })
    const { page } = session
    const add = page.getByRole('button', { name: 'Add your first feed' })
    expect(await add.count()).toBe(1)
    await add.click()
    expect(await page.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe(
      'true',
    )
    await waitInPage(page, `document.activeElement?.id === 'feed-name'`)
    await session.close()

    run++
    const demo = `/log${run}/demo`
    const first = await harness.open({
      settings: { feeds: [{ id: 'demo', name: 'Demo', url: sse.url(demo), preset: 'demo' }] },
    })
    const note = first.page.getByRole('note', { name: 'Demo feed' })
    await note.waitFor()
    expect(await note.textContent()).toContain('come from the built-in demo feed')
    await note.getByRole('button', { name: 'Add your own feed' }).click()
    await waitInPage(first.page, `document.activeElement?.id === 'feed-name'`)
    // Once the user has a feed of their own, the note goes.
    await first.page.getByLabel('Name', { exact: true }).fill('Mine')
    await first.page.getByLabel('URL', { exact: true }).fill(sse.url(`/log${run}/mine`))
    await first.page.getByRole('button', { name: 'Save' }).click()
    await first.page.getByText('Settings saved.').waitFor()
    await first.page.getByRole('tab', { name: 'Log' }).click()
    // The feed list reaches the window a few times a second (the push queue's latestSoon).
    await note.waitFor({ state: 'detached' })
    expect(await note.count()).toBe(0)
    await first.close()
  })

  it('at 760 px and narrower the Summary keeps its room and the Settings editor stacks', async () => {
    run++
    const alpha = `/log${run}/narrow`
    const session = await harness.open({
      viewport: { width: 760, height: 700 },
      settings: { feeds: [{ id: 'alpha', name: 'Alpha builds', url: sse.url(alpha) }] },
    })
    const { page } = session
    await sse.waitForClients(alpha)
    sse.send(
      alpha,
      frame({
        event: 'build.progress',
        data: '{"title":"Build 7","status":"running","progress":0.4}',
      }),
    )
    await waitForLogged(session, 1)
    const head = rows(session).first().getByRole('button')
    const width = async (selector: string) =>
      (await head.locator(selector).boundingBox())?.width ?? 0
    const rowWidth = (await head.boundingBox())!.width
    expect(await width('.c-summary')).toBeGreaterThan(rowWidth * 0.5)
    expect(await head.locator('.c-type').isVisible()).toBe(false)
    expect(await head.locator('.c-time').textContent()).toMatch(/^\d\d:\d\d:\d\d/)
    await page.getByRole('tab', { name: 'Settings' }).click()
    const url = page.getByLabel('URL', { exact: true })
    await url.waitFor()
    const box = (await url.boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(760)
    expect(box.width).toBeGreaterThan(300)
    const list = (await page.getByRole('list', { name: 'Configured feeds' }).boundingBox())!
    const editor = (await page.getByRole('group', { name: /^Edit feed/ }).boundingBox())!
    expect(editor.y).toBeGreaterThan(list.y + list.height)
    await session.close()
  })
})
