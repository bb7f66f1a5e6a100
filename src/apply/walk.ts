// Walk a DAG with bounded parallelism: a node starts once all its dependencies succeeded; when a
// node fails, everything that depends on it is skipped and only the root cause is reported
// (after Terraform's dag/walk.go).
import { describeError } from '../errors.js';

export interface WalkNode {
  id: string;
  /** Ids that must succeed first; ids not among the nodes are ignored. */
  deps: readonly string[];
}

export interface WalkResult {
  succeeded: string[];
  failed: { id: string; error: string; cause: unknown }[];
  skipped: { id: string; because: string }[];
}

export interface WalkOptions {
  concurrency: number;
  signal?: AbortSignal;
  onSkip?: (id: string, because: string) => void;
}

/** Run `visit` for every node in dependency order, at most `concurrency` at once. Never throws. */
export async function walkGraph(nodes: readonly WalkNode[], visit: (id: string) => Promise<void>, options: WalkOptions): Promise<WalkResult> {
  const ids = new Set(nodes.map((n) => n.id));
  const deps = new Map(nodes.map((n) => [n.id, n.deps.filter((d) => ids.has(d) && d !== n.id)]));
  const state = new Map<string, 'pending' | 'running' | 'ok' | 'failed' | 'skipped'>(nodes.map((n) => [n.id, 'pending']));
  const rootCause = new Map<string, string>();
  const result: WalkResult = { succeeded: [], failed: [], skipped: [] };
  let running = 0;

  return new Promise<WalkResult>((resolve) => {
    const pump = () => {
      // Skip nodes whose dependency failed or was skipped; propagate the root cause.
      let changed = true;
      while (changed) {
        changed = false;
        for (const [id, s] of state) {
          if (s !== 'pending') continue;
          const bad = deps.get(id)!.find((d) => state.get(d) === 'failed' || state.get(d) === 'skipped');
          if (bad !== undefined || options.signal?.aborted) {
            const because = bad === undefined ? 'apply was aborted' : `${rootCause.get(bad) ?? bad} failed`;
            state.set(id, 'skipped');
            rootCause.set(id, bad === undefined ? id : (rootCause.get(bad) ?? bad));
            result.skipped.push({ id, because });
            options.onSkip?.(id, because);
            changed = true;
          }
        }
      }
      for (const [id, s] of state) {
        if (running >= options.concurrency) break;
        if (s !== 'pending') continue;
        if (!deps.get(id)!.every((d) => state.get(d) === 'ok')) continue;
        state.set(id, 'running');
        running++;
        visit(id).then(
          () => {
            state.set(id, 'ok');
            result.succeeded.push(id);
          },
          (err) => {
            state.set(id, 'failed');
            rootCause.set(id, id);
            result.failed.push({ id, error: describeError(err), cause: err });
          },
        ).finally(() => {
          running--;
          pump();
        });
      }
      if (running === 0 && [...state.values()].every((s) => s !== 'pending' && s !== 'running')) resolve(result);
    };
    pump();
  });
}
