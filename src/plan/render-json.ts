// The plan as stable JSON for machines (/plan, `platformd plan --json`). Field names are part of
// the public contract: add, never rename.
import type { Plan } from './types.js';

export const PLAN_FORMAT_VERSION = '1.0';

/** Render a plan as a JSON-serialisable object. Pure. */
export function planToJson(plan: Plan): Record<string, unknown> {
  return {
    format_version: PLAN_FORMAT_VERSION,
    platform: plan.platform,
    summary: plan.summary,
    changes: plan.changes.map((c) => ({
      id: c.id,
      kind: c.kind,
      action: c.action,
      reason: c.reason,
      physical_id: c.physicalId ?? null,
      fields: c.fields.map((f) => ({ path: f.path, old: f.old ?? null, new: f.new ?? null })),
      blocked_by: c.blockedBy ?? null,
      depends_on: c.dependsOn,
      notes: c.notes ?? [],
    })),
    in_sync: plan.inSync.map((r) => ({ id: r.id, kind: r.kind, physical_id: r.physicalId })),
    operator_actions: plan.operatorActions,
    notes: plan.notes,
  };
}

export function renderPlanJson(plan: Plan): string {
  return JSON.stringify(planToJson(plan), null, 2);
}
