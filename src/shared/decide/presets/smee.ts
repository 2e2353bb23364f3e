// Webhooks relayed as SSE by smee.io (github.com/probot/smee.io): each delivery is one `message`
// event whose data is the webhook's request headers (lower-case names) plus `body`, `query` and
// `timestamp`:
// {"host":"smee.io","x-github-event":"workflow_run","x-github-delivery":"…","content-type":
//  "application/json","body":{"action":"completed","workflow_run":{…},"repository":{…}},
//  "query":{},"timestamp":1700000000000}
// The title says what happened the way GitHub's own emails do: "workflow_run completed: CI on
// main". Other forges' relayed hooks (GitLab, Gitea, Bitbucket) get their event header as title.
import type { NotificationDecision, NotificationKind } from '../../notification.ts'
import { isHttpUrl } from '../../validate.ts'
import { objectAt, textAt, type JsonObject } from './json.ts'

/** The request header that names a relayed webhook's event: one of them makes data a webhook. */
export const WEBHOOK_EVENT_HEADERS = [
  'x-github-event',
  'x-gitea-event',
  'x-gitlab-event',
  'x-event-key',
]

/** A relayed webhook's decision, or undefined when the data is not a relayed webhook. */
export function relayedWebhook(object: JsonObject): NotificationDecision | undefined {
  const header = WEBHOOK_EVENT_HEADERS.find((name) => textAt(object, name) !== undefined)
  const body = objectAt(object, 'body')
  if (header === undefined || body === undefined) return undefined
  const event = textAt(object, header) as string
  const action = textAt(body, 'action') ?? textAt(objectAt(body, 'object_attributes'), 'action')
  const about = subject(event, body)
  const title = `${event}${action ? ` ${action}` : ''}${about ? `: ${about}` : ''}`
  const repository =
    textAt(objectAt(body, 'repository'), 'full_name') ??
    textAt(objectAt(body, 'project'), 'path_with_namespace')
  const sender =
    textAt(objectAt(body, 'sender'), 'login') ?? textAt(objectAt(body, 'user'), 'username')
  const decision: NotificationDecision = {
    kind: kindOf(event, body),
    title,
    body: [detail(event, body), repository, sender ? `by ${sender}` : undefined]
      .filter(Boolean)
      .join(' · '),
  }
  const url = linkOf(event, body)
  if (url !== undefined) decision.url = url
  return decision
}

/** What the event is about, per GitHub event type. */
function subject(event: string, body: JsonObject): string | undefined {
  const run = objectAt(body, 'workflow_run')
  const job = objectAt(body, 'workflow_job')
  const numbered = (item: JsonObject | undefined) => {
    const number = textAt(item, 'number')
    const title = textAt(item, 'title')
    return number && title ? `#${number} ${title}` : (title ?? undefined)
  }
  switch (event) {
    case 'workflow_run':
      return on(textAt(run, 'name'), textAt(run, 'head_branch'))
    case 'workflow_job':
      return on(textAt(job, 'name'), textAt(job, 'head_branch'))
    case 'check_run':
      return on(
        textAt(objectAt(body, 'check_run'), 'name'),
        textAt(objectAt(objectAt(body, 'check_run'), 'check_suite'), 'head_branch'),
      )
    case 'check_suite':
      return textAt(objectAt(body, 'check_suite'), 'head_branch')
    case 'push': {
      const ref = textAt(body, 'ref')?.replace(/^refs\/(heads|tags)\//, '')
      const pusher = textAt(objectAt(body, 'pusher'), 'name')
      return ref && pusher ? `${ref} by ${pusher}` : ref
    }
    case 'pull_request':
    case 'pull_request_review':
      return numbered(objectAt(body, 'pull_request'))
    case 'issues':
    case 'issue_comment':
      return numbered(objectAt(body, 'issue'))
    case 'release':
      return (
        textAt(objectAt(body, 'release'), 'name') ?? textAt(objectAt(body, 'release'), 'tag_name')
      )
    case 'deployment_status':
      return textAt(objectAt(body, 'deployment'), 'environment')
    default:
      return (
        textAt(objectAt(body, 'object_attributes'), 'title') ??
        textAt(objectAt(body, 'object_attributes'), 'ref') ??
        textAt(objectAt(body, 'repository'), 'full_name')
      )
  }
}

function on(name: string | undefined, branch: string | undefined): string | undefined {
  if (!name) return branch
  return branch ? `${name} on ${branch}` : name
}

/** The outcome of a finished run, job or check: its conclusion. */
function conclusionOf(event: string, body: JsonObject): string | undefined {
  const item =
    objectAt(body, event) ??
    objectAt(body, 'deployment_status') ??
    objectAt(body, 'object_attributes')
  return (
    textAt(item, 'conclusion') ??
    (event === 'deployment_status' ? textAt(item, 'state') : undefined)
  )
}

const FAILED = new Set(['failure', 'failed', 'timed_out', 'cancelled', 'startup_failure', 'error'])

function kindOf(event: string, body: JsonObject): NotificationKind {
  const conclusion = conclusionOf(event, body)
  if (conclusion === undefined) return 'message'
  if (FAILED.has(conclusion)) return 'task-failed'
  return conclusion === 'success' ? 'task-completed' : 'message'
}

function detail(event: string, body: JsonObject): string | undefined {
  const conclusion = conclusionOf(event, body)
  if (conclusion) return conclusion
  if (event === 'push') return textAt(objectAt(body, 'head_commit'), 'message')?.split('\n')[0]
  if (event === 'issue_comment') return textAt(objectAt(body, 'comment'), 'body')
  return undefined
}

function linkOf(event: string, body: JsonObject): string | undefined {
  const candidates = [
    textAt(objectAt(body, event), 'html_url'),
    textAt(objectAt(body, 'comment'), 'html_url'),
    textAt(objectAt(body, 'pull_request'), 'html_url'),
    textAt(objectAt(body, 'issue'), 'html_url'),
    textAt(objectAt(body, 'release'), 'html_url'),
    textAt(body, 'compare'),
    textAt(objectAt(body, 'object_attributes'), 'url'),
    textAt(objectAt(body, 'repository'), 'html_url'),
  ]
  const url = candidates.find((candidate) => candidate !== undefined && isHttpUrl(candidate))
  return url === undefined ? undefined : new URL(url).href
}
