// The daemon's log on a real git repository with a stand-in engine: a fake apply emits the engine's
// events and the daemon's logger turns them into JSON lines naming each change's verb, id and
// changed paths, with the plan summary per reconcile; a committed invalid spec is logged diagnostic
// by diagnostic at its repository-relative file:line:col, with no path of the daemon's host.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Daemon } from '../../src/daemon.js';
import { createMetrics } from '../../src/metrics.js';
import { GitSource } from '../../src/source/git.js';
import { createLogger } from '../../src/log/logger.js';
import type { PlanResult } from '../../src/engine.js';
import type { Change } from '../../src/plan/types.js';
import { createTestRepo } from '../helpers/git-repo.js';

const UPDATE: Change = { id: 'kube/Deployment/default/route-guide', kind: 'kube/Deployment', action: '~', reason: 'drift', dependsOn: [],
  fields: [{ path: 'spec.replicas', old: 2, new: 3 }] };

t.test('the daemon logs each applied change and the invalid spec, as JSON lines', async (t) => {
  const repo = createTestRepo();
  const workdir = mkdtempSync(join(tmpdir(), 'platformd-log-'));
  const metrics = createMetrics('test', 'apply');
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ format: 'json', destination: { write: (s: string) => { for (const l of s.split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>); } } });
  let converged = false;
  const planOf = (): PlanResult => {
    const changes = converged ? [] : [UPDATE];
    return { plan: { platform: 'grpc-demo', changes, summary: { create: 0, update: changes.length, delete: 0, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] },
      observed: new Map(), graph: { nodes: new Map(), deps: new Map(), order: [], external: new Map() } };
  };
  const daemon = new Daemon({
    source: new GitSource({ repo: repo.dir, branch: 'main', path: 'specs/platform.yaml', workdir }),
    metrics, mode: 'apply', branch: 'main', pollIntervalMs: 3_600_000, resyncIntervalMs: 3_600_000, backoffMs: 3_600_000, maxBackoffMs: 3_600_000,
    log: () => {}, logger,
    plan: async () => planOf(),
    apply: async (_spec, _protos, planned, _signal, onEvent) => {
      onEvent({ type: 'change-start', id: UPDATE.id, action: '~' });
      onEvent({ type: 'progress', id: UPDATE.id, message: 'still updating… [20s] (rollout)', elapsedMs: 20_000 });
      onEvent({ type: 'change-done', id: UPDATE.id, action: '~', durationMs: 20_500 });
      converged = true;
      return { plan: planned.plan, ok: true, applied: [UPDATE.id], failed: [], skipped: [], durationMs: 20_500 };
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
  const good = repo.head();

  const changeLine = lines.find((l) => l.verb === 'update' && l.id === UPDATE.id && l.level === 'info');
  t.match(changeLine, { kind: 'kube/Deployment', paths: ['spec.replicas'], platform: String, commit: good.slice(0, 12) }, 'the change line: verb, id, kind, paths, platform, commit');
  t.match(changeLine?.msg, /^updated kube\/Deployment\/default\/route-guide \(spec\.replicas\) in 21s$/);
  t.ok(lines.some((l) => typeof l.msg === 'string' && l.msg.includes('still updating… [20s]')), 'progress on the long wait');
  t.ok(lines.some((l) => l.msg === `reconciled ${good.slice(0, 12)}: 1 change (1 update)`), 'the plan summary line');

  const bad = repo.commit((dir) => {
    const file = join(dir, 'specs/platform.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^kind: Platform$/m, 'kind: Platfrom'));
  }, 'a misspelt kind');
  const handled = daemon.nextReconcile();
  daemon.trigger('poll');
  await handled;
  const invalid = lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith(`spec at ${bad.slice(0, 12)} is invalid`));
  t.ok(invalid, 'the invalid spec is announced');
  const diagnosticLines = lines.filter((l) => typeof l.file === 'string');
  t.ok(diagnosticLines.length >= 1, 'each diagnostic has its own line');
  for (const d of diagnosticLines) t.match(d.msg, /^specs\/platform\.yaml:\d+:\d+: error: /, 'file:line:col, repository-relative');
  const everything = JSON.stringify(lines);
  t.notOk(everything.includes(workdir) || everything.includes(repo.dir), 'no host path anywhere in the log');
});
