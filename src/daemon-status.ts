// What the daemon knows about itself, as /status serves it. Plain data.
import type { Diagnostic } from './platform-spec/diagnostics.js';
import type { ChangeOrigin, OperatorAction, Plan } from './plan/types.js';
import type { Observed } from './resources/kind.js';
import { compareText } from './compare-text.js';

export interface ResourceStatus {
  id: string;
  kind: string;
  physicalId: string | null;
  /** in-sync, drifted, missing, to-delete, blocked */
  state: string;
  drift: { path: string; old: unknown; new: unknown }[];
  reason?: string;
  /** For a drifted resource: whether the spec changed, it was changed outside platformd, both, or unknown (plan/origin.ts). */
  origin?: ChangeOrigin;
}

export interface ProbeStatus {
  service: string;
  target: string;
  method: string;
  success: boolean | null;
  grpcStatus: number | null;
  message?: string;
  durationMs: number | null;
  at: string | null;
}

/**
 * How a reconcile ended. success: live state confirmed converged with the spec at HEAD; failure: an
 * error or a failed change (retried with backoff); invalid_spec: HEAD does not validate; blocked:
 * only changes that need an operator remain; drifted: detect mode found differences.
 */
export type ReconcileOutcome = 'success' | 'failure' | 'invalid_spec' | 'blocked' | 'drifted';

/** One reconcile (a run that read the spec and planned, or failed trying). No-op polls make none. */
export interface ReconcileRecord {
  trigger: string;
  /** `<branch>@sha1:<commit>` the reconcile worked on (null when the source could not be read). */
  revision: string | null;
  startedAt: string; finishedAt: string; durationMs: number; outcome: ReconcileOutcome;
  /** Changes planned before applying, and those still pending after (0 when converged). */
  changes: number; pending: number;
  applied: string[]; failures: { id: string; error: string; terminal?: true }[]; skipped: { id: string; because: string }[]; error?: string;
  /** The backoff delay scheduled after this failure, if any. */
  retryInMs?: number;
}

/** What the reconcile under way is doing, built from the engine's events (src/reconcile-progress.ts). */
export interface ReconcileProgress {
  /** observing: reading live state (before and again after applying); applying: walking the plan's changes. */
  phase: 'observing' | 'applying';
  /** Kinds read so far, of those the current read covers. */
  kinds: { observed: number; total: number };
  /** Changes of this reconcile's apply that finished, failed or were skipped so far. */
  changes: { done: number; failed: number; skipped: number };
  /** Changes being worked on now, each with the engine's latest word on it (a wait's reason, a retry). */
  inFlight: { id: string; action: string; startedAt: string; message?: string }[];
  /** Calls retried so far in this reconcile (throttling, transient errors, conflicts waited out). */
  retries: number;
  updatedAt: string;
}

/** Kubernetes-style condition (metav1.Condition; Flux and kstatus use Ready, Reconciling, Stalled). */
export interface Condition {
  type: 'Ready' | 'Reconciling' | 'Stalled';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  /** Changes only when status changes. */
  lastTransitionTime: string;
}

export interface DaemonStatus {
  /** `run --instance-id`, echoed so whoever started this daemon can tell it is the one answering. */
  instanceId?: string;
  mode: 'apply' | 'detect';
  branch: string;
  commit: string | null;
  spec: { valid: boolean; commit: string | null; lastGoodCommit: string | null; diagnostics: Diagnostic[] };
  conditions: Condition[];
  /** The last revision applied and confirmed converged, and the last one a reconcile worked on. */
  lastAppliedRevision: string | null;
  lastAttemptedRevision: string | null;
  /** The most recent reconciles, newest first (at most RECONCILE_HISTORY). */
  reconciles: ReconcileRecord[];
  /** reconciles[0], kept for clients that read one record. */
  lastReconcile: ReconcileRecord | null;
  lastSuccessAt: string | null;
  /** Set while a retry after consecutive failures is scheduled. */
  retry: { consecutiveFailures: number; delayMs: number; at: string } | null;
  reconciling: boolean;
  /** The reconcile under way, as its events tell it; null (or absent) between reconciles. */
  progress?: ReconcileProgress | null;
  resources: ResourceStatus[];
  operatorActions: OperatorAction[];
  probes: ProbeStatus[];
  source: { lastFetchAt: string | null; lastFetchError: string | null; fetches: number };
}

/** Pure: per-resource state and drift from a plan and what was observed. */
export function resourceStatuses(plan: Plan, observed: Map<string, Observed>): ResourceStatus[] {
  const out: ResourceStatus[] = plan.inSync.map((r) => ({ id: r.id, kind: r.kind, physicalId: r.physicalId, state: 'in-sync', drift: [] }));
  for (const c of plan.changes) {
    const state = c.action === '+' ? 'missing' : c.action === '-' ? 'to-delete' : c.action === '!' ? 'blocked' : 'drifted';
    out.push({ id: c.id, kind: c.kind, physicalId: c.physicalId ?? observed.get(c.id)?.physicalId ?? null, state, drift: c.fields, reason: c.blockedBy ?? c.reason,
      ...(c.origin ? { origin: c.origin } : {}) });
  }
  return out.sort((a, b) => compareText(a.id, b.id));
}
