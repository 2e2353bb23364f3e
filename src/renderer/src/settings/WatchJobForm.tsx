// "Watch a job": the quick way to follow one stream until it ends (a build log, an export, an
// AI answer). The feed is one-shot: the end of its stream means the job finished, which raises
// one notification; afterwards the feed is removed or kept, as the user chose.
import { useState } from 'react'
import { feedSettingSchema, type FeedSetting } from '../../../shared/settings.ts'
import { validateFeedUrl } from '../../../shared/validate.ts'
import { Field, describedBy } from '../ui/Field.tsx'

export function WatchJobForm(props: {
  newId(): string
  onWatch(feed: FeedSetting): void
  onCancel(): void
}): React.JSX.Element {
  const [url, setUrl] = useState('')
  const [name, setName] = useState('')
  const [afterwards, setAfterwards] = useState<'remove' | 'keep'>('remove')
  const [error, setError] = useState<string | undefined>()

  const watch = (): void => {
    const checked = validateFeedUrl(url)
    if (!checked.ok) {
      setError(checked.error)
      document.getElementById('job-url')?.focus()
      return
    }
    const parsed = new URL(checked.value)
    const fallback = `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`
    props.onWatch(
      feedSettingSchema.parse({
        id: props.newId(),
        name: (name.trim() || fallback).slice(0, 100),
        url: checked.value,
        oneShot: true,
        removeWhenFinished: afterwards === 'remove',
      }),
    )
  }

  return (
    <form
      className="preset-picker"
      aria-label="Watch a job"
      onSubmit={(event) => {
        event.preventDefault()
        watch()
      }}
    >
      <h2>Watch a job</h2>
      <p className="hint">
        Follow one stream until it ends, then get one notification saying it finished, how long it
        ran and how many events it sent. A dropped connection resumes where it left off.
      </p>
      <div className="form-grid">
        <Field id="job-url" label="Stream URL" error={error} className="wide">
          <input
            {...describedBy('job-url', error)}
            value={url}
            onChange={(event) => {
              setUrl(event.target.value)
              setError(undefined)
            }}
            placeholder="https://ci.example.com/builds/42/events"
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
        <Field id="job-name" label="Name (optional)">
          <input
            id="job-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            autoComplete="off"
          />
        </Field>
      </div>
      <fieldset className="job-afterwards">
        <legend>When it finishes</legend>
        <label>
          <input
            type="radio"
            name="job-afterwards"
            checked={afterwards === 'remove'}
            onChange={() => setAfterwards('remove')}
          />
          Remove the feed
        </label>
        <label>
          <input
            type="radio"
            name="job-afterwards"
            checked={afterwards === 'keep'}
            onChange={() => setAfterwards('keep')}
          />
          Keep it in the list
        </label>
      </fieldset>
      <div className="button-row">
        <button type="submit" className="primary">
          Watch
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
