// A failure retrying cannot fix (a dependency cycle in the desired graph) is reported and stalls:
// no backoff retry is scheduled, and the next commit is reconciled as usual. A transient failure
// still backs off. The daemon runs on a real git repository with a stand-in engine; every wait
// is on a handled trigger (nextReconcile), never on time.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Daemon, type Trigger } from '../../src/daemon.js';
import { createMetrics } from '../../src/metrics.js';
import { GitSource } from '../../src/source/git.js';
import type { PlanResult } from '../../src/engine.js';
import { topoOrder } from '../../src/graph/order.js';
import { createTestRepo } from '../helpers/git-repo.js';

type Outcome = 'cycle' | 'throttled' | 'converged';

function converged(): PlanResult {
  return {
    plan: { platform: 'grpc-demo', changes: [], summary: { create: 0, update: 0, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] },
    observed: new Map(), graph: { nodes: new Map(), deps: new Map(), order: [], external: new Map() },
  };
}

t.test('a dependency cycle is reported once and waits for a new commit; a throttled plan backs off', async (t) => {
  const world: { next: Outcome; plans: number } = { next: 'cycle', plans: 0 };
  const repo = createTestRepo();
  const metrics = createMetrics('test', 'apply');
  const source = new GitSource({ repo: repo.dir, branch: 'main', path: 'specs/platform.yaml', workdir: mkdtempSync(join(tmpdir(), 'platformd-terminal-')) });
  const daemon = new Daemon({
    source, metrics, mode: 'apply', branch: 'main', pollIntervalMs: 3_600_000, resyncIntervalMs: 3_600_000, backoffMs: 3_600_000, maxBackoffMs: 3_600_000, log: () => {},
    plan: async () => {
      world.plans++;
      if (world.next === 'cycle') topoOrder(['a', 'b'], new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]));
      if (world.next === 'throttled') throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
      return converged();
    },
    apply: async (_spec, _protos, planned) => ({ plan: planned.plan, ok: true, applied: [], failed: [], skipped: [], durationMs: 1 }),
  });
  const first = daemon.nextReconcile();
  const stop = daemon.start();
  const keepAlive = setInterval(() => {}, 1000);
  t.teardown(async () => {
    clearInterval(keepAlive);
    await stop();
    metrics.close();
    repo.remove();
  });
  const handle = async (kind: Trigger) => {
    const done = daemon.nextReconcile();
    daemon.trigger(kind);
    await done;
  };

  await first;
  t.equal(daemon.status.lastReconcile?.outcome, 'failure', 'the cycle fails the reconcile');
  t.match(daemon.status.lastReconcile?.error, /dependency cycle: a → b → a/, 'naming the cycle');
  t.equal(daemon.status.lastReconcile?.retryInMs, undefined, 'no retry is scheduled');
  t.equal(daemon.status.retry, null, '/status shows no pending retry');
  t.match(daemon.status.conditions, [
    { type: 'Ready', status: 'False', message: /not retried: retrying cannot fix this, waiting for a new commit/ },
    { type: 'Reconciling', status: 'False' },
    { type: 'Stalled', status: 'True' },
  ], 'stalled, not progressing with retry');

  const plansBefore = world.plans;
  await handle('poll');
  t.equal(world.plans, plansBefore, 'a poll of the same commit does not try again');

  world.next = 'throttled';
  repo.commitSpec((s) => `${s}\n# a new commit\n`, 'new commit');
  await handle('poll');
  t.equal(world.plans, plansBefore + 1, 'a new commit is reconciled');
  t.match(daemon.status.lastReconcile, { outcome: 'failure', retryInMs: 3_600_000 }, 'a throttled plan is retried with backoff');
  t.match(daemon.status.retry, { delayMs: 3_600_000 });
  t.match(daemon.status.conditions, [{ type: 'Ready' }, { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry' }, { type: 'Stalled', status: 'False' }]);

  world.next = 'converged';
  await handle('retry');
  t.equal(daemon.status.lastReconcile?.outcome, 'success', 'the retry converges');
});
