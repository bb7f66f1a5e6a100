// Two daemons (built CLI) with --leader-elect on one platform, Leases on the sandbox's management
// cluster: exactly one leads and reconciles, the other stands by naming it; SIGTERM to the leader
// releases the Lease and the standby takes over without waiting out the lease duration; a leader
// whose Lease another holder took stops and exits 1.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, eventually, type CliProcess } from '../helpers/cli.js';
import { createTestRepo } from '../helpers/git-repo.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/world.js';
import { kubeLeaseStore, LeaseConflictError, loadKubeConfig } from '../../src/leader/lease-store.js';

interface Status { standby?: boolean; leadership?: { identity: string; leading: boolean; leader: { holderIdentity: string; acquireTime: string } | null }; reconciles?: unknown[] }

t.test('two replicas, one leader; SIGTERM hands over', async (t) => {
  const repo = createTestRepo();
  t.teardown(() => repo.remove());
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'platformd-lease-')), 'management.kubeconfig');
  const sandbox = startCli(['sandbox', '--port', '0', '--time-scale', '0', '--management-kubeconfig', kubeconfig]);
  t.teardown(() => sandbox.stop());
  const endpoint = (await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  await sandbox.waitFor(/management cluster for platformd's own Leases/);
  const env = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', ...SANDBOX_CREDENTIALS };
  // A long lease duration: a takeover well inside it can only come from the leader's release.
  const retryPeriodMs = 500;
  const replica = (id: string): CliProcess => startCli(['run', '--repo', repo.dir, '--listen', '127.0.0.1:0', '--layers', 'network', '--poll-interval', '1s',
    '--workdir', mkdtempSync(join(tmpdir(), 'platformd-work-')), '--instance-id', id,
    '--leader-elect', '--lease-kubeconfig', kubeconfig, '--lease-duration', '120s', '--renew-deadline', '10s', '--retry-period', `${retryPeriodMs}ms`], env);
  const daemons = { a: replica('replica-a'), b: replica('replica-b') };
  t.teardown(() => Promise.all([daemons.a.stop(), daemons.b.stop()]));
  const urls = { a: (await daemons.a.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!, b: (await daemons.b.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]! };
  const status = async (url: string) => (await (await fetch(`${url}/status`)).json()) as Status;

  const [leader, standby] = await eventually(async () => {
    const [sa, sb] = [await status(urls.a), await status(urls.b)];
    if (sa.leadership?.leading && sb.standby && sb.leadership?.leader?.holderIdentity === 'replica-a') return ['a', 'b'] as const;
    if (sb.leadership?.leading && sa.standby && sa.leadership?.leader?.holderIdentity === 'replica-b') return ['b', 'a'] as const;
    return undefined;
  }, 60_000, 'one leader, one standby naming it');
  t.pass(`replica-${leader} leads, replica-${standby} stands by naming it`);
  await eventually(async () => (await fetch(`${urls[leader]}/readyz`)).ok || undefined, 60_000, 'the leader converged');
  t.ok(((await status(urls[leader])).reconciles ?? []).length > 0, 'the leader reconciled');
  t.equal((await status(urls[standby])).reconciles, undefined, 'the standby did not');
  t.notMatch(daemons[standby].output(), /leading platform/, 'the standby never led');
  const plan = await fetch(`${urls[standby]}/plan`);
  t.equal(plan.status, 503);
  t.match(await plan.json(), { error: { code: 'not_leader', details: { leader: { holderIdentity: `replica-${leader}` } } } }, '/plan on the standby names the leader');
  const gauge = async (url: string) => /platformd_leader\{platform="([^"]+)"\} (\d)/.exec(await (await fetch(`${url}/metrics`)).text())?.[2];
  t.same([await gauge(urls[leader]), await gauge(urls[standby])], ['1', '0'], 'platformd_leader gauges');

  const signalled = Date.now();
  const exit = daemons[leader].stop();
  // The lease lasts 120 s: a takeover before that can only come from the release, however
  // slowly a loaded machine runs the hand-over (the deadline only bounds a hang).
  await eventually(async () => (await status(urls[standby])).leadership?.leading || undefined, 110_000, 'the standby leads');
  const takeoverMs = Date.now() - signalled;
  t.equal(await exit, 0, 'the old leader exited 0');
  t.match(daemons[leader].output(), /released lease/, 'the old leader released its Lease');
  t.comment(`takeover ${takeoverMs} ms after SIGTERM (retry period ${retryPeriodMs} ms; lease duration 120 s)`);
  t.ok(takeoverMs < 120_000, 'taken over without waiting out the lease duration (the release handed it over)');
  await eventually(async () => ((await status(urls[standby])).reconciles ?? []).length > 0 || undefined, 60_000, 'the successor reconciles');

  // Another holder writes the Lease (as a replica that judged it expired would): the leader sees it
  // at its next renewal, stops, and exits 1 for Kubernetes to restart it as a candidate.
  const lease = kubeLeaseStore(loadKubeConfig(kubeconfig), 'default', 'platformd-grpc-demo');
  // The leader renews every retry period: an update that lost that race (409) reads again, as any
  // Lease client does (the race is the machine's speed, not what this test checks).
  for (let attempt = 0; ; attempt++) {
    const current = (await lease.get())!;
    t.equal(current.record.holderIdentity, `replica-${standby}`);
    try {
      await lease.update({ ...current.record, holderIdentity: 'intruder', renewTime: Date.now(), leaseTransitions: current.record.leaseTransitions + 1 }, current.resourceVersion);
      break;
    } catch (err) {
      if (!(err instanceof LeaseConflictError) || attempt >= 20) throw err;
    }
  }
  t.equal(await exitOf(daemons[standby]), 1, 'the replica that lost its Lease exits 1');
  t.match(daemons[standby].output(), /leadership of grpc-demo lost: lease .* is now held by intruder/);
  t.notMatch(daemons[standby].output(), /released lease/, 'it does not release a Lease it no longer holds');
});

function exitOf(cli: CliProcess): Promise<number | null> {
  if (cli.child.exitCode !== null) return Promise.resolve(cli.child.exitCode);
  return new Promise((resolve) => cli.child.once('exit', (code) => resolve(code)));
}
