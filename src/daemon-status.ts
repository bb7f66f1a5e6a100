// What the daemon knows about itself, as /status serves it. Plain data.
import type { Diagnostic } from './spec/diagnostics.js';
import type { OperatorAction, Plan } from './plan/types.js';
import type { Observed } from './resources/kind.js';

export interface ResourceStatus {
  id: string;
  kind: string;
  physicalId: string | null;
  /** in-sync, drifted, missing, to-delete, blocked */
  state: string;
  drift: { path: string; old: unknown; new: unknown }[];
  reason?: string;
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

export interface DaemonStatus {
  mode: 'apply' | 'detect';
  branch: string;
  commit: string | null;
  spec: { valid: boolean; commit: string | null; lastGoodCommit: string | null; diagnostics: Diagnostic[] };
  lastReconcile: null | {
    trigger: string; startedAt: string; finishedAt: string; durationMs: number; outcome: 'success' | 'failure' | 'invalid_spec';
    changes: number; applied: string[]; failures: { id: string; error: string }[]; skipped: { id: string; because: string }[]; error?: string;
  };
  lastSuccessAt: string | null;
  reconciling: boolean;
  resources: ResourceStatus[];
  operatorActions: OperatorAction[];
  probes: ProbeStatus[];
  source: { lastFetchAt: string | null; lastFetchError: string | null };
}

/** Pure: per-resource state and drift from a plan and what was observed. */
export function resourceStatuses(plan: Plan, observed: Map<string, Observed>): ResourceStatus[] {
  const out: ResourceStatus[] = plan.inSync.map((r) => ({ id: r.id, kind: r.kind, physicalId: r.physicalId, state: 'in-sync', drift: [] }));
  for (const c of plan.changes) {
    const state = c.action === '+' ? 'missing' : c.action === '-' ? 'to-delete' : c.action === '!' ? 'blocked' : 'drifted';
    out.push({ id: c.id, kind: c.kind, physicalId: c.physicalId ?? observed.get(c.id)?.physicalId ?? null, state, drift: c.fields, reason: c.blockedBy ?? c.reason });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
