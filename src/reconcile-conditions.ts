// The daemon's Ready / Reconciling / Stalled conditions, after Flux's and kstatus' conventions
// (fluxcd/pkg apis/meta: Ready with reasons ReconciliationSucceeded / ReconciliationFailed /
// Progressing / ProgressingWithRetry; kstatus: Reconciling and Stalled are "abnormal-true").
// Unlike Flux, which deletes a False Reconciling or Stalled condition, all three are always present
// so a client or a metric never has to tell "absent" from "False". Pure functions on plain data.
import type { Condition, ReconcileOutcome } from './daemon-status.js';
import type { Metrics } from './metrics.js';

type Status = Condition['status'];
type Type = Condition['type'];
const CONDITION_TYPES: readonly Type[] = ['Ready', 'Reconciling', 'Stalled'];
const CONDITION_STATUSES: readonly Status[] = ['True', 'False', 'Unknown'];

/** Condition reasons (CamelCase, as metav1.Condition requires). */
const REASONS: Record<ReconcileOutcome, string> = {
  success: 'ReconciliationSucceeded',
  failure: 'ReconciliationFailed',
  invalid_spec: 'ValidationFailed',
  blocked: 'DeletionBlocked',
  drifted: 'DriftDetected',
};

/**
 * Pure: the conditions with `next` set. lastTransitionTime moves only when the status changes
 * (apimachinery meta.SetStatusCondition); reason and message always take the new values.
 */
function setCondition(conditions: Condition[], next: Omit<Condition, 'lastTransitionTime'>, now: string): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  const updated: Condition = { ...next, lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : now };
  const rest = conditions.filter((c) => c.type !== next.type);
  return [...rest, updated].sort((a, b) => CONDITION_TYPES.indexOf(a.type) - CONDITION_TYPES.indexOf(b.type));
}

function setAll(conditions: Condition[], values: [Status, string, string][], now: string): Condition[] {
  return CONDITION_TYPES.reduce((acc, type, i) => setCondition(acc, { type, status: values[i]![0], reason: values[i]![1], message: values[i]![2] }, now), conditions);
}

/** Before the first reconcile has finished. */
export function initialConditions(now: string): Condition[] {
  const message = 'waiting for the first reconcile';
  return setAll([], [['Unknown', 'Progressing', message], ['True', 'Progressing', message], ['False', 'Progressing', message]], now);
}

/** While a reconcile runs: Reconciling True, Ready Unknown (as Flux marks them at the start of a run). */
export function progressingConditions(conditions: Condition[], revision: string, now: string): Condition[] {
  const message = `reconciliation in progress for ${revision}`;
  const stalled = conditions.find((c) => c.type === 'Stalled');
  return setAll(conditions, [['Unknown', 'Progressing', message], ['True', 'Progressing', message],
    ['False', stalled?.status === 'False' ? stalled.reason : 'Progressing', stalled?.status === 'False' ? stalled.message : message]], now);
}

/**
 * After a reconcile. A failure keeps Reconciling True (ProgressingWithRetry: a retry is scheduled);
 * an invalid spec or a blocked change stalls (nothing changes until a person acts); drift in detect
 * mode is reported as not Ready without stalling.
 */
export function outcomeConditions(conditions: Condition[], outcome: ReconcileOutcome, message: string, now: string, reason = REASONS[outcome], terminal = false): Condition[] {
  const ready: [Status, string, string] = [outcome === 'success' ? 'True' : 'False', reason, message];
  // A terminal failure (errors.ts isTerminalError) is not retried: it stalls like an invalid spec.
  const retrying = outcome === 'failure' && !terminal;
  const reconciling: [Status, string, string] = retrying ? ['True', 'ProgressingWithRetry', message] : ['False', reason, message];
  const stalls = outcome === 'invalid_spec' || outcome === 'blocked' || (outcome === 'failure' && terminal);
  const stalled: [Status, string, string] = stalls ? ['True', reason, message] : ['False', reason, message];
  return setAll(conditions, [ready, reconciling, stalled], now);
}

/** platformd_reconcile_condition{type,status}: 1 for each condition's current status, 0 for the others. */
export function recordConditions(metrics: Metrics, conditions: Condition[]): void {
  for (const c of conditions) {
    for (const status of CONDITION_STATUSES) metrics.reconcileCondition.labels(c.type, status).set(c.status === status ? 1 : 0);
  }
}
