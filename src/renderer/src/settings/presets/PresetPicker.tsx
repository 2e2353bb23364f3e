// "Add feed" with presets: pick the service, fill in what its URL needs and how it signs in; the
// feed is created with the preset's notification mode, field mapping and resume rule.
import { useState } from 'react'
import type { TidingsApi } from '../../../../shared/ipc.ts'
import {
  authHeader,
  buildPresetUrl,
  detectPreset,
  feedFromPreset,
  PRESETS,
  presetById,
  type AuthKind,
  type PresetId,
} from '../../../../shared/presets.ts'
import { feedSettingSchema, type FeedSetting } from '../../../../shared/settings.ts'
import { Field, describedBy } from '../../ui/Field.tsx'
import { AUTH_LABELS } from '../SignInFields.tsx'
import { TestOutcome, type TestState } from '../TestOutcome.tsx'
import './presets.css'

interface Errors {
  name?: string
  /** By URL part (the part's key): each message beside its own field. */
  url?: { field: string; message: string }
  auth?: string
}

export function PresetPicker(props: {
  api: TidingsApi
  newId(): string
  onAdd(feed: FeedSetting): void
  onCancel(): void
}): React.JSX.Element {
  const [presetId, setPresetId] = useState<PresetId>('generic')
  const [values, setValues] = useState<Record<string, string>>({})
  const [name, setName] = useState('')
  const [authKind, setAuthKind] = useState<AuthKind>('none')
  const [user, setUser] = useState('')
  const [password, setPassword] = useState('')
  const [token, setToken] = useState('')
  const [errors, setErrors] = useState<Errors>({})
  const [test, setTest] = useState<TestState>({ pending: false, result: null })
  const [trusted, setTrusted] = useState<string | undefined>()
  const preset = presetById(presetId)
  /** Editing a field takes back what was said about it (and an old test's result). */
  const edited = (key: keyof Errors, part?: string): void => {
    if (test.result || test.error) setTest({ pending: false, result: null })
    if (key === 'url' && errors.url && errors.url.field !== part) return
    if (errors[key]) setErrors({ ...errors, [key]: undefined })
  }
  // What the URL will be, as it is typed: the preview of the address Tidings connects to.
  const preview = buildPresetUrl(presetId, values)
  const partLabel = (key: string): string =>
    preset.urlParts.find((part) => part.key === key)?.label ?? key
  /** The message beside a part's field, without the part's name in front. */
  const partError = (key: string): string | undefined => {
    if (errors.url?.field !== key) return undefined
    const prefix = `${partLabel(key)}: `
    const message = errors.url.message
    return message.startsWith(prefix) ? message.slice(prefix.length) : message
  }

  const choose = (id: PresetId): void => {
    const next = presetById(id)
    setPresetId(id)
    setValues(Object.fromEntries(next.urlParts.map((part) => [part.key, part.value ?? ''])))
    setAuthKind(next.auth[0] ?? 'none')
    setErrors({})
    setTest({ pending: false, result: null })
  }
  const detected =
    presetId === 'generic' && values['url'] ? detectPreset(values['url']) : ('generic' as const)

  /** The feed as the form says it, or null with every message beside its field. */
  const build = (): FeedSetting | null => {
    const found: Errors = {}
    const url = buildPresetUrl(presetId, values)
    if (!url.ok) found.url = { field: url.field, message: url.error }
    const auth = authHeader(
      authKind === 'basic'
        ? { kind: 'basic', user, password }
        : authKind === 'bearer'
          ? { kind: 'bearer', token }
          : { kind: 'none' },
    )
    if (!auth.ok) found.auth = auth.error
    const feedName = name.trim() || (url.ok ? new URL(url.value).host : '')
    if (url.ok && !feedName) found.name = 'Give the feed a name.'
    setErrors(found)
    if (!url.ok || !auth.ok || found.name) {
      const first = !url.ok
        ? `preset-part-${url.field}`
        : found.name
          ? 'preset-name'
          : 'preset-token'
      requestAnimationFrame(() => document.getElementById(first)?.focus())
      return null
    }
    const input = feedFromPreset(presetId, {
      id: props.newId(),
      name: feedName,
      url: url.value,
      auth: auth.value,
    })
    return feedSettingSchema.parse({ ...input, ...(trusted ? { trustedCertSha256: trusted } : {}) })
  }
  const add = (): void => {
    const feed = build()
    if (feed) props.onAdd(feed)
  }
  const runTest = (): void => {
    const feed = build()
    if (!feed) return
    setTest({ pending: true, result: null })
    props.api.testConnection(feed).then(
      (result) => setTest({ pending: false, result }),
      (error: unknown) => setTest({ pending: false, result: null, error: String(error) }),
    )
  }

  return (
    <section className="preset-picker" aria-label="Add feed">
      <h2>Add feed</h2>
      <fieldset className="preset-choices">
        <legend>Service</legend>
        {PRESETS.map((choice) => (
          <label className="preset-choice" key={choice.id}>
            <input
              type="radio"
              name="preset"
              value={choice.id}
              checked={choice.id === presetId}
              onChange={() => choose(choice.id)}
            />
            <div>
              <strong>{choice.label}</strong>
              <span>{choice.summary}</span>
            </div>
          </label>
        ))}
      </fieldset>

      <div className="form-grid">
        <Field id="preset-name" label="Name" error={errors.name}>
          <input
            {...describedBy('preset-name', errors.name)}
            value={name}
            onChange={(event) => {
              setName(event.target.value)
              edited('name')
            }}
            placeholder={preset.label}
            autoComplete="off"
          />
        </Field>
        {preset.urlParts.map((part) => {
          const id = `preset-part-${part.key}`
          const error = partError(part.key)
          return (
            <Field
              key={`${presetId}-${part.key}`}
              id={id}
              label={part.label}
              error={error}
              hint={part.help}
              className={preset.urlParts.length === 1 ? 'wide' : ''}
            >
              <input
                {...describedBy(id, error, Boolean(part.help))}
                value={values[part.key] ?? ''}
                onChange={(event) => {
                  setValues({ ...values, [part.key]: event.target.value })
                  edited('url', part.key)
                }}
                placeholder={part.placeholder}
                spellCheck={false}
                autoComplete="off"
              />
            </Field>
          )
        })}
      </div>
      {detected !== 'generic' ? (
        <p className="hint" role="status">
          This looks like a {presetById(detected).label} address.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              const url = values['url'] ?? ''
              choose(detected)
              if (presetById(detected).urlParts.some((part) => part.key === 'url'))
                setValues({ url })
            }}
          >
            Use the {presetById(detected).label} preset
          </button>
        </p>
      ) : null}

      <div className="form-grid">
        <Field id="preset-auth" label="Sign-in" hint={preset.authHelp}>
          <select
            {...describedBy('preset-auth', undefined, true)}
            value={authKind}
            onChange={(event) => {
              setAuthKind(event.target.value as AuthKind)
              edited('auth')
            }}
          >
            {preset.auth.map((kind) => (
              <option key={kind} value={kind}>
                {AUTH_LABELS[kind]}
              </option>
            ))}
          </select>
        </Field>
        {authKind === 'bearer' ? (
          <Field id="preset-token" label="Token" error={errors.auth}>
            <input
              {...describedBy('preset-token', errors.auth)}
              type="password"
              value={token}
              onChange={(event) => {
                setToken(event.target.value)
                edited('auth')
              }}
              autoComplete="off"
              spellCheck={false}
            />
          </Field>
        ) : null}
        {authKind === 'basic' ? (
          <>
            <Field id="preset-user" label="User" error={errors.auth}>
              <input
                {...describedBy('preset-user', errors.auth)}
                value={user}
                onChange={(event) => {
                  setUser(event.target.value)
                  edited('auth')
                }}
                autoComplete="off"
                spellCheck={false}
              />
            </Field>
            <Field id="preset-password" label="Password">
              <input
                id="preset-password"
                type="password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                autoComplete="off"
              />
            </Field>
          </>
        ) : null}
      </div>

      <p className="url-preview" id="preset-url-preview">
        <span className="url-preview-label">Connects to</span>{' '}
        {preview.ok ? (
          <code>{preview.value}</code>
        ) : (
          <span className="muted">(shown once {partLabel(preview.field)} is filled in right)</span>
        )}
      </p>

      <ul className="preset-notes" aria-label="About this preset">
        <li>{preset.resumeHelp}</li>
        {preset.healthTypes.length > 0 ? (
          <li>
            {preset.healthTypes.join(' and ')} events show that the feed is alive; they are not
            logged.
          </li>
        ) : null}
        {authKind !== 'none' ? (
          <li>The credential is stored encrypted, as a secret header.</li>
        ) : null}
      </ul>

      <div className="editor-actions">
        <button type="button" onClick={runTest} disabled={test.pending}>
          {test.pending ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="primary" onClick={add}>
          Add {preset.id === 'generic' ? 'feed' : `${preset.label} feed`}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
      <TestOutcome
        state={test}
        url={preview.ok ? preview.value : ''}
        trusted={trusted}
        onTrust={setTrusted}
      />
    </section>
  )
}
