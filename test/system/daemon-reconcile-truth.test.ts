// The built daemon on a committed spec that fails to apply (the agent is denied the node group
// update, as an SCP would deny it): the success counter and timestamp stand still across ten
// polls, the retry delays double to their cap, and /status says why with Ready=False.
import t from 'tap';
import { startDaemonWorld } from '../helpers/daemon-world.js';
import { eventually } from '../helpers/cli.js';

t.test('a committed spec that fails to apply', async (t) => {
  const w = await startDaemonWorld(['--poll-interval', '300ms', '--resync-interval', '10m', '--retry-interval', '200ms', '--max-retry-interval', '1600ms']);
  t.teardown(w.close);
  const status = async () => (await (await w.get('/status')).json()) as any;
  const value = async (series: string) => {
    const line = (await w.metric(series.split('{')[0]!)).find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };
  await eventually(async () => (await status()).lastReconcile?.outcome === 'success' || undefined, 90_000, 'first commit converged');
  const converged = await status();
  t.match(converged.conditions.find((c: { type: string }) => c.type === 'Ready'), { status: 'True', reason: 'ReconciliationSucceeded' });

  // The agent may no longer update node groups; the commit asks for exactly that.
  const fault = await fetch(`${w.env.AWS_ENDPOINT_URL}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ kind: 'access-denied', service: 'eks', operation: 'UpdateNodegroupConfig' }) });
  t.equal(fault.status, 200);
  const sha = w.repo.commitSpec((s) => s.replace('desired: 3, max: 6', 'desired: 4, max: 6'), 'scale to 4');
  const failed = await eventually(async () => {
    const s = await status();
    return s.lastAttemptedRevision === `main@sha1:${sha}` && s.lastReconcile?.outcome === 'failure' ? s : undefined;
  }, 30_000, 'the commit failed to apply');
  t.match(failed.lastReconcile.failures, [{ id: 'eks/nodegroup/default', error: /AccessDenied/ }]);
  t.match(failed.conditions, [
    { type: 'Ready', status: 'False', reason: 'ReconciliationFailed', message: /eks\/nodegroup\/default/ },
    { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry' },
    { type: 'Stalled', status: 'False' },
  ]);
  t.equal(failed.lastAppliedRevision, converged.lastAppliedRevision, 'applied revision stays at the converged commit');

  const success = await value('platformd_reconciles_total{outcome="success"}');
  const timestamp = await value('platformd_last_successful_reconcile_timestamp_seconds');
  const fetched = (await value('platformd_source_fetches_total{outcome="success"}'))!;
  await eventually(async () => ((await value('platformd_source_fetches_total{outcome="success"}'))! >= fetched + 10) || undefined, 60_000, 'ten polls');
  t.equal(await value('platformd_reconciles_total{outcome="success"}'), success, 'success counter unchanged across ten polls');
  t.equal(await value('platformd_last_successful_reconcile_timestamp_seconds'), timestamp, 'success timestamp unchanged across ten polls');
  t.equal((await status()).lastReconcile.outcome, 'failure', 'no poll overwrote the failed reconcile');

  const retried = await eventually(async () => {
    const s = await status();
    return (s.retry?.consecutiveFailures ?? 0) >= 6 ? s : undefined;
  }, 60_000, 'six failures in a row');
  const delays = retried.reconciles.filter((r: { revision: string; outcome: string }) => r.revision === `main@sha1:${sha}` && r.outcome === 'failure')
    .map((r: { retryInMs: number }) => r.retryInMs).reverse();
  t.same(delays.slice(0, 6), [200, 400, 800, 1600, 1600, 1600], 'each retry waits twice as long as the one before, up to the cap');
  t.ok((await value('platformd_reconcile_consecutive_failures'))! >= 6);
  t.equal(await value('platformd_reconcile_condition{type="Ready",status="False"}'), 1);
  t.equal(await value('platformd_reconciles_total{outcome="success"}'), success, 'still no success counted');
});
