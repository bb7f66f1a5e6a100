// A cluster version bump applies control plane → add-ons → node groups, waiting for each.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';

const LAYERS: ('network' | 'iam' | 'eks')[] = ['network', 'iam', 'eks'];

t.test('1.35 → 1.36: control plane, then add-ons, then node groups', async (t) => {
  // A small scale so each update really spends time UPDATING and ordering is observable.
  const sb = await startTestSandbox({ timeScale: 1 / 3000 });
  t.teardown(sb.close);
  t.ok((await applyPlatform({ spec: await referenceSpec(), aws: sb.clients, layers: LAYERS })).ok);

  const bumped = await referenceSpec((s) => { s.cluster!.version = '1.36'; });
  const plan = await planPlatform({ spec: bumped, aws: sb.clients, layers: LAYERS });
  // EKS's defaults: kube-proxy moves to v1.36.0-eksbuild.14; CoreDNS v1.14.3-eksbuild.3 serves both versions.
  t.same(plan.plan.changes.map((c) => c.id).sort(), ['eks/addon/kube-proxy', 'eks/cluster', 'eks/nodegroup/default'],
    'the cluster, the add-on whose default changes with the version, and the node group');
  const mark = sb.aws.callLog.mark();
  const result = await applyPlatform({ spec: bumped, aws: sb.clients, layers: LAYERS, plan });
  t.ok(result.ok, JSON.stringify(result.failed));

  const calls = sb.aws.callLog.since(mark).filter((c) => c.status === 200);
  const idx = (op: string) => calls.findIndex((c) => c.operation === op);
  const lastIdx = (op: string) => calls.map((c) => c.operation).lastIndexOf(op);
  t.ok(idx('UpdateClusterVersion') >= 0 && idx('UpdateAddon') >= 0 && idx('UpdateNodegroupVersion') >= 0, 'all three kinds were updated');
  // Between the control plane update and the first add-on update, the cluster was polled until ACTIVE.
  const between = calls.slice(idx('UpdateClusterVersion'), idx('UpdateAddon'));
  t.ok(between.some((c) => c.operation === 'DescribeCluster'), 'waited for the control plane');
  t.ok(idx('UpdateClusterVersion') < idx('UpdateAddon'), 'control plane before add-ons');
  t.ok(lastIdx('UpdateAddon') < idx('UpdateNodegroupVersion'), 'every add-on before the node groups');
  t.same((await planPlatform({ spec: bumped, aws: sb.clients, layers: LAYERS })).plan.changes, [], 'converged on 1.36');
});
