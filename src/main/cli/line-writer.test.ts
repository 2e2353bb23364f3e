import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { LineWriter } from './line-writer.ts'

/** A real Writable whose writes complete only when the test says so. */
function slowSink(highWaterMark: number) {
  const chunks: string[] = []
  const pending: (() => void)[] = []
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString())
      pending.push(() => callback())
    },
  })
  const release = () => {
    while (pending.length) pending.shift()!()
  }
  return { stream, chunks, release }
}

function hooks() {
  const calls: string[] = []
  return {
    calls,
    hooks: {
      onBlocked: () => calls.push('blocked'),
      onDrained: () => calls.push('drained'),
      onBroken: (error: Error) => calls.push(`broken ${(error as NodeJS.ErrnoException).code}`),
    },
  }
}

describe('LineWriter', () => {
  it('batches the lines of one turn into one write', async () => {
    const sink = slowSink(1024)
    const writer = new LineWriter(sink.stream, hooks().hooks)
    writer.write('a\n')
    writer.write('b\n')
    writer.write('c\n')
    expect(sink.chunks).toEqual([])
    const flushed = writer.flush()
    sink.release()
    await flushed
    expect(sink.chunks.filter(Boolean)).toEqual(['a\nb\nc\n'])
  })

  it('reports a full stream and its drain, so the producer can pause and resume', async () => {
    const sink = slowSink(4)
    const { calls, hooks: h } = hooks()
    const writer = new LineWriter(sink.stream, h)
    writer.write('0123456789\n')
    await new Promise((resolve) => setImmediate(resolve)) // the batch goes out on the next turn
    expect(calls).toEqual(['blocked'])
    const drain = new Promise((resolve) => sink.stream.once('drain', resolve))
    sink.release()
    await drain
    expect(calls).toEqual(['blocked', 'drained'])
  })

  it('treats EPIPE as the reader being done: reports it once and drops later lines', async () => {
    const written: string[] = []
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString())
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))
      },
    })
    const { calls, hooks: h } = hooks()
    const writer = new LineWriter(stream, h)
    writer.write('first\n')
    await writer.flush()
    writer.write('second\n')
    await writer.flush()
    expect(calls).toEqual(['broken EPIPE'])
    expect(written).toEqual(['first\n'])
    expect(writer.broken).toBe(true)
  })

  it('writes a large burst at once rather than holding it all until the next turn', () => {
    const sink = slowSink(1 << 20)
    const writer = new LineWriter(sink.stream, hooks().hooks)
    const line = `${'x'.repeat(1023)}\n`
    for (let i = 0; i < 100; i++) writer.write(line)
    expect(sink.chunks.join('').length).toBeGreaterThanOrEqual(64 * 1024)
  })
})
