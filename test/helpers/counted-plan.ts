// A plan's remote calls, counted by operation through the one place every call is reported
// (src/cloud/api-calls.ts): for the tests that hold a no-op reconcile to README's formula.
import { onApiCall } from '../../src/cloud/api-calls.js';
import { planPlatform, type EngineOptions, type PlanResult } from '../../src/engine.js';

export interface CountedPlan { result: PlanResult; calls: Record<string, number>; total: number; failures: string[] }

/**
 * One plan's successful calls by operation. A call that fails on a loaded machine (a dropped
 * keep-alive connection, a timeout) is retried by the SDK: counting successes counts it once.
 */
export async function onePlan(opts: EngineOptions): Promise<CountedPlan> {
  const calls: Record<string, number> = {};
  const failures: string[] = [];
  const stop = onApiCall((c) => {
    if (c.outcome === 'success') calls[`${c.service}:${c.operation}`] = (calls[`${c.service}:${c.operation}`] ?? 0) + 1;
    else failures.push(`${c.service}:${c.operation} ${c.outcome}`);
  });
  try {
    const result = await planPlatform(opts);
    return { result, calls, total: Object.values(calls).reduce((a, b) => a + b, 0), failures };
  } finally {
    stop();
  }
}

/**
 * The calls of one no-op plan in which nothing failed. A failure the SDK gives up on is retried
 * with its kind's whole read, which would count that kind twice: such a plan is measured again
 * (the claim is the cost of a plan, not that nothing ever fails on a loaded machine).
 */
export async function countedPlan(opts: EngineOptions): Promise<CountedPlan> {
  const failures: string[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const counted = await onePlan(opts);
    if (counted.failures.length === 0) return counted;
    failures.push(...counted.failures);
  }
  throw new Error(`five no-op plans in a row had failing calls: ${failures.slice(0, 20).join(', ')}`);
}
