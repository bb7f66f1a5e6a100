// Apply a plan: walk its runnable changes in dependency order (walk.ts), run each change's steps
// (execute.ts) and collect what happened. Every failure leaves here wrapped with the verb and the
// logical id ("create network/vpc: …"), its cause kept, so reports say what was being done to what.
import type { Desired, KindContext, Observed, ResourceKind } from '../resources/kind.js';
import type { Change, Plan } from '../plan/types.js';
import type { DesiredGraph } from '../graph/build.js';
import { withFence } from '../cloud/fence.js';
import { ErrorCodes, PlatformdError, describeError, isTerminalError } from '../errors.js';
import type { ApplyEvent } from './events.js';
import { walkGraph } from './walk.js';
import {
  createResource, deleteResource, progressFor, resolveDesired, updateResource, waitReady,
  type OutputsById, type StepContext,
} from './execute.js';

export interface ApplyResult {
  plan: Plan;
  /** True when every change succeeded (blocked changes count as not succeeded). */
  ok: boolean;
  applied: string[];
  /** Each failed change with its error text ("create network/vpc: …"); `terminal` when retrying cannot fix it. */
  failed: { id: string; error: string; terminal?: true }[];
  skipped: { id: string; because: string }[];
  durationMs: number;
  /** Every resource that exists after the apply with its outputs (the ALB's DNS name, ...), by logical id. */
  resources?: { id: string; kind: string; outputs: Record<string, unknown> }[];
}

/** What the walk needs besides the plan: how to reach kinds, and the run's options. */
export interface ApplyPlanOptions {
  plan: Plan;
  graph: DesiredGraph;
  observed: ReadonlyMap<string, Observed>;
  kindOf: (name: string) => ResourceKind;
  /** A fresh kind context whose progress lines name `id`. */
  contextFor: (id: string) => KindContext;
  emit: (event: ApplyEvent) => void;
  concurrency: number;
  signal?: AbortSignal;
  fence?: () => void;
}

/** The verb a change's failure is reported with. */
export function verbOf(action: Change['action']): string {
  switch (action) {
    case '+': return 'create';
    case '~': return 'update';
    case '-': return 'delete';
    case '!': return 'blocked';
    default: return 'replace';
  }
}

/** Wrap a change's failure with its verb and logical id, keeping the original as `cause`. */
export function changeFailure(change: Pick<Change, 'id' | 'action'>, err: unknown): PlatformdError {
  return new PlatformdError(ErrorCodes.APPLY_FAILED, `${verbOf(change.action)} ${change.id}`, { cause: err, terminal: isTerminalError(err) });
}

/** Walk the plan's runnable changes; never throws: failures and skips are in the result. */
export async function applyPlan(options: ApplyPlanOptions): Promise<ApplyResult> {
  const started = Date.now();
  const { plan, graph, observed, emit } = options;
  const outputs: OutputsById = new Map();
  for (const [id, o] of observed) outputs.set(id, o.outputs);
  const changes = new Map(plan.changes.map((c) => [c.id, c]));
  const blocked = plan.changes.filter((c) => c.action === '!');
  const runnable = plan.changes.filter((c) => c.action !== '!');

  const result = await walkGraph(runnable.map((c) => ({ id: c.id, deps: c.dependsOn })), async (id) => {
    const change = changes.get(id)!;
    try {
      await withFence(options.fence, () => applyChange(options, change, changes, outputs));
    } catch (err) {
      const failure = changeFailure(change, err);
      const error = describeError(failure);
      // The chain below "create network/vpc": for lines that name the change themselves.
      const cause = error.startsWith(`${failure.message}: `) ? error.slice(failure.message.length + 2) : error;
      emit({ type: 'change-failed', id, action: change.action, error, cause });
      throw failure;
    }
  }, {
    concurrency: options.concurrency,
    signal: options.signal,
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
    failed: result.failed.map((f) => ({ id: f.id, error: f.error, ...(isTerminalError(f.cause) ? { terminal: true as const } : {}) })),
    skipped,
    durationMs: Date.now() - started,
    resources: [...outputs].map(([id, o]) => ({ id, kind: graph.nodes.get(id)?.kind ?? observed.get(id)?.kind ?? '', outputs: o })),
  };
}

/** One change: wait for settling dependencies, then its steps by action; records its outputs. */
async function applyChange(options: ApplyPlanOptions, change: Change, changes: ReadonlyMap<string, Change>, outputs: OutputsById): Promise<void> {
  const { id } = change;
  const step: StepContext = {
    id, kind: options.kindOf(change.kind), ctx: options.contextFor(id), signal: options.signal, fence: options.fence, emit: options.emit,
  };
  const t0 = Date.now();
  options.emit({ type: 'change-start', id, action: change.action });
  await waitForSettledDependencies(options, step, changes);
  const desired = (): Desired => resolveDesired(options.graph.nodes.get(id)!, outputs);
  const live = (): Observed => options.observed.get(id)!;
  switch (change.action) {
    case '-':
      await deleteResource(step, live());
      outputs.delete(id);
      break;
    case '-/+':
      await deleteResource(step, live());
      outputs.delete(id);
      outputs.set(id, (await createResource(step, desired())).outputs);
      break;
    case '+':
      outputs.set(id, (await createResource(step, desired())).outputs);
      break;
    case '~':
      outputs.set(id, (await updateResource(step, desired(), live())).outputs);
      break;
    case '!':
      return;
    default:
      // A plan read from a file may carry an action this version does not know (e.g. an old "±").
      throw new PlatformdError(ErrorCodes.APPLY_FAILED, `unknown action ${JSON.stringify(change.action)}`, { terminal: true });
  }
  options.emit({ type: 'change-done', id, action: change.action, durationMs: Date.now() - t0 });
}

/** Dependencies that were already in sync may still be settling (a re-run after a crash): wait for them. */
async function waitForSettledDependencies(options: ApplyPlanOptions, step: StepContext, changes: ReadonlyMap<string, Change>): Promise<void> {
  for (const dep of options.graph.deps.get(step.id) ?? []) {
    const live = options.observed.get(dep);
    if (!changes.has(dep) && live) await waitReady(options.kindOf(live.kind), step.ctx, live, dep, progressFor(step, 'waiting for ' + dep));
  }
}
