// Drift in a role's trust policy, a detached managed policy, a node group's desired size and an
// add-on's version each show as exactly that, and apply repairs each.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { DetachRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { UpdateAddonCommand, UpdateNodegroupConfigCommand } from '@aws-sdk/client-eks';

const LAYERS: ('network' | 'iam' | 'eks')[] = ['network', 'iam', 'eks'];

t.test('IAM and EKS drift is reported field by field and repaired', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const opts = { spec: await referenceSpec(), aws: sb.clients, layers: LAYERS };
  t.ok((await applyPlatform(opts)).ok);

  await sb.clients.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'grpc-demo-cluster', PolicyDocument: JSON.stringify({
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
  await sb.clients.iam.send(new DetachRolePolicyCommand({ RoleName: 'grpc-demo-node', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
  await sb.clients.eks.send(new UpdateNodegroupConfigCommand({ clusterName: 'grpc-demo', nodegroupName: 'default', scalingConfig: { minSize: 2, desiredSize: 5, maxSize: 6 } }));
  await sb.clients.eks.send(new UpdateAddonCommand({ clusterName: 'grpc-demo', addonName: 'kube-proxy', addonVersion: 'v1.35.3-eksbuild.2' }));

  const drifted = await planPlatform(opts);
  const byId = new Map(drifted.plan.changes.map((c) => [c.id, c]));
  t.same([...byId.keys()].sort(), ['eks/addon/kube-proxy', 'eks/nodegroup/default', 'iam/role/cluster', 'iam/role/node'], 'exactly the four drifted resources');
  t.same(byId.get('iam/role/cluster')!.fields.map((f) => f.path), ['trustPolicy']);
  t.same(byId.get('iam/role/node')!.fields, [{ path: 'managedPolicyArns[arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly]', old: null, new: 'attached' }]);
  t.same(byId.get('eks/nodegroup/default')!.fields, [{ path: 'scaling.desiredSize', old: 5, new: 3 }]);
  t.same(byId.get('eks/addon/kube-proxy')!.fields, [{ path: 'version', old: 'v1.35.3-eksbuild.2', new: 'v1.35.3-eksbuild.13' }]);
  t.ok([...byId.values()].every((c) => c.action === '~'));

  const mark = sb.aws.callLog.mark();
  const repaired = await applyPlatform({ ...opts, plan: drifted });
  t.ok(repaired.ok, JSON.stringify(repaired.failed));
  const ops = sb.aws.callLog.since(mark).map((c) => c.operation);
  t.ok(ops.includes('UpdateNodegroupConfig'), 'scaling goes through UpdateNodegroupConfig');
  t.same((await planPlatform(opts)).plan.changes, [], 'converged again');
});
