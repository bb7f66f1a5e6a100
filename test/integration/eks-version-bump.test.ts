// A cluster version bump applies control plane → add-ons → node groups → the add-ons that need
// nodes (coredns), waiting for each.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';

const LAYERS: ('network' | 'iam' | 'eks')[] = ['network', 'iam', 'eks'];

t.test('1.35 → 1.36: control plane, then add-ons, then node groups, then coredns', async (t) => {
  // A small scale so each update really spends time UPDATING and ordering is observable.
  const sb = await startTestSandbox({ timeScale: 1 / 3000 });
  t.teardown(sb.close);
  // Older pins that the bump drops, so a node prerequisite (vpc-cni) and coredns change too.
  const pinned = await referenceSpec((s) => {
    s.cluster!.addons = { ...s.cluster!.addons, 'vpc-cni': { version: 'v1.19.5-eksbuild.1' }, coredns: { version: 'v1.13.2-eksbuild.4' } };
  });
  t.ok((await applyPlatform({ spec: pinned, aws: sb.clients, layers: LAYERS })).ok);

  const bumped = await referenceSpec((s) => { s.cluster!.version = '1.36'; });
  const plan = await planPlatform({ spec: bumped, aws: sb.clients, layers: LAYERS });
  // EKS's defaults: kube-proxy moves to v1.36.0-eksbuild.14, CoreDNS to v1.14.3-eksbuild.3, vpc-cni to v1.19.5-eksbuild.3.
  t.same(plan.plan.changes.map((c) => c.id).sort(), ['eks/addon/coredns', 'eks/addon/kube-proxy', 'eks/addon/vpc-cni', 'eks/cluster', 'eks/nodegroup/default'],
    'the cluster, the add-ons whose version changes, and the node group');
  const mark = sb.aws.callLog.mark();
  const result = await applyPlatform({ spec: bumped, aws: sb.clients, layers: LAYERS, plan });
  t.ok(result.ok, JSON.stringify(result.failed));

  const calls = sb.aws.callLog.since(mark).filter((c) => c.status === 200);
  const addonName = (c: { input: unknown }) => (c.input as { addonName?: string }).addonName;
  const idx = (op: string, addon?: string) => calls.findIndex((c) => c.operation === op && (addon === undefined || addonName(c) === addon));
  const polled = (from: number, to: number, op: string, addon?: string) => calls.slice(from, to).some((c) => c.operation === op && (addon === undefined || addonName(c) === addon));
  const [cluster, nodegroup] = [idx('UpdateClusterVersion'), idx('UpdateNodegroupVersion')];
  const [cni, proxy, dns] = [idx('UpdateAddon', 'vpc-cni'), idx('UpdateAddon', 'kube-proxy'), idx('UpdateAddon', 'coredns')];
  t.ok(cluster >= 0 && cni >= 0 && proxy >= 0 && dns >= 0 && nodegroup >= 0, 'every changed resource was updated');
  t.ok(cluster < Math.min(cni, proxy, nodegroup) && polled(cluster, Math.min(cni, proxy, nodegroup), 'DescribeCluster'),
    'the control plane first, waited for until ACTIVE');
  t.ok(cni < nodegroup && polled(cni, nodegroup, 'DescribeAddon', 'vpc-cni'), 'the add-on nodes need before the node group, waited for');
  t.ok(nodegroup < dns && polled(nodegroup, dns, 'DescribeNodegroup'), 'coredns after the node group, waited for');
  t.same((await planPlatform({ spec: bumped, aws: sb.clients, layers: LAYERS })).plan.changes, [], 'converged on 1.36');
});
