// One place where every remote call is counted (AWS SDK middleware and the Kubernetes client
// both report here); metrics.ts and the benchmarks subscribe.

export type ApiOutcome = 'success' | 'throttled' | 'error';

export interface ApiCall {
  service: string;
  operation: string;
  outcome: ApiOutcome;
  durationMs: number;
}

type Listener = (call: ApiCall) => void;
const listeners = new Set<Listener>();

/** Subscribe to every remote call; returns the unsubscribe function. */
export function onApiCall(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function recordApiCall(call: ApiCall): void {
  for (const l of listeners) l(call);
}
