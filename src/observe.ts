// Observation: read every kind of a run once, kinds in parallel (observeAfter honoured), each in
// as few calls as its API allows, retried by error class; the first kind that fails ends the read.
import type { ApplyEvent } from './apply/events.js';
import { withRetry } from './apply/retry.js';
import { ErrorCodes, PlatformdError } from './errors.js';
import type { DesiredGraph } from './graph/build.js';
import { keyObserved } from './plan/duplicates.js';
import type { Desired, KindContext, Observed, ResourceKind } from './resources/kind.js';
import { getKind, kindsOf, type LayerName } from './resources/registry.js';

/** Read every kind of the run once (kinds in parallel, honouring observeAfter), keyed by logical id. */
export async function observeLive(args: {
  graph: DesiredGraph;
  layers: readonly LayerName[];
  emit: (e: ApplyEvent) => void;
  signal?: AbortSignal;
  /** The kinds' context, bound to the signal that also stops the other kinds' reads. */
  contextFor: (signal: AbortSignal) => KindContext;
}): Promise<Map<string, Observed>> {
  const { graph, layers, emit } = args;
  const desiredByKind = new Map<string, Desired[]>();
  for (const d of [...graph.nodes.values(), ...graph.external.values()]) {
    desiredByKind.set(d.kind, [...(desiredByKind.get(d.kind) ?? []), d]);
  }
  const kinds = new Map<string, ResourceKind>();
  for (const k of kindsOf(layers)) kinds.set(k.kind.kind, k.kind);
  for (const name of desiredByKind.keys()) kinds.set(name, getKind(name));
  const all: Observed[] = [];
  const done = new Map<string, Promise<void>>();
  // The first kind that fails ends the plan: the others stop retrying instead of keeping the
  // process alive for minutes behind an error that is already reported.
  const stopOthers = new AbortController();
  const signal = args.signal ? AbortSignal.any([args.signal, stopOthers.signal]) : stopOthers.signal;
  const ctx = args.contextFor(signal);
  const run = (kind: ResourceKind): Promise<void> => {
    const existing = done.get(kind.kind);
    if (existing) return existing;
    const p = (async () => {
      await Promise.all((kind.observeAfter ?? []).filter((k) => kinds.has(k)).map((k) => run(kinds.get(k)!)));
      emit({ type: 'observe-start', kind: kind.kind });
      const started = Date.now();
      let list: Observed[];
      try {
        list = await withRetry(() => kind.observeAll(ctx, desiredByKind.get(kind.kind) ?? []), {
          signal,
          onRetry: (attempt, delayMs, error) => emit({ type: 'retry', id: `observe ${kind.kind}`, attempt, delayMs, error }),
        });
      } catch (err) {
        const failure = new PlatformdError(ErrorCodes.OBSERVE_FAILED, `observe ${kind.kind} failed`, { cause: err });
        stopOthers.abort(failure);
        throw failure;
      }
      all.push(...list);
      emit({ type: 'observe-done', kind: kind.kind, count: list.length, durationMs: Date.now() - started });
    })();
    done.set(kind.kind, p);
    return p;
  };
  emit({ type: 'observe-begin', kinds: kinds.size });
  await Promise.all([...kinds.values()].map(run));
  return keyObserved(all);
}
