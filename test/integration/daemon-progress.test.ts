// The daemon subscribes /status and the metrics to the engine's events: while a (stand-in) apply
// runs, /status shows the change in flight with the engine's latest word on it; afterwards the
// progress is gone, and the retry, the failure and the change duration are in the metrics.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Daemon } from '../../src/daemon.js';
import { createMetrics } from '../../src/metrics.js';
import { GitSource } from '../../src/source/git.js';
import type { PlanResult } from '../../src/engine.js';
import type { Change } from '../../src/plan/types.js';
import type { ReconcileProgress } from '../../src/daemon-status.js';
import { createTestRepo } from '../helpers/git-repo.js';

const UPDATE: Change = { id: 'kube/Deployment/default/route-guide', kind: 'kube/Deployment', action: '~', reason: 'drift', dependsOn: [],
  fields: [{ path: 'spec.replicas', old: 2, new: 3 }] };
const CREATE: Change = { id: 'edge/record/grpc.example.com/A', kind: 'edge/records', action: '+', reason: 'missing', dependsOn: [], fields: [] };

t.test('/status and the metrics follow the engine\'s events during a reconcile', async (t) => {
  const repo = createTestRepo();
  const workdir = mkdtempSync(join(tmpdir(), 'platformd-progress-'));
  const metrics = createMetrics('test', 'apply');
  let applied = false;
  let during: ReconcileProgress | null | undefined;
  const planOf = (): PlanResult => {
    const changes = applied ? [] : [UPDATE, CREATE];
    return { plan: { platform: 'grpc-demo', changes, summary: { create: applied ? 0 : 1, update: changes.length ? 1 : 0, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] },
      observed: new Map(), graph: { nodes: new Map(), deps: new Map(), order: [], external: new Map() } };
  };
  const daemon = new Daemon({
    source: new GitSource({ repo: repo.dir, branch: 'main', path: 'specs/platform.yaml', workdir }),
    metrics, mode: 'apply', branch: 'main', pollIntervalMs: 3_600_000, resyncIntervalMs: 3_600_000, backoffMs: 3_600_000, maxBackoffMs: 3_600_000,
    log: () => {},
    plan: async (_spec, _protos, _signal, onEvent) => {
      onEvent?.({ type: 'observe-begin', kinds: 1 });
      onEvent?.({ type: 'observe-done', kind: 'kube/Deployment', count: 1, durationMs: 30 });
      return planOf();
    },
    apply: async (_spec, _protos, planned, _signal, onEvent) => {
      onEvent({ type: 'change-start', id: UPDATE.id, action: '~' });
      onEvent({ type: 'change-start', id: CREATE.id, action: '+' });
      onEvent({ type: 'retry', id: CREATE.id, attempt: 1, delayMs: 300, error: 'create: route53:ChangeResourceRecordSets: Throttling' });
      onEvent({ type: 'change-failed', id: CREATE.id, action: '+', error: 'AccessDenied' });
      onEvent({ type: 'progress', id: UPDATE.id, message: 'still updating… [20s] (rollout)', elapsedMs: 20_000 });
      during = structuredClone(daemon.status.progress);
      onEvent({ type: 'change-done', id: UPDATE.id, action: '~', durationMs: 20_500 });
      applied = true;
      return { plan: planned.plan, ok: false, applied: [UPDATE.id], failed: [{ id: CREATE.id, error: 'AccessDenied' }], skipped: [], durationMs: 20_500 };
    },
  });
  const keepAlive = setInterval(() => {}, 1000);
  const first = daemon.nextReconcile();
  const stop = daemon.start();
  t.teardown(async () => {
    clearInterval(keepAlive);
    await stop();
    metrics.close();
    repo.remove();
    rmSync(workdir, { recursive: true, force: true });
  });
  await first;

  t.match(during, { phase: 'applying', kinds: { observed: 1, total: 1 }, changes: { done: 0, failed: 1, skipped: 0 }, retries: 1,
    inFlight: [{ id: UPDATE.id, action: '~', message: 'still updating… [20s] (rollout)' }] }, 'mid-apply, /status names the change under way and why it waits');
  t.equal(during?.inFlight.length, 1, 'the failed change is no longer in flight');
  t.equal(daemon.status.progress, null, 'between reconciles there is no progress');

  const text = await metrics.registry.metrics();
  t.match(text, 'platformd_resource_retries_total{kind="edge/records"} 1', 'the retry counts under the change\'s kind, from the plan');
  t.match(text, 'platformd_change_failures_total{kind="edge/records",action="create"} 1');
  t.match(text, 'platformd_change_duration_seconds_count{action="update"} 1');
  t.match(text, 'platformd_observe_duration_seconds_count{kind="kube/Deployment"} 2', 'both reads of the reconcile (before and after applying) are observed');
});
