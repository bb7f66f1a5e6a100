// Three daemons (built CLI) share a fleet of nine platforms from one repository on one sandbox,
// Leases on its management cluster: every platform converges and is probed by exactly one
// replica, each replica holding two to four Leases; kill -9 of one replica: its platforms are
// taken over and converge on the next commit, and the sandbox's call log shows no two replicas
// mutating one platform in interleaved windows; one platform's spec broken: the eight others
// converge on that commit and the broken one reports line:column in its own /status.
import t from 'tap';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, eventually, type CliProcess } from '../helpers/cli.js';
import { createTestRepo } from '../helpers/git-repo.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/world.js';
import { kubeLeaseStore, loadKubeConfig } from '../../src/leader/lease-store.js';

interface Condition { type: string; status: string }
interface PlatformStatus {
  platform: string; standby?: boolean; conditions?: Condition[]; lastAppliedRevision?: string | null; probes?: unknown[];
  spec?: { valid: boolean; diagnostics: { line: number; column: number; summary: string }[] };
}
interface CallRecord { seq: number; operation: string; platform?: string; replica?: string }

const PLATFORMS = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'];
const REPLICAS = ['replica-a', 'replica-b', 'replica-c'] as const;
type Replica = (typeof REPLICAS)[number];

// About a minute on two loaded cores; the bound only catches a hang.
// Nine platforms on one sandbox beside the rest of the suite: the waits below only bound a hang.
t.setTimeout(900_000);

t.test('three replicas share nine platforms', async (t) => {
  const repo = createTestRepo();
  t.teardown(() => repo.remove());
  const reference = readFileSync(join(repo.dir, 'specs', 'platform.yaml'), 'utf8');
  const specOf = (key: string, cluster: string) => reference.replace(/^  name: grpc-demo$/m, `  name: fleet-${key}`).replace(/^  name: grpc-demo$/m, `  name: ${cluster}`);
  repo.commit((dir) => {
    for (const key of PLATFORMS) {
      mkdirSync(join(dir, 'platforms', key), { recursive: true });
      writeFileSync(join(dir, 'platforms', key, 'platform.yaml'), specOf(key, `cluster-${key}`));
    }
  }, 'nine platforms');
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'platformd-fleet-')), 'management.kubeconfig');
  const sandbox = startCli(['sandbox', '--port', '0', '--time-scale', '0', '--management-kubeconfig', kubeconfig]);
  t.teardown(() => sandbox.stop());
  const endpoint = (await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000))[1]!;
  await sandbox.waitFor(/management cluster for platformd's own Leases/, 60_000);
  const env = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', ...SANDBOX_CREDENTIALS };
  const replica = (id: Replica): CliProcess => startCli(['run', '--repo', repo.dir, '--path', 'platforms/*/platform.yaml', '--listen', '127.0.0.1:0', '--layers', 'network',
    '--poll-interval', '1s', '--workdir', mkdtempSync(join(tmpdir(), 'platformd-work-')), '--instance-id', id,
    '--leader-elect', '--lease-kubeconfig', kubeconfig, '--lease-duration', '10s', '--renew-deadline', '6s', '--retry-period', '1s'], env);
  const daemons = Object.fromEntries(REPLICAS.map((id) => [id, replica(id)])) as Record<Replica, CliProcess>;
  // A replica killed by a signal has exited already: stop() would wait for an exit that happened.
  t.teardown(() => Promise.all(REPLICAS.filter((id) => daemons[id].child.signalCode === null).map((id) => daemons[id].stop())));
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const urls = {} as Record<Replica, string>;
  for (const id of REPLICAS) urls[id] = (await daemons[id].waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000))[1]!;
  const statusOf = async (id: Replica, key: string) => (await (await fetch(`${urls[id]}/status?platform=${key}`)).json()) as PlatformStatus;
  const leases = kubeLeaseStore.bind(null, loadKubeConfig(kubeconfig), 'default');
  const holders = async () => Object.fromEntries(await Promise.all(PLATFORMS.map(async (key) => [key, (await leases(`platformd-${key}`).get())?.record.holderIdentity ?? ''] as const)));
  const ready = (s: PlatformStatus) => s.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

  /** Every platform worked on by exactly one of `alive` (the Lease holder), Ready at `sha`; returns who works on what. */
  // What kept the last check from passing, named in the failure (a hang bound, not a timing claim).
  let notYet = '';
  const converged = (alive: readonly Replica[], sha: string, skip: string[] = []) => eventually(async () => {
    const owner: Record<string, Replica> = {};
    const held = await holders();
    for (const key of PLATFORMS.filter((k) => !skip.includes(k))) {
      const working = [] as Replica[];
      for (const id of alive) {
        const s = await statusOf(id, key);
        if (!s.standby) working.push(id);
        if (!s.standby && !(ready(s) && s.lastAppliedRevision?.endsWith(sha) && (s.probes ?? []).length > 0)) {
          notYet = `${key} on ${id}: ready=${ready(s)} applied=${s.lastAppliedRevision ?? 'none'} probes=${(s.probes ?? []).length} ${JSON.stringify(s.conditions ?? []).slice(0, 400)}`;
          return undefined;
        }
      }
      if (working.length !== 1 || held[key] !== working[0]) {
        notYet = `${key}: working on it ${JSON.stringify(working)}, Lease held by ${held[key] || 'nobody'}`;
        return undefined;
      }
      owner[key] = working[0]!;
    }
    return owner;
  }, 240_000, `every platform converged at ${sha.slice(0, 8)} and probed by exactly one of ${alive.join(', ')}`).catch((err: Error) => {
    throw new Error(`${err.message} (last check: ${notYet})`);
  });

  const first = await converged(REPLICAS, repo.head());
  t.comment(`converged after ${elapsed()}`);
  t.pass('all nine platforms converged, each reconciled and probed by exactly one replica, the holder of its Lease');
  const perReplica = (owner: Record<string, Replica>, id: Replica) => Object.values(owner).filter((o) => o === id).length;
  const counts = REPLICAS.map((id) => perReplica(first, id));
  t.comment(`Leases per replica: ${REPLICAS.map((id, i) => `${id} ${counts[i]}`).join(', ')}`);
  t.ok(counts.every((n) => n >= 2 && n <= 4), 'each replica holds two to four Leases');
  const metrics = await (await fetch(`${urls['replica-a']}/metrics`)).text();
  t.match(metrics, /platformd_reconciles_total\{outcome="success",platform="p\d"\} [1-9]/, 'per-platform series carry the platform label');
  t.equal((metrics.match(/^# TYPE platformd_reconciles_total /gm) ?? []).length, 1, 'one metric family, many platforms');
  const fleetStatus = (await (await fetch(`${urls['replica-a']}/status`)).json()) as { platforms: { platform: string }[] };
  t.same(fleetStatus.platforms.map((p) => p.platform), PLATFORMS, '/status lists the platforms');
  const owner = first.p1!;
  const plan = await fetch(`${urls[owner]}/plan/p1?format=json`);
  t.equal(plan.status, 200, `/plan/p1 on ${owner}, which works on p1`);
  t.match(await plan.json(), { platform: 'p1', changes: [] }, 'the converged platform plans no change');
  const elsewhere = await fetch(`${urls[REPLICAS.find((id) => id !== owner)!]}/plan/p1`);
  t.match({ status: elsewhere.status, body: await elsewhere.json() }, { status: 503, body: { error: { code: 'not_leader', details: { leader: { holderIdentity: owner } } } } }, 'another replica names the one working on p1');

  // kill -9: no release; the survivors take the victim's platforms once its Leases expire, and
  // converge on a commit that changes every platform (subnet tags follow the cluster name).
  const victim: Replica = 'replica-c';
  daemons[victim].child.kill('SIGKILL');
  await new Promise((resolve) => (daemons[victim].child.signalCode !== null ? resolve(undefined) : daemons[victim].child.once('exit', resolve)));
  const survivors: Replica[] = REPLICAS.filter((id) => id !== victim);
  const changed = repo.commit((dir) => {
    for (const key of PLATFORMS) writeFileSync(join(dir, 'platforms', key, 'platform.yaml'), specOf(key, `renamed-${key}`));
  }, 'every platform: new cluster name');
  const second = await converged(survivors, changed);
  t.comment(`taken over and converged after ${elapsed()}`);
  t.ok(PLATFORMS.filter((k) => first[k] === victim).every((k) => survivors.includes(second[k]!)), `the platforms of ${victim} were taken over and converged`);
  t.ok(survivors.every((id) => perReplica(second, id) <= 5), 'no survivor above its fair share (ceil(9/2) = 5)');

  const calls = (await (await fetch(`${endpoint}/_sandbox/calls`)).json()) as CallRecord[];
  const mutating = calls.filter((c) => c.platform && !/^(Describe|List|Get|Head|Lookup|Search)/.test(c.operation));
  t.ok(mutating.length > 0 && mutating.every((c) => c.replica), 'every mutating call names its platform and replica');
  for (const key of PLATFORMS) {
    const runs: string[] = [];
    for (const c of mutating.filter((m) => m.platform === `fleet-${key}` || m.platform === key).sort((a, b) => a.seq - b.seq)) if (runs.at(-1) !== c.replica) runs.push(c.replica!);
    t.equal(new Set(runs).size, runs.length, `${key}: mutated by ${runs.join(' then ') || 'nobody'}, never two replicas in interleaved windows`);
  }

  // One platform broken: the others converge on the same commit; it reports where, in its own /status.
  const broken = repo.commit((dir) => writeFileSync(join(dir, 'platforms', 'p9', 'platform.yaml'), specOf('p9', 'renamed-p9').replace('cidr: 10.0.0.0/16', 'cidr: not-a-cidr')), 'p9: broken');
  await converged(survivors, broken, ['p9']);
  t.comment(`converged past the broken spec after ${elapsed()}`);
  t.pass('the eight other platforms converged on the commit that broke p9');
  const p9 = await eventually(async () => {
    for (const id of survivors) {
      const s = await statusOf(id, 'p9');
      if (!s.standby && s.spec && !s.spec.valid) return s;
    }
    return undefined;
  }, 60_000, 'p9 reports its invalid spec');
  const where = p9.spec!.diagnostics[0]!;
  t.ok(where.line > 1 && where.column > 0, `p9's /status names line ${where.line}, column ${where.column}: ${where.summary}`);
  t.ok(ready(await statusOf(second.p1!, 'p1')), 'p1 still Ready');

  // The glob follows the commits: a platform removed stops (its Lease released), one added starts.
  const moved = repo.commit((dir) => {
    rmSync(join(dir, 'platforms', 'p9'), { recursive: true });
    mkdirSync(join(dir, 'platforms', 'p10'));
    writeFileSync(join(dir, 'platforms', 'p10', 'platform.yaml'), specOf('p10', 'cluster-p10'));
  }, 'p9 retired, p10 added');
  const listed = (id: Replica) => fetch(`${urls[id]}/status`).then(async (r) => ((await r.json()) as { platforms: { platform: string }[] }).platforms.map((p) => p.platform));
  await eventually(async () => {
    for (const id of survivors) if ((await listed(id)).join() !== [...PLATFORMS.slice(0, 8), 'p10'].sort().join()) return undefined;
    return true;
  }, 60_000, 'both survivors follow the new glob');
  const p10 = await eventually(async () => {
    const working: PlatformStatus[] = [];
    for (const id of survivors) {
      const s = await statusOf(id, 'p10');
      if (!s.standby) working.push(s);
    }
    notYet = `p10 worked on by ${working.length} survivor(s): ${working.map((w) => `ready=${ready(w)} applied=${w.lastAppliedRevision ?? 'none'} ${JSON.stringify(w.conditions ?? []).slice(0, 300)}`).join('; ')}; Lease held by ${(await leases('platformd-p10').get())?.record.holderIdentity || 'nobody'}`;
    return working.length === 1 && ready(working[0]!) && working[0]!.lastAppliedRevision?.endsWith(moved) ? working[0] : undefined;
  }, 240_000, 'p10 converged by exactly one survivor').catch((err: Error) => {
    throw new Error(`${err.message} (last check: ${notYet})`);
  });
  t.ok(p10, 'the added platform converged');
  t.equal((await leases('platformd-p9').get())?.record.holderIdentity, '', 'the retired platform\'s Lease was released');
});
