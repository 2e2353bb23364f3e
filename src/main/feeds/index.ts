// The feed engine: plain Node, used by the app, the CLI, tests and benchmarks alike.
export { FeedManager } from './feed-manager.ts'
export type { FeedManagerEvents, FeedManagerOptions, FeedPositionChange } from './feed-manager.ts'
export type { FetchLike, RequestContext } from './feed-connection.ts'
export {
  RETRY_DEFAULT_MS,
  RETRY_MIN_MS,
  RETRY_MAX_MS,
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
} from './reconnect-policy.ts'
