// A plan saved to a file (`platformd plan -out FILE`) with what it was made from, and the check
// `platformd apply FILE` makes before carrying it out (Terraform's saved plans refuse a stale
// state the same way). Pure: the CLI reads files and live state, this module compares.
import { createHash } from 'node:crypto';
import type { Observed } from '../resources/kind.js';
import type { LayerName } from '../resources/registry.js';
import type { Change, Plan } from './types.js';
import { canonicalJson } from './render-diff.js';

/**
 * NOTE(glyphs): a replacement was saved as action "±" before it became "-/+". Such a file still
 * parses, but its change no longer equals the one planned now, so whatMoved refuses it as stale:
 * a plan saved by an older platformd is made again, never misread.
 */
export const SAVED_PLAN_FORMAT = 'platformd-plan/1';

export interface SavedPlan {
  format: typeof SAVED_PLAN_FORMAT;
  createdAt: string;
  spec: {
    /** Absolute path of the spec file the plan was made from. */
    file: string;
    /** sha256 of its bytes. */
    sha256: string;
    protosDir: string;
    layers: LayerName[];
  };
  /** Every live object read for the plan: its physical id and a fingerprint of its state. */
  observed: { id: string; kind: string; physicalId: string; fingerprint: string }[];
  plan: Plan;
}

export const sha256 = (bytes: string | Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * NOTE(volatile): a Kubernetes object's status, resourceVersion, generation and managedFields
 * timestamps move on their own (a rollout progressing, a controller's status write) without
 * anyone changing what platformd applied; they are left out so a plan is not refused for them.
 * Who manages which field stays in (another manager taking a field over is a change).
 */
function stableState(state: unknown): unknown {
  const s = state as { apiVersion?: unknown; metadata?: Record<string, unknown>; status?: unknown } | null;
  if (!s || typeof s !== 'object' || typeof s.apiVersion !== 'string' || !s.metadata) return state;
  const { resourceVersion: _v, generation: _g, managedFields, ...metadata } = s.metadata;
  const fields = Array.isArray(managedFields) ? managedFields.map((m) => { const { time: _t, ...rest } = m as Record<string, unknown>; return rest; }) : managedFields;
  const { status: _s, ...rest } = s;
  return { ...rest, metadata: { ...metadata, managedFields: fields } };
}

/** A fingerprint of one live object: its physical id and state, key order and volatile fields ignored. */
export function fingerprint(o: Observed): string {
  return sha256(canonicalJson({ physicalId: o.physicalId, state: stableState(o.state) }));
}

/** The saved form of a plan just made. */
export function savePlan(args: { plan: Plan; observed: ReadonlyMap<string, Observed>; spec: SavedPlan['spec']; now?: Date }): SavedPlan {
  return {
    format: SAVED_PLAN_FORMAT,
    createdAt: (args.now ?? new Date()).toISOString(),
    spec: args.spec,
    observed: [...args.observed.values()].map((o) => ({ id: o.id, kind: o.kind, physicalId: o.physicalId, fingerprint: fingerprint(o) })),
    plan: args.plan,
  };
}

/** The file's contents as a saved plan, or undefined when it is something else (a spec). */
export function parseSavedPlan(text: string): SavedPlan | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const saved = value as Partial<SavedPlan> | null;
  if (saved?.format !== SAVED_PLAN_FORMAT || !saved.plan || !saved.spec || !Array.isArray(saved.observed)) return undefined;
  return saved as SavedPlan;
}

/** What apply compares of a change: everything it would do, not the order it was listed in. */
const changeKey = (c: Change): string => canonicalJson({ action: c.action, reason: c.reason, fields: c.fields, blockedBy: c.blockedBy ?? null, physicalId: c.physicalId ?? null });

/**
 * Why the saved plan may no longer be applied, one sentence per thing that moved (empty: it
 * still holds). Checks the spec's bytes, the live state of every resource the plan touches (its
 * changes and what they depend on: physical id and state fingerprint), and that planning again
 * now gives exactly the saved changes, so the plan applied is the plan that was read.
 */
export function whatMoved(saved: SavedPlan, now: { specSha256: string | undefined; plan: Plan; observed: ReadonlyMap<string, Observed> }): string[] {
  const moved: string[] = [];
  if (now.specSha256 === undefined) moved.push(`the spec ${saved.spec.file} can no longer be read`);
  else if (now.specSha256 !== saved.spec.sha256) moved.push(`the spec ${saved.spec.file} changed since the plan was made`);

  const then = new Map(saved.observed.map((o) => [o.id, o]));
  const touched = new Set(saved.plan.changes.flatMap((c) => [c.id, ...c.dependsOn]));
  for (const id of touched) {
    const before = then.get(id);
    const live = now.observed.get(id);
    if (!before && live) moved.push(`${id} appeared (${live.physicalId}) since the plan was made`);
    else if (before && !live) moved.push(`${id} (${before.physicalId}) is gone since the plan was made`);
    else if (before && live && before.physicalId !== live.physicalId) moved.push(`${id} is now ${live.physicalId}, was ${before.physicalId}`);
    else if (before && live && before.fingerprint !== fingerprint(live)) moved.push(`${id} (${live.physicalId}) changed since the plan was made`);
  }

  const savedChanges = new Map(saved.plan.changes.map((c) => [c.id, c]));
  const nowChanges = new Map(now.plan.changes.map((c) => [c.id, c]));
  const named = new Set(moved.map((m) => m.split(' ')[0]));
  for (const [id, c] of nowChanges) {
    if (named.has(id)) continue;
    const was = savedChanges.get(id);
    if (!was) moved.push(`${id} needs a change the plan does not have (${c.action} ${c.reason})`);
    else if (changeKey(was) !== changeKey(c)) moved.push(`${id}: its change differs from the saved plan's`);
  }
  for (const id of savedChanges.keys()) {
    if (!nowChanges.has(id) && !named.has(id)) moved.push(`${id} no longer needs the change the plan has`);
  }
  return moved;
}
