// Test harness for the CLI: runs `node src/main/cli.ts ...` as a real child process and serves
// loopback HTTP that writes exact bytes. Used by tests/node/cli-*.test.ts.
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
export const CLI = fileURLToPath(new URL('../../src/main/cli.ts', import.meta.url))

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliRun {
  child: ChildProcessWithoutNullStreams
  readonly stdout: string
  readonly stderr: string
  /** Resolves once what was printed so far satisfies the predicate. */
  until(predicate: (run: { stdout: string; stderr: string }) => boolean): Promise<void>
  exit: Promise<CliResult>
}

/** The environment a CLI child gets: no proxy variables from the machine running the tests. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(https?|no|all)_proxy$/i.test(key)) continue
    env[key] = value
  }
  return { ...env, ...extra }
}

const running = new Set<ChildProcessWithoutNullStreams>()

/** For afterEach: ends CLI children a failed test left running (only those this harness started). */
export function killLeftoverClis(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}

export function runCli(
  args: string[],
  options: { env?: Record<string, string>; entry?: string } = {},
): CliRun {
  const child = spawn(process.execPath, [options.entry ?? CLI, ...args], {
    cwd: REPO,
    env: options.env ?? cleanEnv(),
    stdio: 'pipe',
  })
  running.add(child)
  let stdout = ''
  let stderr = ''
  const waiters = new Set<() => void>()
  const wake = () => waiters.forEach((waiter) => waiter())
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    wake()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    wake()
  })
  const exit = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child)
      wake()
      resolve({ code, signal, stdout, stderr })
    })
  })
  return {
    child,
    get stdout() {
      return stdout
    },
    get stderr() {
      return stderr
    },
    until(predicate) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate({ stdout, stderr })) {
            waiters.delete(check)
            resolve()
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check)
            reject(new Error(`CLI exited first.\nstdout: ${stdout}\nstderr: ${stderr}`))
          }
        }
        waiters.add(check)
        check()
      })
    },
    exit,
  }
}

export interface SeenRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  /** Resolves when the client closes the connection. */
  closed: Promise<void>
}

export interface TestServer {
  url: string
  port: number
  requests: SeenRequest[]
  /** Resolves with the n-th request (1-based) once it arrived. */
  request(n: number): Promise<SeenRequest>
  close(): Promise<void>
}

export type Handler = (req: IncomingMessage, res: ServerResponse, index: number) => unknown

/** A loopback HTTP server; `handler` writes exactly the bytes a test needs. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = []
  const waiters = new Set<() => void>()
  const server = createServer((req, res) => {
    const closed = new Promise<void>((resolve) => res.on('close', () => resolve()))
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, closed })
    waiters.forEach((waiter) => waiter())
    void handler(req, res, requests.length)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/events`,
    port,
    requests,
    request(n) {
      return new Promise((resolve) => {
        const check = () => {
          const seen = requests[n - 1]
          if (seen) {
            waiters.delete(check)
            resolve(seen)
          }
        }
        waiters.add(check)
        check()
      })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream' }

export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}
