import { describe, expect, it } from 'vitest'
import { decide } from '../notify/index.ts'
import { createDemoGenerator } from './generator.ts'
import type { DemoEvent } from './generator.ts'

interface Timed extends DemoEvent {
  at: number
  json: Record<string, unknown>
}

function run(ticks: number, seed?: number): Timed[] {
  const generator = createDemoGenerator({ seed })
  const events: Timed[] = []
  for (let at = 0; at < ticks; at++)
    for (const event of generator.tick())
      events.push({ ...event, at, json: JSON.parse(event.data) as Record<string, unknown> })
  return events
}

const finishes = (events: Timed[]) =>
  events.filter((e) => e.type === 'task.done' || e.type === 'task.failed')

describe('demo content generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(run(400, 7)).toEqual(run(400, 7))
    expect(run(400, 7)).not.toEqual(run(400, 8))
  })

  it('opens with news at once and a completed task about 5 ticks in', () => {
    const events = run(15)
    expect(events.find((e) => e.type === 'news')?.at).toBeLessThanOrEqual(2)
    const firstDone = events.find((e) => e.type === 'task.done')
    expect(firstDone?.at).toBe(5)
    expect(firstDone?.json).toMatchObject({ task: 'Build #41', status: 'done' })
    expect(events.find((e) => e.type === 'task.failed')?.at).toBeLessThanOrEqual(12)
  })

  it('runs several tasks at once; each starts once, progresses upwards and ends once', () => {
    const events = run(3000)
    const open = new Map<string, number>()
    const ended = new Set<string>()
    let maxConcurrent = 0
    for (const event of events) {
      const taskId = event.json['taskId'] as string
      if (event.type === 'task.started') {
        expect(open.has(taskId) || ended.has(taskId)).toBe(false)
        expect(event.json).toMatchObject({ status: 'running', progress: 0 })
        open.set(taskId, 0)
      } else if (event.type === 'task.progress') {
        const progress = event.json['progress'] as number
        expect(progress).toBeGreaterThan(open.get(taskId) ?? Infinity)
        expect(progress).toBeLessThan(1)
        open.set(taskId, progress)
      } else if (event.type === 'task.done' || event.type === 'task.failed') {
        expect(open.has(taskId)).toBe(true)
        open.delete(taskId)
        ended.add(taskId)
      }
      maxConcurrent = Math.max(maxConcurrent, open.size)
    }
    expect(maxConcurrent).toBe(3)
    expect(ended.size).toBeGreaterThan(50)
  })

  it('mixes outcomes: completions, failures with an error text, news with https links', () => {
    const events = run(1200)
    const done = events.filter((e) => e.type === 'task.done')
    const failed = events.filter((e) => e.type === 'task.failed')
    const news = events.filter((e) => e.type === 'news')
    expect(done.length).toBeGreaterThan(failed.length)
    expect(failed.length).toBeGreaterThan(3)
    for (const e of failed)
      expect(e.json).toMatchObject({ status: 'failed', error: expect.any(String) })
    for (const e of done)
      expect(e.json).toMatchObject({ status: 'done', message: expect.any(String) })
    expect(news.length).toBeGreaterThan(10)
    for (const e of news) {
      expect(e.json).toMatchObject({ title: expect.any(String), body: expect.any(String) })
      expect(new URL(e.json['url'] as string).protocol).toBe('https:')
    }
  })

  it('keeps a steady but calm pace: something to notify every minute, at most 5 a minute', () => {
    const notable = [...finishes(run(3600)), ...run(3600).filter((e) => e.type === 'news')]
    const perMinute = new Array<number>(60).fill(0)
    for (const e of notable) perMinute[Math.floor(e.at / 60)]! += 1
    expect(Math.min(...perMinute)).toBeGreaterThanOrEqual(1)
    expect(notable.length / 60).toBeLessThanOrEqual(5)
  })

  it('makes the notification decision produce task-completed, task-failed and news, nothing else', () => {
    const kinds = new Map<string, Set<string>>()
    for (const event of run(1200)) {
      const decision = decide(event)
      const kind = decision?.kind ?? 'none'
      kinds.set(event.type, (kinds.get(event.type) ?? new Set()).add(kind))
      if (event.type === 'task.done' || event.type === 'task.failed')
        expect(decision?.title).toContain(event.json['task'])
      if (event.type === 'task.failed') expect(decision?.body).toBe(event.json['error'])
      if (event.type === 'news') expect(decision?.url).toBe(event.json['url'])
    }
    expect(Object.fromEntries([...kinds].map(([type, set]) => [type, [...set]]))).toEqual({
      'task.started': ['none'],
      'task.progress': ['none'],
      'task.done': ['task-completed'],
      'task.failed': ['task-failed'],
      news: ['news'],
    })
  })

  it('numbers builds upwards from the requested first build', () => {
    const generator = createDemoGenerator({ firstBuild: 100 })
    const first = generator.tick()[0]
    expect(JSON.parse(first?.data ?? '{}')).toMatchObject({ task: 'Build #100' })
  })
})
