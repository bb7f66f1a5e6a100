// The plan as stable JSON for machines (/plan, `platformd plan --json`). Field names are part of
// the public contract: add, never rename.
import type { Plan } from './types.js';

/**
 * 2.0: a replacement's action is "-/+" (Terraform's destroy-then-create glyph), was "±" in 1.0;
 * nothing else changed.
 * 2.1: each change has `origin` ("spec" | "outside" | "both" | "unknown" for an update or
 * replacement of an existing object, null otherwise) and each field its own `origin` ("spec" |
 * "outside", null where no record tells): whether the spec changed or the object was changed
 * outside platformd.
 */
export const PLAN_FORMAT_VERSION = '2.1';

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
      origin: c.origin ?? null,
      physical_id: c.physicalId ?? null,
      fields: c.fields.map((f) => ({ path: f.path, old: f.old ?? null, new: f.new ?? null, origin: c.fieldOrigins?.[f.path] ?? null })),
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
