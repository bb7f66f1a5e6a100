// Leader election against an in-memory Lease with client-go's rules and a hand-driven clock:
// acquisition of a free / expired / released Lease, optimistic concurrency deciding a race, and
// fencing that turns false the instant the renew deadline passes without a renewal.
import t from 'tap';
import { LeaderElector, timingProblem, DEFAULT_TIMING } from '../../../src/leader/elector.js';
import { LeaseConflictError, microTime, type LeaseRecord, type LeaseStore, type ObservedLease } from '../../../src/leader/lease-store.js';

/** One Lease with resourceVersion checks like the API server's (409 on a stale version). */
function memoryLease(): LeaseStore & { current?: ObservedLease; failing: boolean } {
  let rv = 0;
  const store = {
    describe: 'test/lease',
    current: undefined as ObservedLease | undefined,
    failing: false,
    async get() {
      if (store.failing) throw new Error('503 ServiceUnavailable');
      return store.current && structuredClone(store.current);
    },
    async create(record: LeaseRecord) {
      if (store.failing) throw new Error('503 ServiceUnavailable');
      if (store.current) throw new LeaseConflictError('already exists');
      store.current = { record: { ...record }, resourceVersion: String(++rv) };
      return structuredClone(store.current);
    },
    async update(record: LeaseRecord, resourceVersion: string) {
      if (store.failing) throw new Error('503 ServiceUnavailable');
      if (store.current?.resourceVersion !== resourceVersion) throw new LeaseConflictError('the object has been modified');
      store.current = { record: { ...record }, resourceVersion: String(++rv) };
      return structuredClone(store.current);
    },
  };
  return store;
}

t.test('client-go defaults and config checks', async (t) => {
  t.same(DEFAULT_TIMING, { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
  t.match(timingProblem({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }), /greater than the renew deadline/);
  t.match(timingProblem({ leaseDurationMs: 15_000, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }), /1.2/);
  t.equal(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02T03:04:05.678000Z', 'MicroTime has six fractional digits');
});

t.test('the first candidate takes a missing Lease; the second waits while it is renewed, takes it once it lapses', async (t) => {
  let now = 1_000_000;
  const store = memoryLease();
  const a = new LeaderElector({ store, identity: 'a', now: () => now });
  const b = new LeaderElector({ store, identity: 'b', now: () => now });
  t.ok(await a.tryAcquireOrRenew(), 'a creates the Lease');
  t.same({ holder: store.current?.record.holderIdentity, transitions: store.current?.record.leaseTransitions, duration: store.current?.record.leaseDurationSeconds }, { holder: 'a', transitions: 0, duration: 15 });
  t.notOk(await b.tryAcquireOrRenew(), 'b sees a valid holder');
  t.equal(b.leader()?.holderIdentity, 'a');
  now += 14_000;
  t.notOk(await b.tryAcquireOrRenew(), 'b: 14 s since it first saw the record: not expired yet (judged on b\'s own clock)');
  t.ok(a.isLeader() === false, 'a did not renew for 14 s: past its 10 s renew deadline, so it is fenced');
  now += 1_001;
  t.ok(await b.tryAcquireOrRenew(), 'b takes over after the lease duration');
  t.same({ holder: store.current?.record.holderIdentity, transitions: store.current?.record.leaseTransitions }, { holder: 'b', transitions: 1 });
  t.notOk(await a.tryAcquireOrRenew(), 'a now sees b');
});

t.test('renewing keeps acquireTime and transitions; release lets the next candidate in at once', async (t) => {
  let now = 5_000_000;
  const store = memoryLease();
  const a = new LeaderElector({ store, identity: 'a', now: () => now });
  const b = new LeaderElector({ store, identity: 'b', now: () => now });
  await a.tryAcquireOrRenew();
  const acquired = store.current!.record.acquireTime;
  now += 2_000;
  t.ok(await a.tryAcquireOrRenew());
  t.equal(store.current!.record.acquireTime, acquired);
  t.equal(store.current!.record.renewTime, now);
  t.notOk(await b.tryAcquireOrRenew());
  t.ok(await a.release());
  t.same({ holder: store.current!.record.holderIdentity, duration: store.current!.record.leaseDurationSeconds }, { holder: '', duration: 1 }, 'ReleaseOnCancel: holder cleared, duration 1 s');
  t.notOk(a.isLeader());
  t.ok(await b.tryAcquireOrRenew(), 'b takes a released Lease without waiting');
});

t.test('a stale resourceVersion loses the race: exactly one of two simultaneous takeovers wins', async (t) => {
  const now = 9_000_000;
  const store = memoryLease();
  store.current = { record: { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: 0, renewTime: 0, leaseTransitions: 3 }, resourceVersion: '7' };
  const a = new LeaderElector({ store, identity: 'a', now: () => now });
  const b = new LeaderElector({ store, identity: 'b', now: () => now });
  const results = await Promise.all([a.tryAcquireOrRenew(), b.tryAcquireOrRenew()]);
  t.equal(results.filter(Boolean).length, 1, 'one 409 Conflict, one winner');
  t.equal(store.current.record.leaseTransitions, 4);
});

t.test('fencing: isLeader turns false the moment the renew deadline passes, from the last renewal sent, with no timer involved', async (t) => {
  let now = 20_000_000;
  const store = memoryLease();
  const stopped: string[] = [];
  const a = new LeaderElector({ store, identity: 'a', now: () => now, onStoppedLeading: (why) => stopped.push(why) });
  await a.tryAcquireOrRenew();
  const sentAt = now;
  store.failing = true; // renewals blocked
  now += 2_000;
  await t.rejects(a.tryAcquireOrRenew());
  t.ok(a.isLeader(), 'still within the deadline');
  t.doesNotThrow(() => a.assertLeader());
  now = sentAt + 9_999;
  t.ok(a.isLeader(), '1 ms before the deadline');
  now = sentAt + 10_000;
  t.notOk(a.isLeader(), 'at the deadline: fenced');
  t.throws(() => a.assertLeader(), { code: 'PLATFORMD_NOT_LEADER' });
  t.same(stopped, [], 'no timer has fired (the fake clock moved, not real time): fencing does not wait for one');
});

t.test('a holder whose Lease another identity took over stops leading at its next attempt', async (t) => {
  let now = 30_000_000;
  const store = memoryLease();
  const stopped: string[] = [];
  const a = new LeaderElector({ store, identity: 'a', now: () => now, onStoppedLeading: (why) => stopped.push(why) });
  await a.tryAcquireOrRenew();
  store.current = { record: { ...store.current!.record, holderIdentity: 'intruder', renewTime: now }, resourceVersion: '99' };
  now += 2_000;
  const ac = new AbortController();
  const run = a.run(ac.signal, async () => { ac.abort(); });
  await run;
  t.notOk(a.isLeader());
  t.match(stopped[0], /held by intruder/);
  t.equal(store.current.record.holderIdentity, 'intruder', 'a does not release what it no longer holds');
});
