// The preset-related part of the feed editor: which service the feed is (and how it resumes),
// its field mapping with the live preview, the priority threshold and a trusted certificate.
import type { LoggedEvent } from '../../../../shared/ipc.ts'
import { PRESETS, presetById } from '../../../../shared/presets.ts'
import type { FeedSetting, FieldErrors, FieldMapping } from '../../../../shared/settings.ts'
import { Field, describedBy } from '../../ui/Field.tsx'
import { MappingEditor } from './MappingEditor.tsx'
import './presets.css'

const PRIORITIES = [
  [1, 'Every priority'],
  [2, 'Low (2) and up'],
  [3, 'Default (3) and up'],
  [4, 'High (4) and up'],
  [5, 'Only urgent (5)'],
] as const

export function FeedPresetFields(props: {
  feed: FeedSetting
  lastEvent: Pick<LoggedEvent, 'type' | 'data'> | null
  errors: FieldErrors
  onChange(patch: Partial<FeedSetting>): void
}): React.JSX.Element {
  const { feed, errors, onChange } = props
  const preset = presetById(feed.preset)
  const known = PRESETS.some((choice) => choice.id === feed.preset)
  const mappingErrors: Partial<Record<keyof FieldMapping, string>> = {}
  for (const key of ['title', 'body', 'url', 'taskId', 'status', 'progress'] as const) {
    const message = errors[`mapping.${key}`]
    if (message) mappingErrors[key] = message
  }
  return (
    <>
      <div className="form-grid">
        <Field id="feed-preset" label="Service" hint={preset.resumeHelp} error={errors.preset}>
          <select
            {...describedBy('feed-preset', errors.preset, true)}
            value={feed.preset ?? 'generic'}
            onChange={(event) => {
              const next = presetById(event.target.value)
              onChange({
                preset: next.id,
                // The old preset's default mapping goes with it; a user's own paths stay.
                mapping: switchMapping(feed.mapping, presetById(feed.preset).mapping, next.mapping),
              })
            }}
          >
            {PRESETS.map((choice) => (
              <option key={choice.id} value={choice.id}>
                {choice.label}
              </option>
            ))}
            {feed.preset !== undefined && !known ? (
              <option value={feed.preset}>
                {feed.preset === 'demo' ? 'Built-in demo' : feed.preset}
              </option>
            ) : null}
          </select>
        </Field>
        <Field
          id="feed-min-priority"
          label="Lowest priority that notifies"
          hint="For feeds whose events carry a priority (ntfy: 1 min … 5 urgent)."
          error={errors.minPriority}
        >
          <select
            {...describedBy('feed-min-priority', errors.minPriority, true)}
            value={feed.minPriority}
            onChange={(event) => onChange({ minPriority: Number(event.target.value) })}
          >
            {PRIORITIES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id="feed-trusted-cert"
          label="Trusted certificate (SHA-256)"
          hint="Only for a self-signed server you know; Test connection shows its fingerprint."
          error={errors.trustedCertSha256}
          className="wide"
        >
          <input
            {...describedBy('feed-trusted-cert', errors.trustedCertSha256, true)}
            value={feed.trustedCertSha256 ?? ''}
            placeholder="AB:CD:…"
            spellCheck={false}
            autoComplete="off"
            className="fingerprint"
            onChange={(event) => {
              const text = event.target.value.trim()
              const next: Partial<FeedSetting> = { trustedCertSha256: text || undefined }
              onChange(next)
            }}
          />
        </Field>
      </div>
      <MappingEditor
        feed={feed}
        lastEvent={props.lastEvent}
        errors={mappingErrors}
        onChange={(mapping) => onChange({ mapping })}
      />
    </>
  )
}

function switchMapping(
  current: FieldMapping | undefined,
  from: FieldMapping,
  to: FieldMapping,
): FieldMapping | undefined {
  const own: FieldMapping = {}
  for (const [key, path] of Object.entries(current ?? {}) as Array<[keyof FieldMapping, string]>)
    if (path && path !== from[key]) own[key] = path
  const merged = { ...to, ...own }
  return Object.keys(merged).length === 0 ? undefined : merged
}
