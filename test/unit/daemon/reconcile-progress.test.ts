// /status progress from the engine's events: a read counts kinds, each change is in flight from
// its start to its end with the latest progress or retry message, and done, failed, skipped and
// retries are counted; a read after applying starts the kind count again but keeps the changes.
import t from 'tap';
import { newProgress, progressSubscriber } from '../../../src/reconcile-progress.js';
import type { ReconcileProgress } from '../../../src/daemon-status.js';

const AT = new Date('2026-11-30T10:00:00.000Z');

t.test('the status follows a reconcile event by event', async (t) => {
  const holder: { progress?: ReconcileProgress | null } = { progress: null };
  const onEvent = progressSubscriber(holder, () => AT);

  onEvent({ type: 'observe-begin', kinds: 3 });
  onEvent({ type: 'observe-done', kind: 'network/vpc', count: 1, durationMs: 5 });
  t.match(holder.progress, { phase: 'observing', kinds: { observed: 1, total: 3 }, inFlight: [] }, 'a status that was idle starts a progress on the first event');

  onEvent({ type: 'change-start', id: 'eks/cluster', action: '+' });
  onEvent({ type: 'change-start', id: 'iam/role/node', action: '~' });
  onEvent({ type: 'progress', id: 'eks/cluster', message: 'still creating… [10s] (EKS cluster CREATING)', elapsedMs: 10_000 });
  t.match(holder.progress, { phase: 'applying', inFlight: [
    { id: 'eks/cluster', action: '+', startedAt: AT.toISOString(), message: 'still creating… [10s] (EKS cluster CREATING)' },
    { id: 'iam/role/node', action: '~' },
  ] }, 'both changes are in flight; the waiting one says why');

  onEvent({ type: 'retry', id: 'iam/role/node', attempt: 1, delayMs: 200, error: 'update: iam:UpdateAssumeRolePolicy: Throttling' });
  t.equal(holder.progress?.inFlight[1]?.message, 'attempt 1 failed (update: iam:UpdateAssumeRolePolicy: Throttling); retrying');
  onEvent({ type: 'change-failed', id: 'iam/role/node', action: '~', error: 'AccessDenied' });
  onEvent({ type: 'change-skipped', id: 'eks/nodegroup/default', because: 'iam/role/node failed' });
  onEvent({ type: 'change-done', id: 'eks/cluster', action: '+', durationMs: 20_000 });
  t.match(holder.progress, { changes: { done: 1, failed: 1, skipped: 1 }, inFlight: [], retries: 1 }, 'finished changes leave the in-flight list and are counted');

  onEvent({ type: 'observe-begin', kinds: 3 });
  t.match(holder.progress, { phase: 'observing', kinds: { observed: 0, total: 3 }, changes: { done: 1, failed: 1, skipped: 1 } }, 'the read after applying keeps what the apply did');
  t.equal(holder.progress?.updatedAt, AT.toISOString());
});

t.test('a progress message for an id not in flight (a read) changes no change entry', async (t) => {
  const holder = { progress: newProgress(AT) };
  progressSubscriber(holder, () => AT)({ type: 'progress', id: '(engine)', message: 'cluster x exists but is not tagged', elapsedMs: 0 });
  t.same(holder.progress.inFlight, []);
});
