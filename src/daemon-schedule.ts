// The daemon's scheduling decisions, pure so they can be tested without timers: which of several
// triggers that arrive during one reconcile survives (they coalesce into one), and how long to
// wait after consecutive failures.

export type Trigger = 'start' | 'poll' | 'webhook' | 'resync' | 'manual' | 'retry';

/** Triggers that reconcile even when HEAD has not moved. */
export const FORCING: readonly Trigger[] = ['start', 'resync', 'manual', 'retry'];

/**
 * Pure: the one trigger left pending when `incoming` arrives while `pending` waits. The first
 * pending trigger stays, except that a forcing one replaces a poll or webhook (which would skip
 * an unmoved HEAD), so a burst of any length becomes one reconcile that does what its strongest
 * trigger asked.
 */
export function coalesceTrigger(pending: Trigger | undefined, incoming: Trigger): Trigger {
  if (!pending) return incoming;
  return FORCING.includes(incoming) && !FORCING.includes(pending) ? incoming : pending;
}

/** Pure: the delay before the retry after `failuresSoFar` earlier consecutive failures: base·2^n, capped at maxMs. */
export function retryDelayMs(failuresSoFar: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** failuresSoFar);
}
