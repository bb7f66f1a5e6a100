// The steps of one change, as small functions the plan walk (apply-plan.ts) composes: resolve
// the desired properties from the outputs known so far, create, update, delete, and wait for
// readiness. Each step calls the kind, retries by error class and polls ready(); none decides
// ordering, which is the walk's job.
import { convergeUpdate } from './converge-update.js';
import type { Desired, KindContext, Observed, ResourceKind } from '../resources/kind.js';
import { resolveRefs } from '../plan/resolve.js';
import { ErrorCodes, PlatformdError, isPlatformdError } from '../errors.js';
import type { ApplyEvent } from './events.js';
import { withRetry, type RetryOptions } from './retry.js';
import { waitUntil } from './wait.js';

/** How long create/update/delete may take when the kind does not say (sized for real AWS). */
export const DEFAULT_READY_TIMEOUT_MS = 30 * 60_000;

/** Outputs of every resource known so far, by logical id (observed ones, then each applied one). */
export type OutputsById = Map<string, Record<string, unknown>>;

/** Everything one change's steps need: the kind, its context and the run's options. */
export interface StepContext {
  id: string;
  kind: ResourceKind;
  ctx: KindContext;
  signal?: AbortSignal;
  /** Throws when this process may no longer change anything; called before every mutating call. */
  fence?: () => void;
  emit: (event: ApplyEvent) => void;
}

/** Progress line callback for a wait: "still creating… [12s] (CREATING)". */
export type ProgressReporter = (reason: string, elapsedMs: number) => void;

/** The progress reporter for a step of `id` doing `verb`. */
export function progressFor(step: Pick<StepContext, 'id' | 'emit'>, verb: string): ProgressReporter {
  return (reason, elapsedMs) =>
    step.emit({ type: 'progress', id: step.id, message: `still ${verb}… [${Math.round(elapsedMs / 1000)}s] (${reason})`, elapsedMs });
}

/**
 * Retry options for a call of `what`. Deletes also ride out conflicts (DependencyViolation from
 * dependents still going away) for as long as the kind's delete may take.
 */
function retryOptions(step: StepContext, what: string, retryConflicts = false): RetryOptions {
  const started = Date.now();
  return {
    signal: step.signal,
    retryConflicts,
    deadlineMs: retryConflicts ? (step.kind.deleteTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS) : 10 * 60_000,
    onRetry: (attempt, delayMs, error, cause) => {
      // Waiting for what another actor makes (the controller's ALB) is a wait, not a failure: a
      // progress line, never a warning about a failed attempt.
      if (isPlatformdError(cause, ErrorCodes.RESOURCE_PENDING)) {
        const elapsedMs = Date.now() - started;
        step.emit({ type: 'progress', id: step.id, message: `still waiting… [${Math.round(elapsedMs / 1000)}s] (${(cause as Error).message})`, elapsedMs });
        return;
      }
      step.emit({ type: 'retry', id: step.id, attempt, delayMs, error: `${what}: ${error}` });
    },
  };
}

/** Call a mutating kind method with fencing before every attempt, retries included. */
function fenced<T>(step: StepContext, what: string, call: () => Promise<T>, retryConflicts = false): Promise<T> {
  return withRetry(() => {
    step.fence?.();
    return call();
  }, retryOptions(step, what, retryConflicts));
}

/**
 * The desired node with every OutputRef replaced by the producer's output. Throws
 * PLATFORMD_APPLY_FAILED naming the values still unknown (a producer without that output).
 */
export function resolveDesired(desired: Desired, outputs: OutputsById): Desired {
  const resolved = resolveRefs(desired.properties, (ref) => outputs.get(ref));
  if (resolved.unknown.length > 0) {
    throw new PlatformdError(ErrorCodes.APPLY_FAILED, `${desired.id}: values not known after dependencies applied: ${resolved.unknown.join(', ')}`);
  }
  return { ...desired, properties: resolved.value };
}

/** Refresh until ready(); returns the last observation. `{failed}` and the deadline throw. */
export async function waitReady(kind: ResourceKind, ctx: KindContext, first: Observed, id: string,
  onProgress: ProgressReporter, timeoutMs?: number): Promise<Observed> {
  let current = first;
  if (kind.ready(current) === true) return current;
  await waitUntil(async () => {
    const next = await withRetry(() => kind.refresh(ctx, current), { signal: ctx.signal });
    if (!next) return { waiting: 'not visible yet' };
    current = next;
    return kind.ready(next);
  }, { what: id, timeoutMs: timeoutMs ?? DEFAULT_READY_TIMEOUT_MS, signal: ctx.signal, onProgress });
  return current;
}

/** Create `desired` (refs already resolved) and wait until it is ready; returns the ready object. */
export async function createResource(step: StepContext, desired: Desired): Promise<Observed> {
  const created = await fenced(step, 'create', () => step.kind.create(step.ctx, desired));
  return waitReady(step.kind, step.ctx, created, step.id, progressFor(step, 'creating'), step.kind.readyTimeoutMs);
}

/**
 * Update `live` in place towards `desired` (refs already resolved): one update call per round,
 * waiting until ready and diffing again between rounds (multi-step updates, converge-update.ts).
 */
export async function updateResource(step: StepContext, desired: Desired, live: Observed): Promise<Observed> {
  return convergeUpdate(step.id, live, {
    diff: (current) => step.kind.diff(desired.properties, current),
    update: (current, changes) => fenced(step, 'update', () => step.kind.update(step.ctx, desired, current, changes)),
    settle: (updated) => waitReady(step.kind, step.ctx, updated, step.id, progressFor(step, 'updating'), step.kind.readyTimeoutMs),
  });
}

/** Delete `live` and wait until it is gone (refresh finds nothing, or the kind says gone). */
export async function deleteResource(step: StepContext, live: Observed): Promise<void> {
  const { kind, ctx } = step;
  await fenced(step, 'delete', () => kind.delete(ctx, live), true);
  await waitUntil(async () => {
    const now = await withRetry(() => kind.refresh(ctx, live), retryOptions(step, 'refresh'));
    if (!now || kind.gone?.(now)) return true;
    return { waiting: `${now.status ?? 'still present'}` };
  }, { what: `delete ${step.id}`, timeoutMs: kind.deleteTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS, signal: step.signal, onProgress: progressFor(step, 'deleting') });
}
