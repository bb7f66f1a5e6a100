// The pieces that keep platforms independent and replicas from over-taking: the apply semaphore
// (bounded, FIFO, abortable while queued), the shared source (one fetch for many platforms, each
// new commit announced once, without waiting on the announcement), the gated Lease store
// (acquisitions need admission, renewals and releases never do), and the caller headers.
import t from 'tap';
import { Semaphore } from '../../../src/semaphore.js';
import { SharedSource } from '../../../src/fleet/shared-source.js';
import { gatedLeaseStore } from '../../../src/fleet/gated-store.js';
import { type LeaseRecord, type LeaseStore, type ObservedLease } from '../../../src/leader/lease-store.js';
import { callerHeaders, currentCallContext, withCallContext } from '../../../src/cloud/call-context.js';
import type { Revision } from '../../../src/source/git.js';

t.test('semaphore', async (t) => {
  const s = new Semaphore(2);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  const job = (i: number) => s.run(async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5));
    order.push(i);
    running--;
  });
  await Promise.all([0, 1, 2, 3, 4].map(job));
  t.equal(peak, 2, 'never more than the limit at once');
  t.same(order.slice(2), [2, 3, 4], 'waiters run in arrival order');
  const blocker = s.run(() => new Promise((r) => setTimeout(r, 20)));
  const blocker2 = s.run(() => new Promise((r) => setTimeout(r, 20)));
  const abort = new AbortController();
  const queued = s.run(async () => 'ran', abort.signal);
  abort.abort(new Error('platform stopped'));
  await t.rejects(queued, /platform stopped/, 'a queued apply of a stopped platform leaves the queue');
  await Promise.all([blocker, blocker2]);
  t.equal(s.inUse, 0, 'every slot released');
});

t.test('shared source', async (t) => {
  let fetches = 0;
  let sha = 'a';
  const announced: string[] = [];
  let release = () => {};
  const source = new SharedSource({
    fetch: async () => { fetches++; await new Promise((r) => setTimeout(r, 5)); return { sha, treeDir: '/tree', specRel: 'glob', snapshotsDir: '/snap' } as Revision; },
    reuseForMs: 50,
    onCommit: (rev) => new Promise<void>((resolve) => { announced.push(rev.sha); release = resolve; }),
  });
  const revs = await Promise.all(['p/a.yaml', 'p/b.yaml', 'p/c.yaml'].map((p) => source.forPlatform(p).fetch()));
  t.equal(fetches, 1, 'three platforms polling together: one git fetch');
  t.same(revs.map((r) => r.specRel), ['p/a.yaml', 'p/b.yaml', 'p/c.yaml'], 'each platform reads its own spec path');
  // Each Daemon prunes the protos snapshots its spec in force does not use: in one shared directory
  // a platform would delete the snapshot another platform's last good spec plans and probes with.
  t.equal(new Set(revs.map((r) => r.snapshotsDir)).size, 3, 'each platform keeps its protos snapshots apart');
  t.ok(revs.every((r) => r.snapshotsDir.startsWith('/snap/')), 'under the clone\'s snapshots directory');
  await source.fetch();
  t.equal(fetches, 1, 'a fetch just made is reused');
  t.same(announced, ['a'], 'the new commit announced; the fetch did not wait for the announcement to finish');
  release();
  await new Promise((r) => setTimeout(r, 60));
  await source.fetch();
  t.same(announced, ['a'], 'the same commit again: not announced again');
  sha = 'b';
  await new Promise((r) => setTimeout(r, 60));
  await source.fetch();
  await new Promise((r) => setImmediate(r));
  t.same(announced, ['a', 'b'], 'a moved branch is announced');
});

t.test('gated lease store', async (t) => {
  let rv = 0;
  let current: ObservedLease | undefined;
  const inner: LeaseStore = {
    describe: 'ns/platformd-x',
    get: async () => current,
    create: async (record) => (current = { record, resourceVersion: String(++rv) }),
    update: async (record) => (current = { record, resourceVersion: String(++rv) }),
  };
  let admit = false;
  let admissions = 0;
  const store = gatedLeaseStore(inner, 'me', () => (admit ? (admissions++, () => {}) : undefined));
  const rec = (holderIdentity: string): LeaseRecord => ({ holderIdentity, leaseDurationSeconds: 15, acquireTime: 0, renewTime: 0, leaseTransitions: 0 });
  await store.get();
  await t.rejects(store.create(rec('me')), { code: 'PLATFORMD_LEASE_CONFLICT' }, 'over the share: creating (acquiring) is refused as a lost race');
  admit = true;
  await store.create(rec('me'));
  t.equal(admissions, 1, 'an admitted acquisition');
  admit = false;
  await store.get();
  await store.update(rec('me'), current!.resourceVersion);
  t.equal(current?.record.holderIdentity, 'me', 'a renewal needs no admission');
  await store.update(rec(''), current!.resourceVersion);
  t.equal(current?.record.holderIdentity, '', 'a release needs no admission');
  await store.get();
  await t.rejects(store.update(rec('me'), current!.resourceVersion), { code: 'PLATFORMD_LEASE_CONFLICT' }, 'taking a released Lease over the share is refused');
});

t.test('caller headers', async (t) => {
  t.same(callerHeaders({}), {}, 'no context: no headers');
  await withCallContext({ platform: 'team-a', replica: 'pod 1\n' }, async () => {
    await new Promise((r) => setTimeout(r, 1));
    t.equal(currentCallContext().platform, 'team-a', 'the context survives awaits and timers');
    t.same(callerHeaders(), { 'x-platformd-platform': 'team-a', 'x-platformd-replica': 'pod_1_' }, 'header-safe values');
  });
});
