// What `platformd destroy` plans from: the platform's teardown spec (its metadata, region and
// deletion opt-ins, every section that desires something removed), so the one engine plans the
// deletion of everything the platform owns; and that plan's changes in the order they run. Pure.
import type { DeletionSpec, PlatformSpec } from '../platform-spec/types.js';
import type { Change } from './types.js';

type DeletionCategory = NonNullable<DeletionSpec['allow']>[number];

/** Every deletion opt-in the schema knows (schema/platform.schema.json deletion.allow; a unit test keeps them equal). */
export const DELETION_CATEGORIES: readonly DeletionCategory[] = ['network', 'cluster', 'nodeGroups', 'hostedZone', 'certificate', 'iam', 'repositories'];

/**
 * The spec that desires nothing: only metadata, region and deletion. Without `allowAll` the
 * spec's own deletion.allow stays in force (what it does not allow is planned as blocked).
 */
export function teardownSpec(spec: PlatformSpec, options: { allowAll?: boolean } = {}): PlatformSpec {
  const deletion: DeletionSpec = options.allowAll ? { allow: [...DELETION_CATEGORIES] } : { allow: [...(spec.deletion?.allow ?? [])] };
  return { apiVersion: spec.apiVersion, kind: spec.kind, metadata: spec.metadata, region: spec.region, deletion } as PlatformSpec;
}

/** The categories a teardown of `spec` leaves blocked (not opted in). */
export function blockedCategories(spec: PlatformSpec): DeletionCategory[] {
  const allowed = new Set(spec.deletion?.allow ?? []);
  return DELETION_CATEGORIES.filter((c) => !allowed.has(c));
}

/**
 * The changes in the order their deletions run: a change comes after every change it depends on
 * (the reversed reference edges buildPlan derived, plan/deletion-edges.ts); among changes free to
 * go, by the kinds' deletion order (reverse creation order with deleteAfter honoured,
 * engine.deletionKindOrder), stable within a kind.
 */
export function inDeletionOrder(changes: readonly Change[], kindOrder: readonly string[]): Change[] {
  const rank = (c: Change) => {
    const at = kindOrder.indexOf(c.kind);
    return at === -1 ? kindOrder.length : at;
  };
  const byRank = changes.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map(({ c }) => c);
  const listed = new Set(changes.map((c) => c.id));
  const placed = new Set<string>();
  const out: Change[] = [];
  while (out.length < byRank.length) {
    const next = byRank.find((c) => !placed.has(c.id) && c.dependsOn.every((d) => placed.has(d) || !listed.has(d)))
      // Only a plan whose dependencies cycle gets here (buildPlan never makes one): keep rank order.
      ?? byRank.find((c) => !placed.has(c.id))!;
    out.push(next);
    placed.add(next.id);
  }
  return out;
}
