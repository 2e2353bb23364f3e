// Network changes, for reconnecting at once instead of waiting out a backoff: Electron's main
// process has no "network changed" event, so a cheap probe (online flag + the machine's
// addresses) is compared every few seconds.
import { networkInterfaces } from 'node:os'

export interface NetworkWatchOptions {
  /** Any string that changes when the network does. */
  probe?: () => string
  onChange(): void
  intervalMs?: number
}

/** Non-internal addresses, sorted: joining Wi-Fi, a VPN or docking changes them. */
export function addressSignature(): string {
  const addresses: string[] = []
  for (const [name, infos] of Object.entries(networkInterfaces()))
    for (const info of infos ?? []) if (!info.internal) addresses.push(`${name}=${info.address}`)
  return addresses.sort().join(',')
}

/** Starts watching; returns the function that stops it. */
export function watchNetwork(options: NetworkWatchOptions): () => void {
  const probe = options.probe ?? addressSignature
  let last = probe()
  const timer = setInterval(() => {
    let current: string
    try {
      current = probe()
    } catch {
      return
    }
    if (current === last) return
    last = current
    options.onChange()
  }, options.intervalMs ?? 5000)
  timer.unref?.()
  return () => clearInterval(timer)
}
