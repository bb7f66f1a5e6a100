// Removing every service prunes the Ingress before the load balancer controller: the controller
// (its finalizer holding the Ingress) deletes the ALB and its target groups first, then lets the
// Ingress go — nothing is left behind in ELBv2 and no finalizer is stuck.
import t from 'tap';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';

t.test('no services: ALB deleted by the controller before the controller goes', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };
  t.same((await applyPlatform(opts)).failed, [], 'converged');
  t.equal((await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!.length, 1);

  spec.services = [];
  // Only the cluster's layers: the domain's records are the DNS layer's business.
  const result = await applyPlatform({ ...opts, layers: ['network', 'iam', 'eks', 'kube'] });
  t.same(result.failed, [], 'teardown of the workloads succeeded');
  t.ok(result.applied.includes('kube/Ingress/default/grpc-demo'), 'the Ingress was pruned');
  t.ok(result.applied.includes('kube/Deployment/kube-system/aws-load-balancer-controller'), 'and the controller removed');
  t.same((await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers, [], 'the controller deleted the ALB');
  t.same((await sb.clients.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups, [], 'and its target groups');
  const store = sb.kube.clusters.get('grpc-demo')!.store;
  t.same(store.list(store.resource('networking.k8s.io/v1', 'Ingress')!), [], 'no Ingress stuck on its finalizer');
});
