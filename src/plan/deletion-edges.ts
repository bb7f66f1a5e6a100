// The order deletions run in, from reversed dependency edges (Terraform's destroy edges). The
// objects being deleted are observed ones, absent from the desired graph, so their edges come
// from what each live object holds: a subnet's state names its VPC's id, a NAT gateway its
// Elastic IP's allocation id, a role binding its role. An object that holds another's identity
// uses it and is deleted first. Between objects with no known edge the kinds' deletion order
// (reverse creation order, deleteAfter honoured) decides, as before. Pure.
import type { Observed } from '../resources/kind.js';

/**
 * The strings that identify `o`: its physical id (vpc-…, subnet-…, a role's name, a cluster's
 * name, namespace/name) and, by the kinds' convention, its own ARN in outputs.arn. Other outputs
 * are not identities: a subnet's outputs.vpcId names its VPC, not the subnet.
 */
function identitiesOf(o: Observed): string[] {
  const arn = o.outputs.arn;
  return [o.physicalId, ...(typeof arn === 'string' ? [arn] : [])].filter(isDistinctive);
}

/**
 * NOTE(bare-names): a bare word ("default", "grpc-demo") names too many things to be an edge: a
 * node group called default is not the namespace default. Identities count only when they carry
 * a digit, ':' or '/' (vpc-0a1b…, ARNs, namespace/name); bare names fall back to kind rank.
 */
function isDistinctive(identity: string): boolean {
  return /[0-9:/]/.test(identity);
}

/** Every string anywhere inside `value`. */
function stringsIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

/**
 * Pure: for each object, the ids of the other objects among `objects` that it references (holds
 * the physical id or ARN of, anywhere in its state or outputs).
 */
export function referencesAmong(objects: readonly Observed[]): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  for (const o of objects) {
    for (const identity of identitiesOf(o)) owners.set(identity, new Set([...(owners.get(identity) ?? []), o.id]));
  }
  const refs = new Map<string, Set<string>>();
  for (const o of objects) {
    const own = new Set(identitiesOf(o));
    const found = new Set<string>();
    for (const s of stringsIn([o.state, o.outputs])) {
      if (own.has(s)) continue;
      for (const id of owners.get(s) ?? []) if (id !== o.id) found.add(id);
    }
    refs.set(o.id, found);
  }
  return refs;
}

/**
 * Pure: one linear order of the objects' deletions in which every object comes before what it
 * references; ties by `rank` (the kinds' deletion order, lower first), then input order. When
 * references form a cycle (two objects naming each other) they cannot order it: the order falls
 * back to rank alone.
 */
export function deletionSequence(ids: readonly string[], references: ReadonlyMap<string, ReadonlySet<string>>, rank: (id: string) => number): string[] {
  const byRank = ids.map((id, i) => ({ id, i })).sort((a, b) => rank(a.id) - rank(b.id) || a.i - b.i).map(({ id }) => id);
  const inSet = new Set(ids);
  // "a before b" when a references b: b waits for all objects that reference it.
  const waitingFor = new Map(byRank.map((id) => [id, 0]));
  for (const id of byRank) for (const target of references.get(id) ?? []) if (inSet.has(target) && target !== id) waitingFor.set(target, waitingFor.get(target)! + 1);
  const out: string[] = [];
  const done = new Set<string>();
  while (out.length < byRank.length) {
    const next = byRank.find((id) => !done.has(id) && waitingFor.get(id) === 0);
    if (next === undefined) return byRank;
    out.push(next);
    done.add(next);
    for (const target of references.get(next) ?? []) if (inSet.has(target) && target !== next) waitingFor.set(target, waitingFor.get(target)! - 1);
  }
  return out;
}

/**
 * Pure: what each deletion waits for. `b` waits for `a` when `a` comes first in the sequence and
 * either `a` references `b`, or neither references the other and `a`'s kind is deleted earlier.
 * Every edge points backwards in one linear sequence, so deletions never wait in a cycle.
 */
export function deletionDependencies(objects: readonly Observed[], rank: (kind: string) => number): Map<string, string[]> {
  const references = referencesAmong(objects);
  const kindOf = new Map(objects.map((o) => [o.id, o.kind]));
  const rankOf = (id: string) => rank(kindOf.get(id)!);
  const sequence = deletionSequence(objects.map((o) => o.id), references, rankOf);
  const position = new Map(sequence.map((id, i) => [id, i]));
  const refers = (a: string, b: string) => references.get(a)?.has(b) ?? false;
  const waits = new Map<string, string[]>();
  for (const b of sequence) {
    waits.set(b, sequence.slice(0, position.get(b)).filter((a) =>
      refers(a, b) || (!refers(b, a) && rankOf(a) < rankOf(b))));
  }
  return waits;
}
