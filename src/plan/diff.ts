// desired × observed → Plan. Pure: no I/O, no clocks; the same inputs give the same plan.
import { deletionAllowed } from '../resources/ownership.js';
import type { Observed, ResourceKind } from '../resources/kind.js';
import type { ResolvedDeletion } from '../platform-spec/resolved.js';
import type { DesiredGraph } from '../graph/build.js';
import { collectRefs } from '../graph/build.js';
import { KNOWN_AFTER_APPLY, type Change, type OperatorAction, type Plan } from './types.js';
import { resolveRefs } from './resolve.js';
import { deletionDependencies } from './deletion-edges.js';
import { changeOrigin } from './origin.js';

export interface PlanInput {
  platform: string;
  graph: DesiredGraph;
  /** Every live object read this run, by logical id. */
  observed: ReadonlyMap<string, Observed>;
  kindOf: (name: string) => ResourceKind;
  deletion: ResolvedDeletion;
  /** Kind names in creation order (layer order, then registration order); deletes go in reverse. */
  kindOrder: readonly string[];
  /** Kinds this run covers: owned objects of other kinds are never planned for deletion. */
  kindsInScope: ReadonlySet<string>;
  operatorActions?: OperatorAction[];
  notes?: string[];
}

/** Build the plan: creates, updates, replacements, deletions and blocked changes, with reasons. */
export function buildPlan(input: PlanInput): Plan {
  const { graph, observed } = input;
  const changes = new Map<string, Change>();
  // A producer being replaced will have new outputs (a new VPC id): its consumers must not be
  // planned against the old ones. graph.order puts every producer's change before its consumers.
  const lookup = (id: string) => (changes.get(id)?.reason === 'replace-immutable' ? undefined : observed.get(id)?.outputs);
  const inSync: Plan['inSync'] = [];

  for (const id of graph.order) {
    const desired = graph.nodes.get(id)!;
    const kind = input.kindOf(desired.kind);
    const live = observed.get(id);
    const dependsOn = [...(graph.deps.get(id) ?? [])];
    const resolved = resolveRefs(desired.properties, lookup);
    if (desired.readOnly) {
      if (!live) {
        changes.set(id, { id, kind: desired.kind, action: '!', reason: 'read-only-missing', fields: [], dependsOn,
          blockedBy: `existing ${desired.kind} ${desired.readOnly.physicalId} named in the spec was not found` });
        continue;
      }
      const diff = kind.diff(resolved.value, live);
      if (diff.fields.length > 0) {
        changes.set(id, { id, kind: desired.kind, action: '!', reason: 'read-only-drift', fields: diff.fields, dependsOn,
          physicalId: live.physicalId, blockedBy: 'platformd never changes resources it did not create; fix them by hand' });
      } else {
        inSync.push({ id, kind: desired.kind, physicalId: live.physicalId });
      }
      continue;
    }
    if (!live) {
      changes.set(id, { id, kind: desired.kind, action: '+', reason: 'missing', dependsOn, fields: creationFields(desired.properties, lookup) });
      continue;
    }
    // Values from a producer that does not exist yet (being created or replaced) are not known:
    // the resource will be updated with them once they are, which is all the plan can say.
    if (resolved.unknown.length > 0) {
      // NOTE(origin): such an update follows another change in this plan, not a difference of its own.
      changes.set(id, { id, kind: desired.kind, action: '~', reason: 'drift', origin: 'unknown', dependsOn, physicalId: live.physicalId,
        fields: resolved.unknown.map((path) => ({ path, old: null, new: KNOWN_AFTER_APPLY })) });
      continue;
    }
    const diff = kind.diff(resolved.value, live);
    const fields = diff.fields;
    if (fields.length === 0) {
      inSync.push({ id, kind: desired.kind, physicalId: live.physicalId });
      continue;
    }
    const origin = { origin: changeOrigin(fields, diff.origins), ...(diff.origins ? { fieldOrigins: diff.origins } : {}) };
    if (diff.replaces.length > 0) {
      const allowed = deletionAllowed(input.deletion, kind.deletionCategory);
      changes.set(id, { id, kind: desired.kind, action: allowed ? '-/+' : '!', reason: 'replace-immutable', ...origin, fields, dependsOn,
        physicalId: live.physicalId,
        ...(allowed ? {} : { blockedBy: `replacing it deletes it first: set deletion.allow: [${kind.deletionCategory}] to allow` }),
        notes: [`cannot change in place: ${diff.replaces.join(', ')}`] });
      continue;
    }
    changes.set(id, { id, kind: desired.kind, action: '~', reason: 'drift', ...origin, fields, dependsOn, physicalId: live.physicalId });
  }

  // Owned objects the spec no longer names become deletions, ordered by reversed reference
  // edges and, where the objects name no edge, by kind in reverse (deletion-edges.ts).
  const order = deletionOrder(input.kindOrder, (name) => input.kindOf(name).deleteAfter ?? []);
  const deletions: Change[] = [];
  const deleted: Observed[] = [];
  for (const live of observed.values()) {
    if (!live.owned || graph.nodes.has(live.id) || graph.external.has(live.id) || !input.kindsInScope.has(live.kind)) continue;
    const kind = input.kindOf(live.kind);
    const category = kind.deletionCategoryOf ? kind.deletionCategoryOf(live) : kind.deletionCategory;
    const allowed = deletionAllowed(input.deletion, category);
    const duplicate = live.duplicateOf !== undefined;
    deletions.push({ id: live.id, kind: live.kind, action: allowed ? '-' : '!', reason: allowed ? (duplicate ? 'duplicate' : 'not-in-spec') : 'deletion-not-allowed',
      fields: [], dependsOn: [], physicalId: live.physicalId,
      ...(allowed ? {} : { blockedBy: `set deletion.allow: [${category}] to delete it` }),
      ...(duplicate ? { notes: [`a second live object carries the logical id ${live.duplicateOf} (the orphan of a lost answer or a race); ${live.duplicateOf} stays`] } : {}) });
    deleted.push(live);
  }
  const waits = deletionDependencies(deleted, (kindName) => order.indexOf(kindName));
  const runs = new Set(deletions.filter((d) => d.action === '-').map((d) => d.id));
  for (const d of deletions) {
    // A deletion waits for the deletions that must go first; a blocked one is never waited for.
    d.dependsOn = (waits.get(d.id) ?? []).filter((id) => runs.has(id));
    changes.set(d.id, d);
  }

  blockOnMissingExternals(changes, graph, observed);
  blockDependents(changes, graph);
  const list = [...changes.values()];
  const count = (a: string) => list.filter((c) => c.action === a).length;
  return {
    platform: input.platform,
    changes: list,
    summary: { create: count('+'), update: count('~'), delete: count('-'), replace: count('-/+'), blocked: count('!') },
    inSync,
    operatorActions: input.operatorActions ?? [],
    notes: input.notes ?? [],
  };
}

/**
 * Pure: kind names in the order their deletions run. Reverse creation order, except that a kind
 * declaring `deleteAfter` moves to just after the last of those kinds (kinds that move keep
 * their relative order): one linear order, so deletions can never wait for each other in a cycle.
 */
export function deletionOrder(kindOrder: readonly string[], deleteAfter: (kind: string) => readonly string[]): string[] {
  const order = [...kindOrder].reverse();
  for (const kind of [...order].reverse()) {
    const at = order.indexOf(kind);
    const last = Math.max(-1, ...deleteAfter(kind).map((k) => order.indexOf(k)));
    if (last < at) continue;
    order.splice(at, 1);
    order.splice(last, 0, kind);
  }
  return order;
}

/**
 * A change needing a resource outside this run that does not exist cannot be made: whether it
 * needs the resource's values (a ref) or only its existence (dependsOn, e.g. an ALB its Ingress).
 */
function blockOnMissingExternals(changes: Map<string, Change>, graph: DesiredGraph, observed: ReadonlyMap<string, Observed>): void {
  for (const [id, change] of changes) {
    if (change.action !== '+' && change.action !== '~' && change.action !== '-/+') continue;
    const desired = graph.nodes.get(id);
    if (!desired) continue;
    const needs = new Set([...desired.dependsOn, ...collectRefs(desired.properties).map((r) => r.$ref)]);
    const missing = [...needs].find((ref) => graph.external.has(ref) && !observed.has(ref));
    if (missing) changes.set(id, { ...change, action: '!', reason: 'dependency-blocked', blockedBy: `needs ${missing}, which is outside this run (--layers) and does not exist yet` });
  }
}

/** Creates and updates that depend on a blocked create/replace cannot run either. */
function blockDependents(changes: Map<string, Change>, graph: DesiredGraph): void {
  for (const id of graph.order) {
    const change = changes.get(id);
    if (!change || change.action === '!' || change.action === '-') continue;
    const blocker = [...(graph.deps.get(id) ?? [])].find((dep) => {
      const c = changes.get(dep);
      return c?.action === '!' && (c.reason === 'read-only-missing' || c.reason === 'replace-immutable' || c.reason === 'dependency-blocked');
    });
    if (blocker) {
      changes.set(id, { ...change, action: '!', reason: 'dependency-blocked', blockedBy: `depends on ${blocker}, which is blocked` });
    }
  }
}

/** The properties of a resource to be created, flattened to field lines; refs not yet known are marked. */
function creationFields(properties: unknown, lookup: (id: string) => Record<string, unknown> | undefined): Change['fields'] {
  const { value } = resolveRefs(properties, lookup);
  const fields: Change['fields'] = [];
  const walk = (v: unknown, path: string) => {
    if (collectRefs(v).length > 0 && (typeof v !== 'object' || v === null || '$ref' in (v as object))) {
      fields.push({ path, old: null, new: KNOWN_AFTER_APPLY });
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    } else {
      fields.push({ path, old: null, new: collectRefs(v).length > 0 ? KNOWN_AFTER_APPLY : v });
    }
  };
  walk(value, '');
  return fields;
}
