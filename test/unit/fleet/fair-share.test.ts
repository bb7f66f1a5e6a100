// Fair share: ceil(platforms ÷ live replicas); surplus handed back per a stable per-replica order;
// membership liveness by renewal age.
import t from 'tap';
import { fairShare, isLive, preference, surplus } from '../../../src/fleet/fair-share.js';

t.test('fair share', async (t) => {
  const cases = [
    { platforms: 9, replicas: 3, want: 3, reason: 'nine platforms over three replicas: three each' },
    { platforms: 9, replicas: 2, want: 5, reason: 'rounded up, so every platform has room' },
    { platforms: 9, replicas: 1, want: 9, reason: 'a lone replica takes everything' },
    { platforms: 3, replicas: 5, want: 1, reason: 'more replicas than platforms: one each at most' },
    { platforms: 0, replicas: 3, want: 0, reason: 'no platforms, no share' },
    { platforms: 4, replicas: 0, want: 4, reason: 'a count of zero (this replica not yet seen) counts as one' },
  ];
  for (const c of cases) t.equal(fairShare(c.platforms, c.replicas), c.want, c.reason);
});

t.test('surplus', async (t) => {
  const held = ['a', 'b', 'c', 'd', 'e'];
  t.same(surplus(held, 5, 'r1'), [], 'at the share: nothing to hand back');
  const extra = surplus(held, 3, 'r1');
  t.equal(extra.length, 2, 'exactly the surplus');
  t.same(surplus([...held].reverse(), 3, 'r1'), extra, 'independent of the order held');
  const kept = held.filter((k) => !extra.includes(k));
  t.ok(kept.every((k) => extra.every((x) => preference('r1', k) <= preference('r1', x))), 'the preferred platforms are kept');
  const others = ['r2', 'r3', 'r4', 'r5'].map((r) => surplus(held, 3, r).join());
  t.ok(others.some((o) => o !== extra.join()), 'replicas prefer different platforms (rendezvous hashing)');
});

t.test('membership liveness', async (t) => {
  t.ok(isLive({ holderIdentity: 'r1', renewTime: 1_000, leaseDurationSeconds: 15 }, 15_999), 'renewed within its duration');
  t.notOk(isLive({ holderIdentity: 'r1', renewTime: 1_000, leaseDurationSeconds: 15 }, 16_000), 'expired');
  t.notOk(isLive({ holderIdentity: '', renewTime: 1_000, leaseDurationSeconds: 15 }, 1_000), 'released: gone at once');
});
