// Topological order of a dependency graph, with cycles reported by the ids that form them.
import { ErrorCodes, PlatformdError } from '../errors.js';

/**
 * Kahn's algorithm over `deps` (id → ids it depends on). Ties keep the input order, so the
 * result is deterministic. Throws PLATFORMD_GRAPH_CYCLE naming one cycle.
 */
export function topoOrder(ids: readonly string[], deps: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const id of ids) indegree.set(id, 0);
  for (const id of ids) {
    for (const dep of deps.get(id) ?? []) {
      if (!indegree.has(dep)) continue;
      indegree.set(id, (indegree.get(id) ?? 0) + 1);
      dependents.set(dep, [...(dependents.get(dep) ?? []), id]);
    }
  }
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const out: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    out.push(id);
    for (const next of dependents.get(id) ?? []) {
      const n = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, n);
      if (n === 0) ready.push(next);
    }
  }
  if (out.length !== ids.length) {
    const cycle = findCycle(ids.filter((id) => !out.includes(id)), deps);
    throw new PlatformdError(ErrorCodes.GRAPH_CYCLE, `dependency cycle: ${cycle.join(' → ')}`);
  }
  return out;
}

function findCycle(remaining: string[], deps: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const inSet = new Set(remaining);
  const start = remaining[0]!;
  const path: string[] = [];
  const seen = new Map<string, number>();
  let current: string | undefined = start;
  while (current !== undefined && !seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    current = [...(deps.get(current) ?? [])].find((d) => inSet.has(d));
  }
  if (current === undefined) return remaining;
  return [...path.slice(seen.get(current)!), current];
}
