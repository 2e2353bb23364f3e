// A plain reading of the HTML standard's event stream interpretation, as an oracle for the
// engine: decode as UTF-8 (one leading BOM dropped, bad bytes become U+FFFD), split into lines
// at CRLF, LF or CR, and dispatch on each empty line. Deliberately simple and slow.

export interface ParsedEvent {
  type: string
  data: string
  /** The last event ID string when the event was dispatched. */
  id: string
}

export function referenceParse(bytes: Uint8Array): ParsedEvent[] {
  const text = new TextDecoder('utf-8').decode(bytes)
  const events: ParsedEvent[] = []
  let data = ''
  let type = ''
  let lastId = ''
  for (const line of completeLines(text)) {
    if (line === '') {
      if (data !== '') {
        events.push({
          type: type === '' ? 'message' : type,
          data: data.endsWith('\n') ? data.slice(0, -1) : data,
          id: lastId,
        })
      }
      data = ''
      type = ''
      continue
    }
    if (line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') type = value
    else if (field === 'data') data += `${value}\n`
    else if (field === 'id' && !value.includes('\0')) lastId = value
  }
  return events
}

/** Lines that ended with a line break; whatever follows the last one is an unfinished line. */
function completeLines(text: string): string[] {
  const lines: string[] = []
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char !== '\n' && char !== '\r') continue
    lines.push(text.slice(start, i))
    if (char === '\r' && text[i + 1] === '\n') i++
    start = i + 1
  }
  return lines
}
