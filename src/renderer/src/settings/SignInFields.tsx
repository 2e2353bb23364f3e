// A preset feed's sign-in, edited as the preset form asked for it (a token, or a user and
// password), not as the raw Authorization header it is stored as: typing a new token keeps its
// "Bearer ", and a stored secret stays stored until replaced.
import { useState } from 'react'
import { authHeader, type AuthKind, type FeedPreset } from '../../../shared/presets.ts'
import type { HeaderSetting } from '../../../shared/settings.ts'
import { Field, describedBy } from '../ui/Field.tsx'

export const AUTH_LABELS: Record<AuthKind, string> = {
  none: 'None',
  bearer: 'Token (Bearer)',
  basic: 'User and password (Basic)',
}

/** The Authorization header a preset's sign-in is kept in, if the feed has one. */
export function signInHeaderIndex(headers: readonly HeaderSetting[]): number {
  return headers.findIndex((header) => header.name.trim().toLowerCase() === 'authorization')
}

function kindOf(header: HeaderSetting | undefined, preset: FeedPreset): AuthKind {
  if (!header) return 'none'
  if (/^basic /i.test(header.value)) return 'basic'
  if (/^bearer /i.test(header.value)) return 'bearer'
  // Stored encrypted: the window never sees it; the preset's usual kind is the best guess.
  return preset.auth.find((kind) => kind !== 'none') ?? 'bearer'
}

export function SignInFields(props: {
  preset: FeedPreset
  header: HeaderSetting | undefined
  error: string | undefined
  /** The new header (null: no sign-in). */
  onChange(header: HeaderSetting | null): void
}): React.JSX.Element {
  const { preset, header } = props
  const [kind, setKind] = useState<AuthKind>(() => kindOf(header, preset))
  const [user, setUser] = useState('')
  const [password, setPassword] = useState('')
  const [problem, setProblem] = useState<string | undefined>()
  const stored = header?.secret === true && header.stored === true && header.value === ''
  const kinds = preset.auth.includes(kind) ? preset.auth : [...preset.auth, kind]
  const token = header && /^bearer /i.test(header.value) ? header.value.slice(7) : ''
  const setBasic = (nextUser: string, nextPassword: string): void => {
    setUser(nextUser)
    setPassword(nextPassword)
    if (nextUser === '' && nextPassword === '') {
      props.onChange(header ? { ...header, value: '' } : null)
      setProblem(undefined)
      return
    }
    const made = authHeader({ kind: 'basic', user: nextUser, password: nextPassword })
    setProblem(made.ok ? undefined : made.error)
    if (made.ok && made.value) props.onChange({ ...header, ...made.value })
  }
  const placeholder = stored ? 'Stored encrypted — type to replace' : ''
  const error = problem ?? props.error
  return (
    <div className="form-grid sign-in">
      <Field id="feed-auth" label="Sign-in" hint={preset.authHelp}>
        <select
          {...describedBy('feed-auth', undefined, true)}
          value={kind}
          onChange={(event) => {
            const next = event.target.value as AuthKind
            setKind(next)
            setProblem(undefined)
            if (next === 'none') props.onChange(null)
            else if (next !== kind)
              props.onChange({ name: 'Authorization', value: '', secret: true })
          }}
        >
          {kinds.map((choice) => (
            <option key={choice} value={choice}>
              {AUTH_LABELS[choice]}
            </option>
          ))}
        </select>
      </Field>
      {kind === 'bearer' ? (
        <Field id="feed-token" label="Token" error={error}>
          <input
            {...describedBy('feed-token', error)}
            type="password"
            value={token}
            placeholder={placeholder}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => {
              const text = event.target.value.trim()
              props.onChange({
                name: 'Authorization',
                value: text === '' ? '' : `Bearer ${text}`,
                secret: true,
                ...(header?.stored !== undefined ? { stored: header.stored } : {}),
              })
            }}
          />
        </Field>
      ) : null}
      {kind === 'basic' ? (
        <>
          <Field id="feed-user" label="User" error={error}>
            <input
              {...describedBy('feed-user', error)}
              value={user}
              placeholder={placeholder}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setBasic(event.target.value, password)}
            />
          </Field>
          <Field id="feed-password" label="Password">
            <input
              id="feed-password"
              type="password"
              value={password}
              autoComplete="off"
              onChange={(event) => setBasic(user, event.target.value)}
            />
          </Field>
        </>
      ) : null}
    </div>
  )
}
