// Wake from sleep, screen unlock and network changes: reconnect every feed now instead of
// waiting out whatever backoff was running when the machine went away.
import { net, powerMonitor } from 'electron'
import { addressSignature, watchNetwork } from '../core/network-watch.ts'

export function watchPowerAndNetwork(onWake: () => void, intervalMs?: number): () => void {
  powerMonitor.on('resume', onWake)
  powerMonitor.on('unlock-screen', onWake)
  const stopNetwork = watchNetwork({
    probe: () => `${net.isOnline() ? 'online' : 'offline'}|${addressSignature()}`,
    // Going offline is not worth a reconnect; coming (back) online or a new address is.
    onChange: () => {
      if (net.isOnline()) onWake()
    },
    ...(intervalMs ? { intervalMs } : {}),
  })
  return () => {
    powerMonitor.off('resume', onWake)
    powerMonitor.off('unlock-screen', onWake)
    stopNetwork()
  }
}
