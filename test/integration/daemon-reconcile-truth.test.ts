// The daemon's loop on a real git repository (GitSource, real commits) with a stand-in engine whose
// plan and apply the test scripts: what counts as a reconcile, when the success counter and
// timestamp move, the conditions and revisions /status reports, and backoff that doubles to its
// cap. Every wait is on a handled trigger (nextReconcile), never on time.
import t, { type Test } from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Daemon, type DaemonDeps, type Trigger } from '../../src/daemon.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { GitSource } from '../../src/source/git.js';
import type { PlanResult } from '../../src/engine.js';
import type { DesiredGraph } from '../../src/graph/build.js';
import type { Change } from '../../src/plan/types.js';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.js';

const CHANGE: Change = { id: 'eks/nodegroup/default', kind: 'eks/nodegroup', action: '~', reason: 'drift', fields: [], dependsOn: [] };
const DENIED = 'AccessDeniedException: not authorized to perform: eks:UpdateNodegroupConfig';

/** The stand-in engine: `converged` decides what a plan sees; `denied` makes every apply fail. */
interface World { converged: boolean; denied: boolean; applies: number }

function planOf(world: World): PlanResult {
  const changes = world.converged ? [] : [CHANGE];
  return {
    plan: { platform: 'grpc-demo', changes, summary: { create: 0, update: changes.length, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] },
    observed: new Map(), graph: { nodes: new Map(), deps: new Map(), order: [], external: new Map() } satisfies DesiredGraph,
  };
}

function startDaemon(t: Test, world: World, options: Partial<DaemonDeps> = {}): { daemon: Daemon; metrics: Metrics; repo: TestRepo; handle(kind: Trigger): Promise<void>; next(): Promise<void> } {
  const repo = createTestRepo();
  const metrics = createMetrics('test', 'apply');
  const source = new GitSource({ repo: repo.dir, branch: 'main', path: 'specs/platform.yaml', workdir: mkdtempSync(join(tmpdir(), 'platformd-truth-')) });
  const daemon = new Daemon({
    source, metrics, mode: 'apply', branch: 'main', pollIntervalMs: 3_600_000, resyncIntervalMs: 3_600_000, backoffMs: 3_600_000, maxBackoffMs: 3_600_000, log: () => {},
    plan: async () => planOf(world),
    apply: async (_spec, _protos, planned) => {
      world.applies++;
      if (world.denied) return { plan: planned.plan, ok: false, applied: [], failed: [{ id: CHANGE.id, error: DENIED }], skipped: [], durationMs: 1 };
      world.converged = true;
      return { plan: planned.plan, ok: true, applied: [CHANGE.id], failed: [], skipped: [], durationMs: 1 };
    },
    ...options,
  });
  const first = daemon.nextReconcile();
  const stop = daemon.start();
  // The daemon's timers are unref'd (they never hold a process open); this test waits on them.
  const keepAlive = setInterval(() => {}, 1000);
  t.teardown(async () => {
    clearInterval(keepAlive);
    await stop();
    metrics.close();
    repo.remove();
  });
  return {
    daemon, metrics, repo,
    /** Trigger and wait until that trigger has been handled. */
    async handle(kind) {
      const done = daemon.nextReconcile();
      daemon.trigger(kind);
      await done;
    },
    next: async () => { await first; },
  };
}

async function counter(metrics: Metrics, outcome: string): Promise<number> {
  return (await metrics.reconciles.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}
async function gauge(metrics: Metrics, name: 'lastSuccess' | 'consecutiveFailures'): Promise<number> {
  return (await metrics[name].get()).values[0]?.value ?? 0;
}
async function fetches(metrics: Metrics): Promise<number> {
  return (await metrics.sourceFetches.get()).values.find((v) => v.labels.outcome === 'success')?.value ?? 0;
}

t.test('a committed spec that fails to apply: success counter and timestamp stand still across ten polls', async (t) => {
  const world: World = { converged: true, denied: false, applies: 0 };
  const { daemon, metrics, repo, handle, next } = startDaemon(t, world);
  await next();
  const first = repo.head();
  t.equal(daemon.status.lastReconcile?.outcome, 'success', 'the first commit converged');
  t.equal(daemon.status.lastAppliedRevision, `main@sha1:${first}`);
  t.match(daemon.status.conditions.find((c) => c.type === 'Ready'), { status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${first}` });

  await t.test('polls that find the same commit are not reconciles', async (t) => {
    const before = { success: await counter(metrics, 'success'), at: await gauge(metrics, 'lastSuccess'), record: daemon.status.lastReconcile };
    const polled = await fetches(metrics);
    for (let i = 0; i < 10; i++) await handle('poll');
    t.equal(await fetches(metrics), polled + 10, 'ten polls fetched the source');
    t.equal(await counter(metrics, 'success'), before.success, 'no success counted');
    t.equal(await gauge(metrics, 'lastSuccess'), before.at, 'timestamp unchanged');
    t.equal(daemon.status.lastReconcile, before.record, 'the last reconcile is not overwritten');
    t.equal(daemon.status.reconciles.length, 1);
  });

  world.converged = false;
  world.denied = true;
  const broken = repo.commitSpec((s) => `${s}\n# scale the node group\n`, 'a change the agent may not make');
  await handle('poll');
  t.equal(daemon.status.lastReconcile?.outcome, 'failure', 'the new commit failed to apply');
  const frozen = { success: await counter(metrics, 'success'), at: await gauge(metrics, 'lastSuccess'), failures: await counter(metrics, 'failure') };
  const polled = await fetches(metrics);
  for (let i = 0; i < 10; i++) await handle('poll');
  t.equal(await fetches(metrics), polled + 10, 'ten more polls');
  t.equal(await counter(metrics, 'success'), frozen.success, 'success counter unchanged across ten polls');
  t.equal(await gauge(metrics, 'lastSuccess'), frozen.at, 'success timestamp unchanged across ten polls');
  t.equal(await counter(metrics, 'failure'), frozen.failures, 'a poll of the same commit does not retry: the backoff timer does');
  t.equal(daemon.status.lastAttemptedRevision, `main@sha1:${broken}`);
  t.equal(daemon.status.lastAppliedRevision, `main@sha1:${first}`, 'applied stays at the last converged commit');
  t.match(daemon.status.conditions, [
    { type: 'Ready', status: 'False', reason: 'ReconciliationFailed', message: new RegExp(`1 change failed at main@sha1:${broken}: eks/nodegroup/default: AccessDenied`) },
    { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry' },
    { type: 'Stalled', status: 'False' },
  ]);
  t.match(daemon.status.lastReconcile, { changes: 1, pending: 1, failures: [{ id: CHANGE.id, error: DENIED }], retryInMs: 3_600_000 });
  const text = await metrics.registry.metrics();
  t.match(text, `platformd_reconcile_condition{type="Ready",status="False"} 1`);
  t.match(text, `platformd_reconcile_condition{type="Ready",status="True"} 0`);
  t.match(text, `platformd_attempted_commit_info{commit="${broken}",branch="main"} 1`);
  t.match(text, `platformd_applied_commit_info{commit="${first}",branch="main"} 1`);
  t.match(text, 'platformd_reconcile_consecutive_failures 1');

  await t.test('the fix converges: timestamp, applied revision and Ready move; the backoff resets', async (t) => {
    world.denied = false;
    const fixed = repo.commitSpec((s) => `${s}# permission granted\n`, 'retry');
    await handle('poll');
    t.equal(daemon.status.lastReconcile?.outcome, 'success');
    t.ok(await gauge(metrics, 'lastSuccess') > frozen.at, 'timestamp moved');
    t.equal(daemon.status.lastAppliedRevision, `main@sha1:${fixed}`);
    t.equal(daemon.status.retry, null);
    t.equal(await gauge(metrics, 'consecutiveFailures'), 0);
    t.same(daemon.status.reconciles.map((r) => r.outcome), ['success', 'failure', 'success'], 'history: real reconciles only, newest first');
  });
});

t.test('backoff doubles on consecutive failures up to its cap; polls in between do not reset it', async (t) => {
  const world: World = { converged: false, denied: true, applies: 0 };
  const { daemon, metrics, handle, next } = startDaemon(t, world, { backoffMs: 20, maxBackoffMs: 160 });
  await next();
  while ((daemon.status.retry?.consecutiveFailures ?? 0) < 7) {
    await handle('poll');
    await daemon.nextReconcile();
  }
  const delays = daemon.status.reconciles.filter((r) => r.outcome === 'failure').map((r) => r.retryInMs).reverse();
  t.same(delays.slice(0, 7), [20, 40, 80, 160, 160, 160, 160], 'scheduled delays: doubling, then capped');
  t.equal(await counter(metrics, 'success'), 0, 'no poll counted as a success');
  t.ok(await gauge(metrics, 'consecutiveFailures') >= 7);
  t.ok(daemon.status.reconciles.length <= 10, 'history keeps the last ten');
  t.equal(daemon.status.retry?.delayMs, 160);
});
