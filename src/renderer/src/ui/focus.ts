/**
 * Moves keyboard focus to the element with this id once it is there, and keeps it there over
 * the next few frames while React replaces what it showed (a button that went away, an editor
 * swapped for another feed's), so focus never ends on <body>. It takes focus only from nowhere
 * (<body>, an element that went away) or from where it was when asked: once the user has gone
 * to another field (a quick click after "Add feed"), it leaves the focus there.
 */
export function focusSoon(id: string, frames = 12): void {
  const from = document.activeElement
  let left = frames
  let held = 0
  const attempt = (): void => {
    const element = document.getElementById(id)
    const active = document.activeElement
    if (element && active === element) held++
    else {
      const nowhere = active === null || active === document.body || !active.isConnected
      if (!nowhere && active !== from) return
      held = 0
      element?.focus()
    }
    if (held < 3 && left-- > 0) requestAnimationFrame(attempt)
  }
  requestAnimationFrame(attempt)
}
