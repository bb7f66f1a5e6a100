// Two live objects with one logical id: the orphan of a create whose answer was lost, or of two
// applies that raced. Observation must not hide either one (a map keyed by id would keep one at
// random), so the one the platform uses stays under the logical id and every other one gets an id
// of its own, marked as a duplicate, which the plan deletes (when the spec allows deleting its
// category) or shows as blocked. Pure: no I/O.
import type { Observed } from '../resources/kind.js';

/** The id a duplicate is planned under: readable, stable for one physical object. */
export function duplicateId(id: string, physicalId: string): string {
  return `${id}#duplicate:${physicalId}`;
}

/**
 * Key observed objects by logical id. Among objects sharing an id, the one whose physical id
 * other live objects mention (a VPC its subnets name, a role a node group runs as) is kept;
 * when none or several are, the first read is kept (EC2 and IAM list in creation order).
 */
export function keyObserved(list: readonly Observed[]): Map<string, Observed> {
  const byId = new Map<string, Observed[]>();
  for (const o of list) byId.set(o.id, [...(byId.get(o.id) ?? []), o]);
  const out = new Map<string, Observed>();
  const groups = [...byId.values()];
  for (const group of groups) {
    if (group.length === 1) {
      out.set(group[0]!.id, group[0]!);
      continue;
    }
    const others = list.filter((o) => !group.includes(o)).map((o) => JSON.stringify([o.state, o.outputs]));
    const referenced = group.filter((o) => others.some((text) => text.includes(`"${o.physicalId}"`)));
    const keep = referenced.length === 1 ? referenced[0]! : group[0]!;
    out.set(keep.id, keep);
    for (const o of group) {
      if (o !== keep) out.set(duplicateId(o.id, o.physicalId), { ...o, id: duplicateId(o.id, o.physicalId), duplicateOf: o.id });
    }
  }
  return out;
}
