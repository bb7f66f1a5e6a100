// The engine's public face: observe → plan → apply for a spec, used by the CLI, the daemon and
// the tests. It wires graph/, plan/ and apply/ together; kinds do the talking to AWS.
import type { AwsClients } from './cloud/aws.js';
import { noKube, type KubeAccess } from './cloud/kube.js';
import type { Plan } from './plan/types.js';
import { LAYER_ORDER, allKinds, getKind, kindsOf, type LayerName } from './resources/registry.js';
import './resources/all.js';
import type { ResolvedSpec } from './platform-spec/resolved.js';
import type { Desired, KindContext, Observed, ResourceKind } from './resources/kind.js';
import type { ApplyEvent } from './apply/events.js';
import { buildDesiredGraph, type DesiredGraph } from './graph/build.js';
import { buildPlan, deletionOrder } from './plan/diff.js';
import { withRetry } from './apply/retry.js';
import { keyObserved } from './plan/duplicates.js';
import { applyPlan, type ApplyResult } from './apply/apply-plan.js';
import { ErrorCodes, PlatformdError } from './errors.js';
import { defaultProtosDir } from './protos-dir.js';
import { platformRegion } from './cloud/region.js';

export interface EngineOptions {
  spec: ResolvedSpec;
  aws: AwsClients;
  /** Cluster access for the kube layer (default: none — kube kinds then report the cluster unreachable). */
  kube?: KubeAccess;
  /** Layers this run covers (default: all). Kinds of other layers are neither changed nor pruned. */
  layers?: LayerName[];
  protosDir?: string;
  signal?: AbortSignal;
  /** Typed progress events (CLI, log, metrics and /status subscribe). */
  onEvent?: (event: ApplyEvent) => void;
  /** Maximum resources worked on at once (default 8). */
  concurrency?: number;
  /**
   * Fencing: throws when this process may no longer change anything (a replica whose leadership
   * lapsed). Called before every create, update and delete call, retries included.
   */
  fence?: () => void;
}

export interface PlanResult {
  plan: Plan;
  /** Every live object read, by logical id (also the in-sync ones), for status and drift metrics. */
  observed: Map<string, Observed>;
  /** The desired graph the plan was made from (apply walks it). */
  graph: DesiredGraph;
}

export type { ApplyResult } from './apply/apply-plan.js';

function kindContext(opts: EngineOptions, emit: (e: ApplyEvent) => void, id?: string, memos = new Map<string, Promise<unknown>>()): KindContext {
  return {
    memo: <T>(key: string, read: () => Promise<T>) => {
      let p = memos.get(key) as Promise<T> | undefined;
      if (!p) {
        p = read();
        memos.set(key, p);
        p.catch(() => memos.delete(key));
      }
      return p;
    },
    platform: opts.spec.metadata.name,
    region: platformRegion(opts),
    spec: opts.spec,
    aws: opts.aws,
    kube: opts.kube ?? noKube,
    signal: opts.signal ?? new AbortController().signal,
    progress: (message) => emit({ type: 'progress', id: id ?? '(engine)', message, elapsedMs: 0 }),
  };
}

/** Kind names in creation order: layer order, then registration order within the layer. */
function kindOrder(): string[] {
  return LAYER_ORDER.flatMap((layer) => kindsOf([layer]).map((k) => k.kind.kind));
}

/** Kind names in the order their deletions run (reverse creation order, deleteAfter honoured). */
export function deletionKindOrder(): string[] {
  return deletionOrder(kindOrder(), (name) => getKind(name).deleteAfter ?? []);
}

/** Read every kind of the run once (kinds in parallel, honouring observeAfter), keyed by logical id. */
async function observe(opts: EngineOptions, graph: DesiredGraph, layers: LayerName[], emit: (e: ApplyEvent) => void): Promise<Map<string, Observed>> {
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
  const signal = opts.signal ? AbortSignal.any([opts.signal, stopOthers.signal]) : stopOthers.signal;
  const ctx = kindContext({ ...opts, signal }, emit);
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

/** Observe live state and build the plan. Makes read calls only. */
export async function planPlatform(opts: EngineOptions): Promise<PlanResult> {
  const emit = opts.onEvent ?? (() => {});
  const layers = opts.layers ?? LAYER_ORDER;
  const graph = buildDesiredGraph(opts.spec, layers, { protosDir: opts.protosDir ?? defaultProtosDir() });
  const observed = await observe(opts, graph, layers, emit);
  const plan = buildPlan({
    platform: opts.spec.metadata.name,
    graph,
    observed,
    kindOf: getKind,
    deletion: opts.spec.deletion,
    kindOrder: kindOrder(),
    kindsInScope: new Set(kindsOf(layers).map((k) => k.kind.kind)),
    operatorActions: collectOperatorActions(graph, observed, opts.spec.region),
    notes: collectNotes(graph),
  });
  return { plan, observed, graph };
}

/**
 * What only a person can do (delegate the zone, push an image), from each kind's pure
 * operatorActions hook over the desired node and the live object of every id in the run.
 */
function collectOperatorActions(graph: DesiredGraph, observed: Map<string, Observed>, region: string): Plan['operatorActions'] {
  const ids = new Set([...graph.nodes.keys(), ...observed.keys()]);
  return [...ids].flatMap((id) => {
    const desired = graph.nodes.get(id);
    const live = observed.get(id);
    const hook = getKind((desired ?? live)!.kind).operatorActions;
    return hook ? hook(desired, live, { region }) : [];
  });
}

/** Notes desired nodes carry for the plan's reader (e.g. how the Ingresses were split into groups). */
function collectNotes(graph: DesiredGraph): string[] {
  return [...graph.nodes.values()].flatMap((d) => d.notes ?? []);
}

/** Apply a plan (made now, unless given): walk it in dependency order, wait for readiness, retry. */
export async function applyPlatform(opts: EngineOptions & { plan?: PlanResult }): Promise<ApplyResult> {
  const started = Date.now();
  const emit = opts.onEvent ?? (() => {});
  const { plan, graph, observed } = opts.plan ?? (await planPlatform(opts));
  const result = await applyPlan({
    plan, graph, observed, emit,
    kindOf: getKind,
    contextFor: (id) => kindContext(opts, emit, id),
    concurrency: opts.concurrency ?? 8,
    signal: opts.signal,
    fence: opts.fence,
  });
  // The duration includes planning when the plan was made here.
  return { ...result, durationMs: Date.now() - started };
}

/** Every registered kind (for tools such as the IAM policy check and benchmarks). */
export function registeredKinds(): string[] {
  return allKinds().map((k) => k.kind.kind);
}
