// The engine's public face: observe → plan → apply for a spec, used by the CLI, the daemon and
// the tests. It wires graph/, plan/ and apply/ together; kinds do the talking to AWS.
import type { AwsClients } from './cloud/aws.js';
import { noKube, type KubeAccess } from './cloud/kube.js';
import type { Plan } from './plan/types.js';
import { LAYER_ORDER, allKinds, getKind, kindsOf, type LayerName } from './resources/registry.js';
import './resources/all.js';
import type { ResolvedSpec } from './spec/resolved.js';
import type { Desired, KindContext, Observed, ResourceKind } from './resources/kind.js';
import type { ApplyEvent } from './apply/events.js';
import { buildDesiredGraph, type DesiredGraph } from './graph/build.js';
import { buildPlan, deletionOrder } from './plan/diff.js';
import { resolveRefs } from './plan/resolve.js';
import { walkGraph } from './apply/walk.js';
import { withRetry } from './apply/retry.js';
import { withFence } from './cloud/fence.js';
import { keyObserved } from './plan/duplicates.js';
import { waitUntil } from './apply/wait.js';
import { ErrorCodes, PlatformdError, describeError } from './errors.js';
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

export interface ApplyResult {
  plan: Plan;
  /** True when every change succeeded (blocked changes count as not succeeded). */
  ok: boolean;
  applied: string[];
  failed: { id: string; error: string }[];
  skipped: { id: string; because: string }[];
  durationMs: number;
  /** Every resource that exists after the apply with its outputs (the ALB's DNS name, ...), by logical id. */
  resources?: { id: string; kind: string; outputs: Record<string, unknown> }[];
}

const DEFAULT_READY_TIMEOUT_MS = 30 * 60_000;

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
    operatorActions: collectOperatorActions(observed),
    notes: collectNotes(graph),
  });
  return { plan, observed, graph };
}

/** Operator actions exposed by observed resources (e.g. DNS delegation) through outputs.operatorActions. */
function collectOperatorActions(observed: Map<string, Observed>): Plan['operatorActions'] {
  return [...observed.values()].flatMap((o) => (o.outputs.operatorActions as Plan['operatorActions'] | undefined) ?? []);
}

/** Notes desired nodes carry for the reader (e.g. ingress group splitting), in properties.$notes. */
function collectNotes(graph: DesiredGraph): string[] {
  return [...graph.nodes.values()].flatMap((d) => ((d as { notes?: string[] }).notes ?? []));
}

/** Apply a plan (made now, unless given): walk it in dependency order, wait for readiness, retry. */
export async function applyPlatform(opts: EngineOptions & { plan?: PlanResult }): Promise<ApplyResult> {
  const started = Date.now();
  const emit = opts.onEvent ?? (() => {});
  const planned = opts.plan ?? (await planPlatform(opts));
  const { plan, graph, observed } = planned;
  const outputs = new Map<string, Record<string, unknown>>();
  for (const [id, o] of observed) outputs.set(id, o.outputs);
  const changes = new Map(plan.changes.map((c) => [c.id, c]));
  const blocked = plan.changes.filter((c) => c.action === '!');

  const runnable = plan.changes.filter((c) => c.action !== '!');
  const nodes = runnable.map((c) => ({ id: c.id, deps: c.dependsOn }));
  const visit = async (id: string) => {
    const change = changes.get(id)!;
    const kind = getKind(change.kind);
    const timeouts = kind;
    const ctx = kindContext(opts, emit, id);
    const t0 = Date.now();
    emit({ type: 'change-start', id, action: change.action });
    const retry = (what: string, retryConflicts = false) => ({
      signal: opts.signal,
      retryConflicts,
      deadlineMs: retryConflicts ? (timeouts.deleteTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS) : 10 * 60_000,
      onRetry: (attempt: number, delayMs: number, error: string) => emit({ type: 'retry', id, attempt, delayMs, error: `${what}: ${error}` }),
    });
    const progress = (verb: string) => (reason: string, elapsedMs: number) =>
      emit({ type: 'progress', id, message: `still ${verb}… [${Math.round(elapsedMs / 1000)}s] (${reason})`, elapsedMs });

    // Dependencies that were already in sync may still be settling (a re-run after a crash).
    for (const dep of graph.deps.get(id) ?? []) {
      const live = observed.get(dep);
      if (!changes.has(dep) && live) await waitReady(getKind(live.kind), ctx, live, dep, progress('waiting for ' + dep));
    }

    const remove = async (live: Observed) => {
      await withRetry(() => { opts.fence?.(); return kind.delete(ctx, live); }, retry('delete', true));
      await waitUntil(async () => {
        const now = await withRetry(() => kind.refresh(ctx, live), retry('refresh'));
        if (!now || kind.gone?.(now)) return true;
        return { waiting: `${now.status ?? 'still present'}` };
      }, { what: `delete ${id}`, timeoutMs: timeouts.deleteTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS, signal: opts.signal, onProgress: progress('deleting') });
      outputs.delete(id);
    };
    const desiredResolved = (): Desired => {
      const desired = graph.nodes.get(id)!;
      const resolved = resolveRefs(desired.properties, (ref) => outputs.get(ref));
      if (resolved.unknown.length > 0) {
        throw new PlatformdError(ErrorCodes.APPLY_FAILED, `${id}: values not known after dependencies applied: ${resolved.unknown.join(', ')}`);
      }
      return { ...desired, properties: resolved.value };
    };
    const create = async () => {
      const desired = desiredResolved();
      const created = await withRetry(() => { opts.fence?.(); return kind.create(ctx, desired); }, retry('create'));
      const ready = await waitReady(kind, ctx, created, id, progress('creating'), timeouts.readyTimeoutMs);
      outputs.set(id, ready.outputs);
    };

    if (change.action === '-') {
      await remove(observed.get(id)!);
    } else if (change.action === '±') {
      await remove(observed.get(id)!);
      await create();
    } else if (change.action === '+') {
      await create();
    } else if (change.action === '~') {
      const desired = desiredResolved();
      const live = observed.get(id)!;
      const diff = kind.diff(desired.properties, live);
      const updated = await withRetry(() => { opts.fence?.(); return kind.update(ctx, desired, live, diff); }, retry('update'));
      const ready = await waitReady(kind, ctx, updated, id, progress('updating'), timeouts.readyTimeoutMs);
      outputs.set(id, ready.outputs);
    }
    emit({ type: 'change-done', id, action: change.action, durationMs: Date.now() - t0 });
  };

  const result = await walkGraph(nodes, async (id) => {
    try {
      await withFence(opts.fence, () => visit(id));
    } catch (err) {
      emit({ type: 'change-failed', id, action: changes.get(id)!.action, error: describeError(err) });
      throw err;
    }
  }, {
    concurrency: opts.concurrency ?? 8,
    signal: opts.signal,
    onSkip: (id, because) => emit({ type: 'change-skipped', id, because }),
  });
  const skipped = [
    ...blocked.map((c) => ({ id: c.id, because: c.blockedBy ?? c.reason })),
    ...result.skipped,
  ];
  return {
    plan,
    ok: result.failed.length === 0 && skipped.length === 0,
    applied: result.succeeded,
    failed: result.failed.map((f) => ({ id: f.id, error: f.error })),
    skipped,
    durationMs: Date.now() - started,
    resources: [...outputs].map(([id, o]) => ({ id, kind: graph.nodes.get(id)?.kind ?? observed.get(id)?.kind ?? '', outputs: o })),
  };
}

/** Refresh until ready(); returns the last observation. */
async function waitReady(kind: ResourceKind, ctx: KindContext, first: Observed, id: string,
  onProgress: (reason: string, elapsedMs: number) => void, timeoutMs?: number): Promise<Observed> {
  let current = first;
  if (kind.ready(current) === true) return current;
  await waitUntil(async () => {
    const next = await withRetry(() => kind.refresh(ctx, current), { signal: ctx.signal });
    if (!next) return { waiting: 'not visible yet' };
    current = next;
    return kind.ready(next);
  }, { what: id, timeoutMs: timeoutMs ?? DEFAULT_READY_TIMEOUT_MS, signal: ctx.signal, onProgress });
  return current;
}

/** Every registered kind (for tools such as the IAM policy check and benchmarks). */
export function registeredKinds(): string[] {
  return allKinds().map((k) => k.kind.kind);
}
