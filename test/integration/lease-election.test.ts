// Leases on the sandbox's management cluster over real HTTPS with a kubeconfig: the API server's
// optimistic concurrency (a stale resourceVersion gets 409 Conflict as a Status; a Lease update
// without one is Invalid), the static token, and an elector whose renewals are refused by fault
// injection giving leadership up by its renew deadline.
import t from 'tap';
import { request } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { SandboxCa } from '../../src/sandbox/ca.js';
import { startManagementCluster } from '../../src/sandbox/management-cluster.js';
import { kubeLeaseStore } from '../../src/leader/lease-store.js';
import { LeaderElector } from '../../src/leader/elector.js';

async function raw(kc: KubeConfig, method: string, path: string, body?: unknown): Promise<{ code: number; body: Record<string, unknown> }> {
  const opts: Parameters<typeof request>[1] = { method, headers: { 'content-type': 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, kc.getCurrentCluster()!.server), opts, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

t.test('Leases on the management cluster', async (t) => {
  const ca = await SandboxCa.create();
  const cluster = await startManagementCluster(ca);
  t.teardown(() => cluster.close());
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig());
  const path = '/apis/coordination.k8s.io/v1/namespaces/default/leases';

  t.test('a wrong token is refused', async (t) => {
    const bad = new KubeConfig();
    bad.loadFromString(cluster.kubeconfig().replace(cluster.token, 'not-the-token'));
    t.equal((await raw(bad, 'GET', path)).code, 401);
  });

  t.test('a stale resourceVersion is a 409 Conflict Status; no resourceVersion is Invalid', async (t) => {
    const created = await raw(kc, 'POST', path, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'occ' }, spec: { holderIdentity: 'a' } });
    t.equal(created.code, 201);
    const rv = (created.body.metadata as { resourceVersion: string }).resourceVersion;
    const first = await raw(kc, 'PUT', `${path}/occ`, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'occ', resourceVersion: rv }, spec: { holderIdentity: 'b' } });
    t.equal(first.code, 200);
    const stale = await raw(kc, 'PUT', `${path}/occ`, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'occ', resourceVersion: rv }, spec: { holderIdentity: 'c' } });
    t.match(stale, { code: 409, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', code: 409,
      message: 'Operation cannot be fulfilled on leases.coordination.k8s.io "occ": the object has been modified; please apply your changes to the latest version and try again' } });
    const unconditional = await raw(kc, 'PUT', `${path}/occ`, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'occ' }, spec: { holderIdentity: 'd' } });
    t.match(unconditional, { code: 422, body: { reason: 'Invalid' } });
  });

  t.test('Lease times are MicroTime: milliseconds are a 400 decode error', async (t) => {
    const res = await raw(kc, 'POST', path, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'millis' }, spec: { holderIdentity: 'a', renewTime: '2026-01-02T03:04:05.678Z' } });
    t.match(res, { code: 400, body: { reason: 'BadRequest',
      message: 'Lease in version "v1" cannot be handled as a Lease: parsing time "2026-01-02T03:04:05.678Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".678Z" as ".000000"' } });
    t.equal((await raw(kc, 'POST', path, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'micros' }, spec: { renewTime: '2026-01-02T03:04:05.678000Z' } })).code, 201);
  });

  t.test('two electors through the kubeconfig: one leads, the other names it; release hands over', async (t) => {
    const store = kubeLeaseStore(kc, 'default', 'platformd-demo');
    const a = new LeaderElector({ store, identity: 'replica-a' });
    const b = new LeaderElector({ store, identity: 'replica-b' });
    t.ok(await a.tryAcquireOrRenew());
    t.notOk(await b.tryAcquireOrRenew());
    t.equal(b.leader()?.holderIdentity, 'replica-a');
    const lease = cluster.store.get(cluster.store.resource('coordination.k8s.io/v1', 'Lease')!, 'default', 'platformd-demo');
    t.match(lease.spec, { holderIdentity: 'replica-a', leaseDurationSeconds: 15, leaseTransitions: 0, renewTime: /\.\d{6}Z$/ });
    t.ok(await a.release());
    t.ok(await b.tryAcquireOrRenew(), 'b takes the released Lease at once');
    t.equal(cluster.store.get(cluster.store.resource('coordination.k8s.io/v1', 'Lease')!, 'default', 'platformd-demo').spec?.leaseTransitions, 1);
  });

  t.test('renewals refused by fault injection: the leader is fenced by its renew deadline', async (t) => {
    const store = kubeLeaseStore(kc, 'default', 'fenced');
    const lost: number[] = [];
    const a = new LeaderElector({ store, identity: 'replica-a', leaseDurationMs: 3_000, renewDeadlineMs: 1_500, retryPeriodMs: 200, onStoppedLeading: () => lost.push(Date.now()) });
    const ac = new AbortController();
    const running = a.run(ac.signal);
    for (const deadline = Date.now() + 20_000; !a.isLeader() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    t.ok(a.isLeader(), 'leads');
    const blockedAt = Date.now();
    cluster.server.fault = ({ path }) => path.includes('/leases/fenced') ? { code: 503, reason: 'ServiceUnavailable', message: 'injected: lease API unavailable' } : undefined;
    for (const deadline = Date.now() + 20_000; a.isLeader() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 5));
    const fencedAfter = Date.now() - blockedAt;
    t.notOk(a.isLeader(), `fenced ${fencedAfter} ms after renewals were blocked (deadline 1500 ms from the last renewal sent)`);
    for (const deadline = Date.now() + 20_000; lost.length === 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    t.equal(lost.length, 1, 'onStoppedLeading called');
    cluster.server.fault = undefined;
    ac.abort();
    await running;
  });
});
