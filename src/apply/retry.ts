// Retry by error class: throttling and transient errors are normal and retried with capped
// exponential backoff and full jitter; conflicts (DependencyViolation, ResourceInUse) are
// waited out where the caller says so; terminal errors (errors.ts) and everything else are
// handed up at once.
import { classifyAwsError } from '../cloud/aws-errors.js';
import { isKubeApiError, isKubeRetryable } from '../cloud/kube-errors.js';
import { ErrorCodes, describeError, isPlatformdError, isTerminalError } from '../errors.js';

export interface RetryOptions {
  signal?: AbortSignal;
  /** Give up after this long in total (default 5 min). */
  deadlineMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Also retry 'conflict' errors (deletes blocked by dependents that are going away). */
  retryConflicts?: boolean;
  /** Called before each retry with the failure described, and the error itself. */
  onRetry?: (attempt: number, delayMs: number, error: string, cause: unknown) => void;
}

/**
 * Whether to try again, asking the classifier of the error's API family (kinds never decide).
 * A terminal error (errors.ts) never is, whatever else it says; PLATFORMD_RESOURCE_PENDING (what
 * another actor creates is not there yet) always is. A Kubernetes 409 is stale state and always
 * retried; an AWS conflict (a dependent still present) only where the caller rides out deletes.
 */
export function shouldRetry(err: unknown, retryConflicts: boolean): boolean {
  if (isTerminalError(err)) return false;
  if (isPlatformdError(err, ErrorCodes.RESOURCE_PENDING)) return true;
  if (isKubeApiError(err)) return isKubeRetryable(err);
  const c = classifyAwsError(err);
  return c === 'throttled' || c === 'transient' || c === 'busy' || (retryConflicts && c === 'conflict');
}

/** Full-jitter exponential backoff: random in [0, min(max, base·2^attempt)]. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Run `fn`, retrying retryable failures until it succeeds, fails terminally or the deadline passes. */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const started = Date.now();
  const deadline = options.deadlineMs ?? 5 * 60_000;
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 10_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (options.signal?.aborted) throw err;
      if (!shouldRetry(err, options.retryConflicts ?? false)) throw err;
      const delay = Math.max(base / 2, backoffDelay(attempt, base, max));
      if (Date.now() - started + delay > deadline) throw err;
      options.onRetry?.(attempt + 1, delay, describeError(err), err);
      await sleep(delay, options.signal);
    }
  }
}
