// Who a remote call is made for: the platform (of a fleet) and the replica. Carried by
// AsyncLocalStorage through every await of a platform's loop, so the SDK middleware can stamp each
// AWS request with it (aws.ts) and the per-platform metrics count only their own platform's calls.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallContext {
  /** The platform's key in the fleet (its Lease and metrics label). */
  platform?: string;
  /** The replica making the call (its --instance-id or Lease identity). */
  replica?: string;
}

const contexts = new AsyncLocalStorage<CallContext>();
let processDefault: CallContext = {};

/** Run `fn` (and everything it schedules, timers included) on behalf of `context`. */
export function withCallContext<T>(context: CallContext, fn: () => T): T {
  return contexts.run({ ...processDefault, ...context }, fn);
}

/** The context of calls made outside any withCallContext (a process that manages one platform). */
export function setDefaultCallContext(context: CallContext): void {
  processDefault = { ...context };
}

/** The context of the current call. */
export function currentCallContext(): CallContext {
  return contexts.getStore() ?? processDefault;
}

/**
 * NOTE(headers): extra `x-` request headers are ignored by every AWS service (and signed with the
 * rest by SigV4, which AWS accepts), so they are harmless against real AWS; the sandbox's call log
 * records them. Values are reduced to header-safe ASCII.
 */
export const CALLER_HEADERS = { platform: 'x-platformd-platform', replica: 'x-platformd-replica' } as const;

/** The caller headers for the current context (none when it names nobody). */
export function callerHeaders(context: CallContext = currentCallContext()): Record<string, string> {
  const safe = (value: string) => value.replace(/[^\x21-\x7e]/g, '_').slice(0, 128);
  const headers: Record<string, string> = {};
  if (context.platform) headers[CALLER_HEADERS.platform] = safe(context.platform);
  if (context.replica) headers[CALLER_HEADERS.replica] = safe(context.replica);
  return headers;
}

interface BuildStack {
  add(mw: (next: (args: { request: unknown }) => Promise<unknown>) => (args: { request: unknown }) => Promise<unknown>, opts: { step: 'build'; name: string }): void;
}

/** Add the caller headers to every request of an AWS SDK client (before signing, so they are signed with the rest). */
export function withCallerHeaders<T extends { middlewareStack: object }>(client: T): T {
  (client.middlewareStack as BuildStack).add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) Object.assign(request.headers, callerHeaders());
      return next(args);
    },
    { step: 'build', name: 'platformdCallerHeaders' },
  );
  return client;
}
