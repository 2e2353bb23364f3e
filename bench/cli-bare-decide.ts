// A second baseline for `tidings tail --json`: the bare eventsource package behind the same JSON-lines
// output (type, data, id, receivedAt, notification from the same decide()), written to stdout
// in 64 KiB batches. Listens to the two event types the bench stream carries (a bare
// EventSource only hears the types it names).
// Usage: node bench/cli-bare-decide.ts <url> <events>
import { EventSource } from 'eventsource'
import { decide } from '../src/main/notify/index.ts'

const [url, total] = [process.argv[2]!, Number(process.argv[3])]
const source = new EventSource(url)
let count = 0
let pending: string[] = []
let pendingChars = 0

function flush(): void {
  if (pending.length === 0) return
  process.stdout.write(pending.join(''))
  pending = []
  pendingChars = 0
}

function onEvent(message: MessageEvent): void {
  const event = {
    type: message.type,
    data: message.data as string,
    id: message.lastEventId,
    receivedAt: Date.now(),
  }
  const line = `${JSON.stringify({ ...event, notification: decide(event) })}\n`
  pending.push(line)
  pendingChars += line.length
  if (pendingChars >= 65_536) flush()
  if (++count === total) {
    source.close()
    flush()
    process.stdout.end()
  }
}

source.addEventListener('message', onEvent)
source.addEventListener('task.progress', onEvent)
