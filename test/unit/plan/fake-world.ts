// A small desired graph and live world for buildPlan tests: kinds whose diff compares top-level
// properties as JSON (the real kinds' diffs have their own tests), nodes whose dependencies come
// from dependsOn and OutputRefs as graph/build.ts derives them.
import { collectRefs, type DesiredGraph } from '../../../src/graph/build.js';
import { topoOrder } from '../../../src/graph/order.js';
import type { DeletionCategory } from '../../../src/resources/ownership.js';
import type { Desired, DiffResult, FieldChange, Observed, ResourceKind } from '../../../src/resources/kind.js';
import { buildPlan, type PlanInput } from '../../../src/plan/diff.js';
import type { Change, Plan } from '../../../src/plan/types.js';

export interface FakeKindOptions {
  deletionCategory?: DeletionCategory;
  /** Top-level properties that cannot change in place. */
  immutable?: string[];
  deleteAfter?: string[];
}

const notCalled = (): never => {
  throw new Error('buildPlan must not do I/O');
};

/** A kind whose diff reports every top-level property whose JSON differs from the live state. */
export function fakeKind(kind: string, options: FakeKindOptions = {}): ResourceKind<Record<string, unknown>, Record<string, unknown>> {
  return {
    kind,
    ...(options.deletionCategory ? { deletionCategory: options.deletionCategory } : {}),
    ...(options.deleteAfter ? { deleteAfter: options.deleteAfter } : {}),
    diff(desired, observed): DiffResult {
      const fields: FieldChange[] = Object.entries(desired)
        .filter(([key, want]) => JSON.stringify(want) !== JSON.stringify(observed.state[key]))
        .map(([key, want]) => ({ path: key, old: observed.state[key] ?? null, new: want }));
      return { fields, replaces: fields.map((f) => f.path).filter((p) => options.immutable?.includes(p)) };
    },
    observeAll: notCalled, create: notCalled, update: notCalled, delete: notCalled, refresh: notCalled,
    ready: () => true,
  };
}

export function node(id: string, kind: string, properties: Record<string, unknown>, extra: Partial<Desired> = {}): Desired {
  return { id, kind, properties, dependsOn: [], ...extra };
}

export function live(id: string, kind: string, state: Record<string, unknown>, extra: Partial<Observed> = {}): Observed {
  return { id, kind, physicalId: `phys-${id.split('/').pop()}`, state, outputs: {}, owned: true, ...extra };
}

/** The graph of `nodes` (this run) with `external` nodes of other layers, as buildDesiredGraph shapes it. */
export function graphOf(nodes: Desired[], external: Desired[] = []): DesiredGraph {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const deps = new Map<string, Set<string>>();
  for (const n of nodes) {
    const all = [...n.dependsOn, ...collectRefs(n.properties).map((r) => r.$ref)];
    deps.set(n.id, new Set(all.filter((d) => byId.has(d))));
  }
  return { nodes: byId, deps, order: topoOrder([...byId.keys()], deps), external: new Map(external.map((n) => [n.id, n])) };
}

export interface World {
  kinds: ResourceKind[];
  nodes: Desired[];
  observed?: Observed[];
  external?: Desired[];
  deletion?: PlanInput['deletion'];
  /** Kinds this run covers; every kind listed when absent. */
  inScope?: string[];
}

/** Plan `world` as the engine would: kinds in the order listed, every kind in scope unless narrowed. */
export function plan(world: World): Plan {
  const kinds = new Map(world.kinds.map((k) => [k.kind, k]));
  return buildPlan({
    platform: 'demo',
    graph: graphOf(world.nodes, world.external),
    observed: new Map((world.observed ?? []).map((o) => [o.id, o])),
    kindOf: (name) => {
      const kind = kinds.get(name);
      if (!kind) throw new Error(`no kind ${name}`);
      return kind;
    },
    deletion: world.deletion ?? { allow: [] },
    kindOrder: world.kinds.map((k) => k.kind),
    kindsInScope: new Set(world.inScope ?? world.kinds.map((k) => k.kind)),
  });
}

const VERBS: Record<string, string> = { '+': 'create', '~': 'update', '-': 'delete', '!': 'blocked' };

/**
 * A change's action as a word. The replacement glyph is the one action not spelled out here (issue
 * 12 moves it to Terraform's meaning), so these tests hold whichever symbol it becomes.
 */
export function verb(c: Change): string {
  return VERBS[c.action] ?? 'replace';
}

/** The plan's changes as id → "verb reason": the shape most assertions need. */
export function actions(p: Plan): Record<string, string> {
  return Object.fromEntries(p.changes.map((c) => [c.id, `${verb(c)} ${c.reason}`]));
}
