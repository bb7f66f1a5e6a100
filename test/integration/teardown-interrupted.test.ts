// A teardown interrupted at three points (the Ingress going, the node group DELETING, the cluster
// DELETING) and run again each time still reaches zero owned resources, and the next plan is empty.
import t from 'tap';
import { convergedPlatform } from '../helpers/platform.js';
import { leftovers, teardownSpec } from '../helpers/teardown.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';

t.test('teardown interrupted three times, then rerun, leaves nothing', async (t) => {
  const { sb, opts } = await convergedPlatform(t);
  // Lifecycles take time now (a node group deletes in seconds), so an interruption lands mid-way.
  sb.clock.scale = 1 / 300;
  const spec = teardownSpec(opts.spec);
  const teardown = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };

  for (const point of ['kube/Ingress/default/grpc-demo', 'eks/nodegroup/default', 'eks/cluster']) {
    const stop = new AbortController();
    const started: string[] = [];
    const result = await applyPlatform({ ...teardown, signal: stop.signal, onEvent: (e) => {
      if (e.type !== 'change-start') return;
      started.push(e.id);
      // Shortly after the delete call went out: the object is on its way, the run is cut off.
      if (e.id === point) setTimeout(() => stop.abort(new Error(`interrupted at ${point}`)), 100);
    } });
    t.ok(started.includes(point) || result.ok, `the run reached ${point} (or had nothing left to do there)`);
    if (!result.ok) t.ok(stop.signal.aborted, `interrupted at ${point}: ${result.applied.length} applied, ${result.failed.length} failed, ${result.skipped.length} skipped`);
  }

  const final = await applyPlatform({ ...teardown, signal: AbortSignal.timeout(180_000) });
  t.same(final.failed, [], 'the rerun fails nothing');
  t.ok(final.ok, 'the rerun completes the teardown');
  const after = await leftovers(sb.clients, opts.spec.metadata.name);
  t.same(after, Object.fromEntries(Object.keys(after).map((k) => [k, 0])), 'nothing owned is left in any emulated service');
  t.same((await planPlatform(teardown)).plan.changes, [], 'the next plan is empty');
});
