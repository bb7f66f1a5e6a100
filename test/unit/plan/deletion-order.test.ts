// deletionOrder: reverse creation order, with kinds that declare deleteAfter moved behind those kinds.
import t from 'tap';
import { deletionOrder } from '../../../src/plan/diff.js';

const cases: { reason: string; kinds: string[]; after: Record<string, string[]>; want: string[] }[] = [
  { reason: 'without deleteAfter, deletions run in reverse creation order', kinds: ['vpc', 'subnet', 'cluster'], after: {}, want: ['cluster', 'subnet', 'vpc'] },
  { reason: 'a certificate used through the Ingress goes after it, keeping the others in place',
    kinds: ['deployment', 'ingress', 'zone', 'certificate', 'records'], after: { certificate: ['ingress'] },
    want: ['records', 'zone', 'ingress', 'certificate', 'deployment'] },
  { reason: 'kinds moved behind the same kind keep their relative order',
    kinds: ['ingress', 'certificate', 'records', 'alb'], after: { certificate: ['ingress'], alb: ['ingress'] },
    want: ['records', 'ingress', 'alb', 'certificate'] },
  { reason: 'a kind already after the named kinds stays where it is', kinds: ['policy', 'role'], after: { policy: ['role'] }, want: ['role', 'policy'] },
  { reason: 'unknown kinds in deleteAfter are ignored', kinds: ['a', 'b'], after: { b: ['nope'] }, want: ['b', 'a'] },
];

for (const c of cases) {
  t.test(c.reason, async (t) => {
    t.same(deletionOrder(c.kinds, (k) => c.after[k] ?? []), c.want);
  });
}
