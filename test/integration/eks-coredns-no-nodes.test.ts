// With no Ready nodes (the only node group scaled to zero) EKS keeps coredns CREATING, then
// reports it DEGRADED with InsufficientNumberOfReplicas; the apply fails on coredns with that
// health issue, everything else converges, and coredns recovers once nodes join.
import t from 'tap';
import { DescribeAddonCommand } from '@aws-sdk/client-eks';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { progressLine } from '../../src/apply/progress-text.js';
import type { ApplyEvent } from '../../src/apply/events.js';

const LAYERS: ('network' | 'iam' | 'eks')[] = ['network', 'iam', 'eks'];
const DEADLINE_MS = 120_000;

t.test('coredns without Ready nodes: CREATING, then DEGRADED, reported with its health issue', async (t) => {
  // 1/200: EKS's 20 minutes without nodes take 6 s here, a window the status polls below cannot miss.
  const sb = await startTestSandbox({ timeScale: 1 / 200 });
  t.teardown(sb.close);
  const spec = await referenceSpec((s) => { s.cluster!.nodeGroups[0]!.scaling = { min: 0, desired: 0, max: 2 }; });

  // What EKS itself says about coredns while the apply runs, polled until it is DEGRADED.
  const seen: string[] = [];
  let degradedSeenAt = 0;
  const watch = (async () => {
    const until = Date.now() + DEADLINE_MS;
    while (Date.now() < until && seen.at(-1) !== 'DEGRADED') {
      try {
        const status = (await sb.clients.eks.send(new DescribeAddonCommand({ clusterName: 'grpc-demo', addonName: 'coredns' }))).addon!.status!;
        if (seen.at(-1) !== status) seen.push(status);
        if (status === 'DEGRADED') degradedSeenAt = Date.now();
      } catch { /* not created yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const events: ApplyEvent[] = [];
  const result = await applyPlatform({ spec, aws: sb.clients, layers: LAYERS, onEvent: (e) => events.push(e) });
  await watch;

  t.same(seen, ['CREATING', 'DEGRADED'], 'EKS kept coredns CREATING, then marked it DEGRADED');
  // Not at once: only after EKS's 20 minutes (6 s on this clock) from CreateAddon. A lower bound
  // the emulator guarantees, not a race.
  const created = sb.aws.callLog.all().find((c) => c.operation === 'CreateAddon' && (c.input as { addonName?: string }).addonName === 'coredns');
  t.ok(created && degradedSeenAt - created.at >= 20 * 60_000 / 200 - 100, `DEGRADED ${degradedSeenAt - (created?.at ?? 0)} ms after CreateAddon`);
  t.same(result.failed.map((f) => f.id), ['eks/addon/coredns'], 'only coredns failed');
  t.match(result.failed[0]?.error, /add-on coredns DEGRADED: InsufficientNumberOfReplicas: The add-on is unhealthy/, 'the result names the health issue');
  const failedLine = events.filter((e) => e.type === 'change-failed').map((e) => progressLine(e));
  t.match(failedLine, [/eks\/addon\/coredns: FAILED: .*DEGRADED: InsufficientNumberOfReplicas/], 'so does the progress line');
  t.ok(result.applied.includes('eks/nodegroup/default'), 'the node group (no nodes) was created first');

  // Nodes join: EKS brings coredns back to ACTIVE by itself (the add-on is in sync, nothing to apply to it).
  const scaled = await referenceSpec((s) => { s.cluster!.nodeGroups[0]!.scaling = { min: 1, desired: 2, max: 2 }; });
  const again = await applyPlatform({ spec: scaled, aws: sb.clients, layers: LAYERS });
  t.ok(again.ok, JSON.stringify(again.failed));
  let status = '';
  for (const until = Date.now() + DEADLINE_MS; Date.now() < until && status !== 'ACTIVE'; await new Promise((r) => setTimeout(r, 100))) {
    status = (await sb.clients.eks.send(new DescribeAddonCommand({ clusterName: 'grpc-demo', addonName: 'coredns' }))).addon!.status!;
  }
  t.equal(status, 'ACTIVE', 'coredns recovered once nodes joined');
  t.same((await planPlatform({ spec: scaled, aws: sb.clients, layers: LAYERS })).plan.changes, [], 'converged');
});
