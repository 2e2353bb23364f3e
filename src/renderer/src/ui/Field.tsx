import type { ReactNode } from 'react'
import './field.css'

/** Props that tie an input to its label and to the error shown beside it. */
export function describedBy(
  id: string,
  error: string | undefined,
  hint?: boolean,
): { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined } {
  const ids = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ')
  return { id, 'aria-invalid': Boolean(error), 'aria-describedby': ids || undefined }
}

/** A labelled field with an optional hint and its error message beside it. */
export function Field(props: {
  id: string
  label: string
  error?: string | undefined
  hint?: ReactNode
  className?: string
  children: ReactNode
}): React.JSX.Element {
  return (
    <div className={`field${props.error ? ' invalid' : ''} ${props.className ?? ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <p id={`${props.id}-hint`} className="hint">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${props.id}-error`} className="field-error">
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

/** A checkbox with its label to the right. */
export function Check(props: {
  id: string
  label: string
  checked: boolean
  onChange(checked: boolean): void
  hint?: string
}): React.JSX.Element {
  return (
    <div className="check">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      />
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint ? (
        <span id={`${props.id}-hint`} className="hint">
          {props.hint}
        </span>
      ) : null}
    </div>
  )
}

/** Number inputs hold NaN while empty, so validation can say "Enter a number." */
export function numberValue(value: number): string | number {
  return Number.isNaN(value) ? '' : value
}

export function parseNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text)
}
