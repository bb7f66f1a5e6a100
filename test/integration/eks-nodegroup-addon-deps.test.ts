// Node groups wait only for the add-ons their nodes need to join (the VPC CNI, pod identity): a
// failed unrelated add-on (coredns) does not block a node group's scale change.
import t from 'tap';
import { DescribeNodegroupCommand } from '@aws-sdk/client-eks';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';

t.test('a failed coredns update does not skip a node group scale change', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const layers = ['network' as const, 'iam' as const, 'eks' as const];
  const spec = await referenceSpec();
  t.ok((await applyPlatform({ spec, aws: sb.clients, layers })).ok, 'converged');

  const changed = await referenceSpec((s) => {
    // EKS refuses a version it does not offer for the cluster's Kubernetes version.
    s.cluster!.addons = { ...s.cluster!.addons, coredns: { version: 'v0.0.1-eksbuild.1' } };
    s.cluster!.nodeGroups[0]!.scaling.desired = 4;
  });
  const result = await applyPlatform({ spec: changed, aws: sb.clients, layers });
  t.same(result.failed.map((f) => f.id), ['eks/addon/coredns'], 'the add-on update failed');
  t.ok(result.applied.includes('eks/nodegroup/default'), `the node group was scaled: ${JSON.stringify(result.skipped)}`);
  t.same(result.skipped, [], 'nothing was skipped because of coredns');
  const ng = (await sb.clients.eks.send(new DescribeNodegroupCommand({ clusterName: 'grpc-demo', nodegroupName: 'default' }))).nodegroup!;
  t.equal(ng.scalingConfig?.desiredSize, 4);
});
