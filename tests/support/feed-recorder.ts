// Records what a FeedManager emits and lets tests await a condition instead of sleeping.
import type { FeedManager } from '../../src/main/feeds/index.ts'
import type { FeedEvent, FeedState, FeedStateChange } from '../../src/shared/feed.ts'

export class FeedRecorder {
  readonly events: FeedEvent[] = []
  readonly states: FeedStateChange[] = []
  readonly #checks = new Set<() => void>()

  constructor(manager: FeedManager) {
    manager.on('event', (event) => {
      this.events.push(event)
      this.#notify()
    })
    manager.on('state', (change) => {
      this.states.push(change)
      this.#notify()
    })
  }

  get data(): string[] {
    return this.events.map((event) => event.data)
  }

  stateKinds(feedId?: string): string[] {
    return this.states
      .filter((s) => feedId === undefined || s.feedId === feedId)
      .map((s) => s.state.kind)
  }

  /** Resolves once `predicate` holds (checked after every emitted event or state). */
  until(predicate: () => boolean, what = 'condition', timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#checks.delete(check)
        reject(
          new Error(
            `timed out waiting for ${what}; states: ${this.stateKinds().join(' > ')}; events: ${this.events.length}`,
          ),
        )
      }, timeoutMs)
      const check = (): void => {
        if (!predicate()) return
        clearTimeout(timer)
        this.#checks.delete(check)
        resolve()
      }
      this.#checks.add(check)
    })
  }

  untilEvents(count: number): Promise<void> {
    return this.until(() => this.events.length >= count, `${count} events`)
  }

  /** Resolves with the first state of this kind emitted after the current one. */
  nextState(kind: FeedState['kind']): Promise<FeedState> {
    const from = this.states.length
    let found: FeedState | undefined
    return this.until(() => {
      found = this.states.slice(from).find((s) => s.state.kind === kind)?.state
      return found !== undefined
    }, `state ${kind}`).then(() => found!)
  }

  #notify(): void {
    for (const check of [...this.#checks]) check()
  }
}
