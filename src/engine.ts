// The engine's public face: observe → plan → apply for a spec, used by the CLI, the daemon and
// the tests. It wires graph/, plan/ and apply/ together; kinds do the talking to AWS.
import type { AwsClients } from './cloud/aws.js';
import { noKube, type KubeAccess } from './cloud/kube.js';
import type { Plan } from './plan/types.js';
import { LAYER_ORDER, getKind, kindsOf, type LayerName } from './resources/registry.js';
import './resources/all.js';
import type { ResolvedSpec } from './platform-spec/resolved.js';
import type { KindContext, Observed } from './resources/kind.js';
import type { ApplyEvent } from './apply/events.js';
import { buildDesiredGraph, type DesiredGraph } from './graph/build.js';
import { buildPlan, deletionOrder } from './plan/diff.js';
import { observeLive } from './observe.js';
import { applyPlan, type ApplyResult } from './apply/apply-plan.js';
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
  const memo = <T>(key: string, read: () => Promise<T>) => {
    let p = memos.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      memos.set(key, p);
      p.catch(() => memos.delete(key));
    }
    return p;
  };
  const kube = opts.kube ?? noKube;
  return {
    memo,
    platform: opts.spec.metadata.name,
    region: platformRegion(opts),
    spec: opts.spec,
    aws: opts.aws,
    // The cluster is described once per run, shared with the eks/cluster kind's read of it.
    kube: kube.forRun ? kube.forRun(memo) : kube,
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

/** Observe live state and build the plan. Makes read calls only. */
export async function planPlatform(opts: EngineOptions): Promise<PlanResult> {
  const emit = opts.onEvent ?? (() => {});
  const layers = opts.layers ?? LAYER_ORDER;
  const graph = buildDesiredGraph(opts.spec, layers, { protosDir: opts.protosDir ?? defaultProtosDir() });
  const observed = await observeLive({ graph, layers, emit, signal: opts.signal, contextFor: (signal) => kindContext({ ...opts, signal }, emit) });
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
