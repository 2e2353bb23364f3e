// One restartable timeout. Unref'd so a pending summary never keeps the CLI process alive.

/** setTimeout's limit; longer waits are re-checked when the timer fires. */
const MAX_DELAY_MS = 2 ** 31 - 1

export class Timer {
  #handle: ReturnType<typeof setTimeout> | null = null

  get pending(): boolean {
    return this.#handle !== null
  }

  /** Replaces any pending run. */
  set(delayMs: number, run: () => void): void {
    this.clear()
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, Number.isFinite(delayMs) ? delayMs : 0))
    const handle = setTimeout(() => {
      this.#handle = null
      run()
    }, delay)
    ;(handle as { unref?: () => void }).unref?.()
    this.#handle = handle
  }

  clear(): void {
    if (this.#handle !== null) clearTimeout(this.#handle)
    this.#handle = null
  }
}
