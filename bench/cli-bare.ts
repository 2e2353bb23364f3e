// The baseline for `tidings tail --json`: what a user would write instead, the bare eventsource
// package behind the minimal JSON-lines contract ({type, data, id} per line), written to stdout
// in 64 KiB batches. Listens to the two event types the bench stream carries (a bare
// EventSource only hears the types it names).
// Usage: node bench/cli-bare.ts <url> <events>
import { EventSource } from 'eventsource'

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
  const line = `${JSON.stringify({ type: message.type, data: message.data as string, id: message.lastEventId })}\n`
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
