// Runs inside the benchmark page before the app: a TidingsApi whose `events` push is driven by
// the benchmark, exactly as main's batches reach the preload listeners, plus the timing probe.
export const BENCH_PAGE_SCRIPT = `(() => {
  const listeners = { events: new Set(), feeds: new Set(), tasks: new Set(), settings: new Set(), 'focus-event': new Set() }
  const on = (name) => (listener) => { listeners[name].add(listener); return () => listeners[name].delete(listener) }
  const now = Date.now()
  const feeds = [
    ['ci', 'CI', '#3b82f6'], ['news', 'Newsroom', '#10b981'], ['chat', 'Assistant', '#8b5cf6'], ['ops', 'Ops', '#f59e0b'],
  ].map(([id, name, color]) => ({ id, name, color, url: 'http://127.0.0.1/' + id, enabled: true, state: { kind: 'open' },
    since: now, lastEventAt: null, lastEventId: null, eventCount: 0, nextRetryAt: null, snoozedUntil: null }))
  const settings = { version: 1, feeds: [], quietHours: { enabled: false, start: '22:00', end: '07:00', failuresBreakThrough: true },
    rateLimitPerMinute: 5, disconnectAlertMinutes: 10, pause: null, startAtLogin: false, showInDock: false, historySize: 10000, encryptionAvailable: true }
  let ready = false
  window.tidings = Object.freeze({
    ready: async () => { ready = true },
    getSnapshot: async () => ({ feeds, events: [], tasks: [], pause: null }),
    getSettings: async () => settings,
    saveSettings: async () => ({ ok: false, errors: {} }),
    reconnectFeed: async () => {}, setFeedEnabled: async () => {}, snoozeFeed: async () => {},
    testConnection: async () => ({ ok: false, error: 'bench' }), openLink: async () => false,
    pauseNotifications: async () => {},
    onEvents: on('events'), onFeeds: on('feeds'), onTasks: on('tasks'), onSettings: on('settings'), onFocusEvent: on('focus-event'),
  })

  const kinds = [null, null, null, null, { kind: 'task-completed', title: 'Build finished', body: 'All tests passed.' },
    null, null, { kind: 'news', title: 'Release notes', body: 'Version 2.4 is out.' }, null, { kind: 'task-failed', title: 'Deploy failed', body: 'Health check timed out.' }]
  const types = ['task.progress', 'task.started', 'token', 'news', 'task.done', 'heartbeat', 'task.failed', 'message']
  let seq = 0
  function makeEvent() {
    seq++
    const feed = feeds[seq % feeds.length]
    const type = types[seq % types.length]
    const data = type === 'token'
      ? JSON.stringify({ stream: 'answer-' + (seq >> 8), delta: ' word' + (seq % 97) })
      : JSON.stringify({ taskId: 'job-' + (seq >> 6), title: 'Job ' + (seq >> 6), status: 'running', progress: (seq % 100) / 100,
          message: 'Processed ' + seq + ' items of the nightly import; ' + 'x'.repeat(seq % 120) })
    return { feedId: feed.id, type, data, id: String(seq), receivedAt: Date.now(), seq, notification: kinds[seq % kinds.length] }
  }

  function nextTask() { return new Promise((done) => { const channel = new MessageChannel(); channel.port1.onmessage = () => done(); channel.port2.postMessage(0) }) }

  window.__bench = {
    async run({ total, perSecond, batchMs }) {
      while (!ready) await new Promise((done) => setTimeout(done, 10))
      const longFrames = []
      const start = performance.now()
      let observer = null
      try {
        // Where each long frame went: scripts (and the layouts they forced), the frame's own style
        // and layout, and the rest (garbage collection, paint, the compositor, the OS).
        observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            const scripts = entry.scripts ?? []
            const script = scripts.reduce((sum, s) => sum + s.duration, 0)
            const end = entry.startTime + entry.duration
            const styleAndLayout = entry.styleAndLayoutStart > 0 ? end - entry.styleAndLayoutStart : 0
            const top = scripts.slice().sort((a, b) => b.duration - a.duration)[0]
            longFrames.push({ at: entry.startTime - start, duration: entry.duration, script, styleAndLayout,
              topScript: top ? top.invoker + ' ' + top.duration.toFixed(1) + ' ms' : '' })
          }
        })
        observer.observe({ type: 'long-animation-frame', buffered: false })
      } catch {}
      const perBatch = Math.round((perSecond * batchMs) / 1000)
      const times = []
      let sent = 0
      let batchIndex = 0
      let maxRows = 0
      while (sent < total) {
        const due = start + batchIndex * batchMs
        const wait = due - performance.now()
        if (wait > 0) await new Promise((done) => setTimeout(done, wait))
        const batch = []
        for (let index = 0; index < perBatch && sent < total; index++, sent++) batch.push(makeEvent())
        batchIndex++
        const t0 = performance.now()
        for (const listener of listeners.events) listener(batch)
        // React's work for the batch is queued (microtask or scheduler task) before this task:
        // when it runs, the batch is committed; reading scrollHeight forces the layout too.
        await nextTask()
        void document.querySelector('.log-scroll').scrollHeight
        times.push(performance.now() - t0)
        if (batchIndex % 20 === 0) maxRows = Math.max(maxRows, document.querySelectorAll('.log-row').length)
      }
      await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))
      observer?.disconnect()
      const elapsed = performance.now() - start
      return {
        times, elapsed, batches: batchIndex, perBatch, longFrames,
        rows: document.querySelectorAll('.log-row').length,
        maxRows: Math.max(maxRows, document.querySelectorAll('.log-row').length),
        countText: document.querySelector('.count')?.textContent ?? '',
        lastRowText: [...document.querySelectorAll('.log-row')].at(-1)?.textContent ?? '',
        domNodes: document.getElementsByTagName('*').length,
      }
    },
  }
})()`
