// Public surface of the notification logic (plain Node; the app and the CLI import from here).
export { decide, readEventFields, type DecideOptions, type EventFields } from './decide.ts'
export { FIELD_ALIASES } from './fields.ts'
export { TaskTracker, type TaskTrackerOptions } from './tasks.ts'
export { MAX_BODY, MAX_TITLE, formatDuration, plainText } from './text.ts'
