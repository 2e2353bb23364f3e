/**
 * Moves keyboard focus to the element with this id once it is there, and keeps it there over
 * the next few frames while React replaces what it showed (a button that went away, an editor
 * swapped for another feed's), so focus never ends on <body>.
 */
export function focusSoon(id: string, frames = 12): void {
  let left = frames
  let held = 0
  const attempt = (): void => {
    const element = document.getElementById(id)
    if (element && document.activeElement === element) held++
    else {
      held = 0
      element?.focus()
    }
    if (held < 3 && left-- > 0) requestAnimationFrame(attempt)
  }
  requestAnimationFrame(attempt)
}
