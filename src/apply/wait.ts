// Poll until a resource is ready (or gone), with backoff, jitter, a deadline and progress lines
// at a bounded rate — after smithy's waiters. Waiting is a delay, not an error.
import { ErrorCodes, PlatformdError } from '../errors.js';
import type { Readiness } from '../resources/kind.js';
import { sleep } from './retry.js';

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Called with the waiting reason, at most every `progressEveryMs`. */
  onProgress?: (reason: string, elapsedMs: number) => void;
  progressEveryMs?: number;
  what: string;
}

/**
 * Call `check` until it answers true. `{waiting}` sleeps and polls again; `{failed}` throws
 * PLATFORMD_RESOURCE_FAILED with the service's reason; the deadline throws PLATFORMD_WAIT_TIMEOUT.
 */
export async function waitUntil(check: () => Promise<Readiness>, options: WaitOptions): Promise<void> {
  const started = Date.now();
  let delay = options.initialDelayMs ?? 100;
  const maxDelay = options.maxDelayMs ?? 5_000;
  const every = options.progressEveryMs ?? 5_000;
  let lastProgress = started;
  for (;;) {
    const r = await check();
    if (r === true) return;
    if ('failed' in r) throw new PlatformdError(ErrorCodes.RESOURCE_FAILED, `${options.what} failed: ${r.failed}`);
    const elapsed = Date.now() - started;
    if (elapsed > options.timeoutMs) {
      throw new PlatformdError(ErrorCodes.WAIT_TIMEOUT, `${options.what}: gave up after ${Math.round(elapsed / 1000)}s (${r.waiting})`);
    }
    if (Date.now() - lastProgress >= every) {
      lastProgress = Date.now();
      options.onProgress?.(r.waiting, elapsed);
    }
    await sleep(Math.round(delay * (0.8 + Math.random() * 0.4)), options.signal);
    delay = Math.min(maxDelay, delay * 1.5);
  }
}
