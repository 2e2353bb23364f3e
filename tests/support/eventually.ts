// Waits until a check passes, re-checking every 20 ms. The deadline is generous on purpose: it is
// there to end a test that would hang, not to judge speed (a loaded CI machine can take seconds
// for what takes milliseconds here). vi.waitFor's own default of 1 s made tests fail by timing.
import { vi } from 'vitest'

export function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  return vi.waitFor(check, { timeout: timeoutMs, interval: 20 })
}
