import { useEffect, useState } from 'react'
import type { NotifyMode } from '../../../shared/feed.ts'
import type { LoggedEvent, TidingsApi } from '../../../shared/ipc.ts'
import type { FeedSetting, FieldErrors, HeaderSetting } from '../../../shared/settings.ts'
import { validateFeedUrl } from '../../../shared/validate.ts'
import {
  looksSecret,
  SECRET_BY_NAME_HINT,
  secretMovedMessage,
  secretsLeftBehind,
} from '../../../shared/secret-headers.ts'
import { Check, Field, describedBy, numberValue, parseNumber } from '../ui/Field.tsx'
import { TestOutcome, type TestState } from './TestOutcome.tsx'
import { presetById, PRESETS } from '../../../shared/presets.ts'
import { SignInFields, signInHeaderIndex } from './SignInFields.tsx'
import { FeedPresetFields } from './presets/FeedPresetFields.tsx'

type ModeChoice = 'smart' | 'all' | 'none' | 'types'

const MODE_HINTS: Record<ModeChoice, string> = {
  smart: 'Finished and failed tasks, news and messages; progress and heartbeats stay quiet.',
  all: 'Every event raises a notification (rate limited).',
  none: 'Events are only logged.',
  types: 'Only events of the listed types notify.',
}

export function FeedEditor(props: {
  api: TidingsApi
  feed: FeedSetting
  defaultColor: string | undefined
  errors: FieldErrors
  encryptionAvailable: boolean
  /** The URL the feed was saved with: stored secrets go nowhere else. */
  savedUrl?: string | undefined
  /** The feed's last received event, for the field mapping's live preview. */
  lastEvent?: Pick<LoggedEvent, 'type' | 'data'> | null
  /** Run Test connection at once (the Feeds view asked to check this feed). */
  autoTest?: boolean
  onAutoTested?(): void
  onChange(feed: FeedSetting): void
  onRemove(): void
}): React.JSX.Element {
  const { feed, errors, onChange } = props
  const mode: ModeChoice = typeof feed.notify === 'object' ? 'types' : feed.notify
  const [typesText, setTypesText] = useState(
    typeof feed.notify === 'object' ? feed.notify.types.join(', ') : '',
  )
  const [test, setTest] = useState<TestState>({ pending: false, result: null })

  const update = (patch: Partial<FeedSetting>): void => onChange({ ...feed, ...patch })
  const setHeader = (index: number, patch: Partial<HeaderSetting>): void =>
    update({
      headers: feed.headers.map((header, at) => (at === index ? { ...header, ...patch } : header)),
    })
  // A name that turns into a credential's (Authorization, X-Api-Key…) ticks Secret by itself.
  const renameHeader = (index: number, header: HeaderSetting, name: string): void =>
    setHeader(index, {
      name,
      ...(!looksSecret(header.name) && looksSecret(name) ? { secret: true } : {}),
    })
  const leftBehind = new Set(secretsLeftBehind(feed, props.savedUrl))
  // A preset feed's sign-in is edited as the preset asked for it (its Token field).
  const preset = presetById(feed.preset)
  const presetSignIn =
    PRESETS.some((choice) => choice.id === feed.preset) &&
    feed.preset !== 'generic' &&
    preset.auth.some((kind) => kind !== 'none')
  const authIndex = presetSignIn ? signInHeaderIndex(feed.headers) : -1
  const setSignIn = (header: HeaderSetting | null): void => {
    const others = feed.headers.filter((_, at) => at !== authIndex)
    if (header === null) update({ headers: others })
    else if (authIndex < 0) update({ headers: [...feed.headers, header] })
    else update({ headers: feed.headers.map((one, at) => (at === authIndex ? header : one)) })
  }
  const setMode = (choice: ModeChoice): void => {
    const notify: NotifyMode = choice === 'types' ? { types: splitTypes(typesText) } : choice
    update({ notify })
  }

  const runTest = (): void => {
    const url = validateFeedUrl(feed.url)
    if (!url.ok) {
      setTest({ pending: false, result: null, error: url.error })
      return
    }
    setTest({ pending: true, result: null })
    props.api.testConnection(feed).then(
      (result) => setTest({ pending: false, result }),
      (error: unknown) => setTest({ pending: false, result: null, error: String(error) }),
    )
  }

  const { autoTest, onAutoTested } = props
  useEffect(() => {
    if (!autoTest) return
    onAutoTested?.()
    runTest()
  })

  return (
    <div className="feed-editor" aria-label={`Edit feed ${feed.name || '(unnamed)'}`} role="group">
      <div className="form-grid">
        <Field id="feed-name" label="Name" error={errors.name}>
          <input
            {...describedBy('feed-name', errors.name)}
            value={feed.name}
            onChange={(event) => update({ name: event.target.value })}
            placeholder="Builds"
            autoComplete="off"
          />
        </Field>
        <Field id="feed-color" label="Colour" error={errors.color} className="narrow">
          <input
            {...describedBy('feed-color', errors.color)}
            type="color"
            value={feed.color ?? props.defaultColor ?? '#6b7280'}
            onChange={(event) => update({ color: event.target.value })}
          />
        </Field>
        <Field
          id="feed-url"
          label="URL"
          error={errors.url}
          className="wide"
          hint="http:// or https:// address of the event stream."
        >
          <input
            {...describedBy('feed-url', errors.url, true)}
            value={feed.url}
            onChange={(event) => update({ url: event.target.value })}
            placeholder="https://example.com/events"
            spellCheck={false}
            autoComplete="off"
            inputMode="url"
          />
        </Field>
      </div>

      {presetSignIn ? (
        <SignInFields
          preset={preset}
          header={feed.headers[authIndex]}
          error={
            authIndex < 0
              ? undefined
              : (errors[`headers.${authIndex}.value`] ??
                (leftBehind.has(authIndex) ? secretMovedMessage(feed.url) : undefined))
          }
          onChange={setSignIn}
        />
      ) : null}

      <fieldset className="headers">
        <legend>Request headers</legend>
        {feed.headers.length === (authIndex < 0 ? 0 : 1) ? (
          <p className="muted">No extra headers.</p>
        ) : null}
        {feed.headers.map((header, index) => {
          if (index === authIndex) return null
          const nameError = errors[`headers.${index}.name`]
          const valueError =
            errors[`headers.${index}.value`] ??
            (leftBehind.has(index) ? secretMovedMessage(feed.url) : undefined)
          const secretByName = header.secret && looksSecret(header.name)
          const base = `feed-header-${index}`
          return (
            <div className="header-row" key={index}>
              <Field id={`${base}-name`} label={`Header ${index + 1} name`} error={nameError}>
                <input
                  {...describedBy(`${base}-name`, nameError)}
                  value={header.name}
                  onChange={(event) => renameHeader(index, header, event.target.value)}
                  placeholder="Authorization"
                  spellCheck={false}
                  autoComplete="off"
                />
              </Field>
              <Field
                id={`${base}-value`}
                label={`Header ${index + 1} value`}
                error={valueError}
                hint={secretByName ? SECRET_BY_NAME_HINT : undefined}
              >
                <input
                  {...describedBy(`${base}-value`, valueError, secretByName)}
                  type={header.secret ? 'password' : 'text'}
                  value={header.value}
                  onChange={(event) => setHeader(index, { value: event.target.value })}
                  placeholder={
                    leftBehind.has(index)
                      ? 'Enter it again for the new address'
                      : header.secret && header.stored
                        ? 'Stored encrypted — type to replace'
                        : ''
                  }
                  spellCheck={false}
                  autoComplete="off"
                />
              </Field>
              <Check
                id={`${base}-secret`}
                label="Secret"
                checked={header.secret}
                onChange={(secret) => setHeader(index, { secret })}
              />
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove header ${index + 1}`}
                onClick={() => update({ headers: feed.headers.filter((_, at) => at !== index) })}
              >
                ✕
              </button>
            </div>
          )
        })}
        {!props.encryptionAvailable && feed.headers.some((header) => header.secret) ? (
          <p className="field-error">
            This system offers no encrypted storage: secret headers cannot be saved.
          </p>
        ) : null}
        <button
          type="button"
          onClick={() =>
            update({ headers: [...feed.headers, { name: '', value: '', secret: false }] })
          }
        >
          Add header
        </button>
      </fieldset>

      <FeedPresetFields
        feed={feed}
        lastEvent={props.lastEvent ?? null}
        errors={errors}
        onChange={update}
      />

      <div className="form-grid">
        <Field id="feed-notify" label="Notifications" error={errors.notify} hint={MODE_HINTS[mode]}>
          <select
            {...describedBy('feed-notify', errors.notify, true)}
            value={mode}
            onChange={(event) => setMode(event.target.value as ModeChoice)}
          >
            <option value="smart">Smart</option>
            <option value="all">Every event</option>
            <option value="none">None (log only)</option>
            <option value="types">Only these types…</option>
          </select>
        </Field>
        {mode === 'types' ? (
          <Field
            id="feed-notify-types"
            label="Event types that notify"
            error={errors['notify.types'] ?? firstMatching(errors, 'notify.types.')}
            hint="Comma-separated, e.g. build.failed, deploy"
          >
            <input
              {...describedBy('feed-notify-types', errors['notify.types'], true)}
              value={typesText}
              onChange={(event) => {
                setTypesText(event.target.value)
                update({ notify: { types: splitTypes(event.target.value) } })
              }}
              spellCheck={false}
            />
          </Field>
        ) : null}
        <Field
          id="feed-idle"
          label="Idle timeout (seconds)"
          error={errors.idleTimeoutSec}
          hint="Reconnect when no byte arrives for this long; 0 turns it off."
          className="narrow"
        >
          <input
            {...describedBy('feed-idle', errors.idleTimeoutSec, true)}
            type="number"
            min={0}
            max={86400}
            value={numberValue(feed.idleTimeoutSec)}
            onChange={(event) => update({ idleTimeoutSec: parseNumber(event.target.value) })}
          />
        </Field>
      </div>

      <div className="check-row">
        <Check
          id="feed-paused"
          label="Paused"
          hint="Kept, but not connected: no events, no notifications."
          checked={!feed.enabled}
          onChange={(paused) => update({ enabled: !paused })}
        />
        <Check
          id="feed-oneshot"
          label="One-shot stream"
          hint="The end of the stream means the job finished."
          checked={feed.oneShot}
          onChange={(oneShot) => update({ oneShot })}
        />
        {feed.oneShot ? (
          <Check
            id="feed-remove-finished"
            label="Remove when finished"
            checked={feed.removeWhenFinished}
            onChange={(removeWhenFinished) => update({ removeWhenFinished })}
          />
        ) : null}
      </div>

      <div className="editor-actions">
        <button type="button" onClick={runTest} disabled={test.pending}>
          {test.pending ? 'Testing…' : 'Test connection'}
        </button>
        <span className="toolbar-spacer" />
        <button type="button" className="danger" onClick={props.onRemove}>
          Remove feed
        </button>
      </div>
      <TestOutcome
        state={test}
        url={feed.url}
        trusted={feed.trustedCertSha256}
        onTrust={(trustedCertSha256) => update({ trustedCertSha256 })}
      />
    </div>
  )
}

function splitTypes(text: string): string[] {
  return text
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type !== '')
}

function firstMatching(errors: FieldErrors, prefix: string): string | undefined {
  const key = Object.keys(errors).find((candidate) => candidate.startsWith(prefix))
  return key === undefined ? undefined : errors[key]
}
