// deletionOrder's guarantees beyond its table (deletion-order.test.ts): whatever deleteAfter says,
// even contradictory, the result is every kind exactly once (one linear order, so deletions can
// never wait for each other in a cycle), and a satisfiable deleteAfter is honoured.
import t from 'tap';
import { deletionOrder } from '../../../src/plan/diff.js';

const kinds = ['vpc', 'subnet', 'role', 'cluster', 'nodegroup', 'certificate', 'ingress', 'records'];

t.test('every kind once, for contradictory and self-referencing deleteAfter', async (t) => {
  const cases: { reason: string; after: Record<string, string[]> }[] = [
    { reason: 'mutual', after: { vpc: ['subnet'], subnet: ['vpc'] } },
    { reason: 'a three-cycle', after: { role: ['cluster'], cluster: ['nodegroup'], nodegroup: ['role'] } },
    { reason: 'a kind after itself', after: { ingress: ['ingress'] } },
    { reason: 'everything after everything', after: Object.fromEntries(kinds.map((k) => [k, kinds])) },
  ];
  for (const c of cases) {
    const order = deletionOrder(kinds, (k) => c.after[k] ?? []);
    t.same([...order].sort(), [...kinds].sort(), c.reason);
  }
});

t.test('a chain of deleteAfter is honoured link by link', async (t) => {
  // The certificate goes after the Ingress, and the role after the certificate, though both were created before them.
  const order = deletionOrder(kinds, (k) => ({ certificate: ['ingress'], role: ['certificate'] })[k] ?? []);
  t.ok(order.indexOf('certificate') > order.indexOf('ingress'), order.join(' → '));
  t.ok(order.indexOf('role') > order.indexOf('certificate'), order.join(' → '));
  t.equal(order[0], 'records', 'the last created without deleteAfter still goes first');
  t.equal(order.at(-1), 'vpc', 'the first created still goes last');
});

t.test('no kinds, no order', async (t) => {
  t.same(deletionOrder([], () => ['x']), []);
});
