// Public surface of the notification logic (plain Node; the app and the CLI import from here).
export {
  decide,
  EventReading,
  readEventFields,
  taskOutcome,
  type DecideOptions,
  type EventFields,
} from '../../shared/decide/decide.ts'
export { FIELD_ALIASES } from '../../shared/decide/fields.ts'
export { isPresetHealthEvent, htmlToText } from '../../shared/decide/presets/index.ts'
export { TaskTracker, type TaskTrackerOptions } from './tasks.ts'
export {
  NotificationCenter,
  type CenterDeps,
  type CenterTiming,
  type KnownAboutEvent,
} from './center.ts'
export { policyFromSettings } from './policy.ts'
export { holdReason, isPaused, isQuietTime, type HoldReason } from './hold.ts'
export type { NotifyPolicy, OutgoingKind, OutgoingNotification } from './types.ts'
export { MAX_BODY, MAX_TITLE, formatDuration, plainText } from '../../shared/decide/text.ts'
