// Whether notifications reach the user: a warning with the fix for this OS when the last one
// was refused or never shown, and "Send a test notification" to check.
import { useEffect, useState } from 'react'
import type { NotificationHealth, TidingsApi } from '../../../shared/ipc.ts'
import { notificationFix, notificationProblem } from '../../../shared/notification-advice.ts'

export function NotificationHealthPanel(props: { api: TidingsApi }): React.JSX.Element {
  const { api } = props
  const [health, setHealth] = useState<NotificationHealth | null>(null)
  const [testing, setTesting] = useState(false)
  const [tested, setTested] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    const stop = api.onNotificationHealth((next) => setHealth(next))
    api.getNotificationHealth().then(
      (current) => {
        if (live) setHealth((old) => old ?? current)
      },
      () => {},
    )
    return () => {
      live = false
      stop()
    }
  }, [api])

  const sendTest = async (): Promise<void> => {
    setTesting(true)
    setTested(null)
    try {
      const result = await api.sendTestNotification()
      setHealth(result)
      if (result.status === 'ok')
        setTested(`Test notification sent. Did not see it? ${notificationFix(result.platform)}`)
    } catch (error) {
      setTested(`The test notification could not be sent: ${String(error)}`)
    } finally {
      setTesting(false)
    }
  }

  const problem = health ? notificationProblem(health) : null
  return (
    <div className="field span-all notification-health">
      {health && problem ? (
        <div className="banner boxed tinted tone-busy" role="alert">
          <strong>{problem}</strong> {notificationFix(health.platform)}
          {health.detail ? (
            <details>
              <summary>Details</summary>
              {health.detail}
            </details>
          ) : null}
        </div>
      ) : null}
      <div className="button-row">
        <button type="button" onClick={() => void sendTest()} disabled={testing}>
          {testing ? 'Sending…' : 'Send a test notification'}
        </button>
      </div>
      {tested ? (
        <p className="hint" role="status">
          {tested}
        </p>
      ) : null}
    </div>
  )
}
