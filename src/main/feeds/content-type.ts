// Content-Type check by MIME essence: "Text/Event-Stream; charset=utf-8" is fine, "text/event-streams" is not.

export function isEventStreamContentType(value: string | null): boolean {
  if (value === null) return false
  const essence = value.split(';', 1)[0]!.trim().toLowerCase()
  return essence === 'text/event-stream'
}
