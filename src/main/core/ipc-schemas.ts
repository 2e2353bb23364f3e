// Runtime schemas for every renderer -> main request (the contract's types are in
// src/shared/ipc.ts). Argument lists are exact tuples: a missing, extra or mistyped argument
// is rejected before any handler runs. Settings payloads reuse the settings schemas.
import { z } from 'zod'
import type { IpcRequestChannel, IpcRequests } from '../../shared/ipc.ts'
import { MAX_URL_LENGTH } from '../../shared/validate.ts'

const feedId = z.string().min(1).max(100)

/** An object, checked field by field by the handler so the form gets per-field errors. */
const formObject = z.record(z.string().max(200), z.unknown())

export const pauseRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('for-minutes'), minutes: z.number().int().min(1).max(10_080) }),
  z.object({ kind: z.literal('until-tomorrow') }),
  z.object({ kind: z.literal('until-resumed') }),
  z.object({ kind: z.literal('resume') }),
])

export const requestSchemas = {
  'window:ready': z.tuple([]),
  'snapshot:get': z.tuple([]),
  'settings:get': z.tuple([]),
  'settings:save': z.tuple([formObject]),
  'feed:reconnect': z.tuple([feedId]),
  'feed:set-enabled': z.tuple([feedId, z.boolean()]),
  'feed:snooze': z.tuple([feedId, z.number().int().min(0).max(8.64e15).nullable()]),
  'feed:test': z.tuple([formObject]),
  'link:open': z.tuple([z.string().max(MAX_URL_LENGTH)]),
  'notifications:pause': z.tuple([pauseRequestSchema]),
  'notifications:health': z.tuple([]),
  'notifications:test': z.tuple([]),
} satisfies Record<IpcRequestChannel, z.ZodType<unknown[]>>

// Compile-time check: what a schema lets through is what the contract promises the handler
// (the two form payloads are narrowed further by the settings schemas in their handlers).
type Checked = Exclude<IpcRequestChannel, 'settings:save' | 'feed:test'>
type Agrees<C extends Checked> =
  z.output<(typeof requestSchemas)[C]> extends IpcRequests[C]['args'] ? true : never
const _agree: { [C in Checked]: Agrees<C> } = {
  'window:ready': true,
  'snapshot:get': true,
  'settings:get': true,
  'feed:reconnect': true,
  'feed:set-enabled': true,
  'feed:snooze': true,
  'link:open': true,
  'notifications:pause': true,
  'notifications:health': true,
  'notifications:test': true,
}
void _agree

export type ParsedArgs = { ok: true; args: unknown[] } | { ok: false; error: string }

export function isRequestChannel(channel: unknown): channel is IpcRequestChannel {
  return typeof channel === 'string' && Object.hasOwn(requestSchemas, channel)
}

/** Validates one request's arguments against its channel's schema. */
export function parseRequestArgs(channel: IpcRequestChannel, args: unknown[]): ParsedArgs {
  const result = requestSchemas[channel].safeParse(args)
  if (result.success) return { ok: true, args: result.data }
  const issue = result.error.issues[0]
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
  return { ok: false, error: `Invalid arguments for ${channel}${where}: ${issue?.message ?? ''}` }
}
