// The Daemon class folds a burst of triggers that arrive while a reconcile runs into exactly one
// more reconcile, run for the strongest trigger of the burst. The source is a stand-in whose
// fetches the test releases one by one (each fails, which records a reconcile without a spec), so
// every wait is on a handled trigger, never on time.
import t from 'tap';
import { Daemon } from '../../../src/daemon.js';
import { createMetrics } from '../../../src/metrics.js';
import type { Revision } from '../../../src/source/git.js';

/** A source whose fetches wait until the test fails them, one at a time. */
function heldSource() {
  const held: { fail: () => void }[] = [];
  let entered: () => void = () => {};
  return {
    fetches: () => held.length,
    /** Resolves once the next fetch has started. */
    nextFetch: () => new Promise<void>((resolve) => { entered = resolve; }),
    failCurrent: () => held.at(-1)!.fail(),
    source: {
      fetch: () => new Promise<Revision>((_resolve, reject) => {
        held.push({ fail: () => reject(new Error('remote hung up')) });
        entered();
      }),
    },
  };
}

t.test('a burst during a reconcile becomes one reconcile, for the burst\'s forcing trigger', async (t) => {
  const metrics = createMetrics('test', 'apply');
  const world = heldSource();
  const hour = 3_600_000;
  const daemon = new Daemon({
    source: world.source, metrics, mode: 'apply', branch: 'main', pollIntervalMs: hour, resyncIntervalMs: hour, backoffMs: hour, maxBackoffMs: hour, log: () => {},
    plan: () => Promise.reject(new Error('not reached: every fetch fails')), apply: () => Promise.reject(new Error('not reached')),
  });
  const firstFetch = world.nextFetch();
  const first = daemon.nextReconcile();
  const stop = daemon.start();
  t.teardown(async () => { await stop(); metrics.close(); });

  await firstFetch;
  for (let i = 0; i < 50; i++) daemon.trigger(i === 20 ? 'manual' : i % 2 ? 'webhook' : 'poll');
  const secondFetch = world.nextFetch();
  world.failCurrent();
  await first;
  const second = daemon.nextReconcile();
  await secondFetch;
  world.failCurrent();
  await second;

  t.equal(world.fetches(), 2, 'the start reconcile and one more for the whole burst');
  t.same(daemon.status.reconciles.map((r) => r.trigger), ['manual', 'start'], 'the burst ran as the manual reconcile it contained');
  t.equal(daemon.status.retry?.consecutiveFailures, 2);
  t.equal(daemon.status.retry?.delayMs, hour, 'the delay is capped');
});
