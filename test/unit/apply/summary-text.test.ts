// What apply prints at its end: an interrupt that left many changes unstarted is one line, not
// one per change; a few skipped and every failure keep a line each. And the reading progress.
import t from 'tap';
import { applySummaryLines } from '../../../src/apply/summary-text.js';
import { readingProgress } from '../../../src/apply/reading-progress.js';

t.test('sixty changes skipped by an interrupt: one line', async (t) => {
  const skipped = Array.from({ length: 60 }, (_, i) => ({ id: `kube/Deployment/default/svc-${i}`, because: 'apply was aborted' }));
  const lines = applySummaryLines({ ok: false, durationMs: 12_400, applied: ['network/vpc'], failed: [{ id: 'eks/cluster', error: 'boom' }], skipped: [...skipped, { id: 'edge/alb/grpc-demo', because: 'needs kube/Ingress/default/grpc-demo' }] });
  t.same(lines, [
    'Apply finished with problems in 12s: 1 applied, 1 failed, 61 skipped.',
    '  failed:  eks/cluster: boom',
    '  skipped: 60 changes (apply was aborted): kube/Deployment/default/svc-0, kube/Deployment/default/svc-1, kube/Deployment/default/svc-2 and 57 more',
    '  skipped: edge/alb/grpc-demo: needs kube/Ingress/default/grpc-demo',
  ]);
});

t.test('reading progress: first and last line always, at most one a second between', async (t) => {
  let clock = 0;
  const reading = readingProgress({ now: () => clock });
  const lines = [reading({ type: 'observe-begin', kinds: 3 })];
  for (const kind of ['a', 'b', 'c']) {
    lines.push(reading({ type: 'observe-start', kind }));
    clock += kind === 'b' ? 1500 : 10;
    lines.push(reading({ type: 'observe-done', kind, count: 1, durationMs: 10 }));
  }
  t.same(lines.filter(Boolean), ['Reading 3 kinds…', 'Reading 3 kinds… 2/3', 'Reading 3 kinds… 3/3']);
  t.equal(reading({ type: 'retry', id: 'x', attempt: 1, delayMs: 1, error: 'e' }), undefined, 'other events are not its business');
});
