// The README's teardown: from the converged reference platform, a spec with only metadata,
// region and every deletion opt-in removes everything platformd made — node groups, add-ons and
// the cluster found by their tags (the spec no longer names the cluster), the Ingress first so
// the load balancer controller deletes its ALB and target groups, then IAM and the network —
// and the next plan is empty.
import t from 'tap';
import { convergedPlatform } from '../helpers/platform.js';
import { leftovers, teardownSpec } from '../helpers/teardown.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';

t.test('teardown of the converged reference platform reaches zero owned resources', async (t) => {
  const { sb, opts } = await convergedPlatform(t);
  const platform = opts.spec.metadata.name;
  const cluster = opts.spec.cluster?.name;
  const before = await leftovers(sb.clients, platform, cluster);
  t.ok(before['eks node groups']! > 0 && before['elbv2 load balancers']! > 0, `a platform to tear down: ${JSON.stringify(before)}`);
  t.ok(before['ec2 controller security groups']! > 0, 'the controller made security groups for the Ingress group (counted)');

  const spec = teardownSpec(opts.spec);
  const teardown = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };
  const planned = await planPlatform(teardown);
  const ids = planned.plan.changes.map((c) => c.id);
  for (const id of ['eks/nodegroup/default', 'eks/addon/coredns', 'eks/cluster', 'iam/oidc-provider', 'kube/Ingress/default/grpc-demo']) {
    t.ok(ids.includes(id), `${id} is planned for deletion`);
  }
  t.ok(planned.plan.changes.every((c) => c.action === '-'), 'everything is a deletion, nothing blocked');
  const dependsOn = (id: string) => planned.plan.changes.find((c) => c.id === id)?.dependsOn ?? [];
  t.ok(dependsOn('eks/cluster').includes('eks/nodegroup/default'), 'the cluster waits for its node group');
  t.ok(dependsOn('eks/nodegroup/default').includes('kube/Ingress/default/grpc-demo'), 'the node group waits for the Ingress (and with it the ALB)');
  t.ok(dependsOn('edge/certificate').includes('kube/Ingress/default/grpc-demo'), 'the certificate waits for the Ingress: its listener uses it');
  t.ok(dependsOn('iam/policy/load-balancer-controller').includes('iam/role/irsa-load-balancer-controller'), 'the policy waits for its role');
  t.ok(dependsOn('network/vpc').includes('eks/cluster'), 'the network waits for the cluster');

  // Bounds a hang only: a stuck deletion would otherwise be retried for 30 minutes.
  const result = await applyPlatform({ ...teardown, plan: planned, signal: AbortSignal.timeout(180_000) });
  t.same(result.failed, [], 'no deletion failed');
  t.same(result.skipped, [], 'none skipped');
  t.ok(result.ok, 'teardown complete');

  const after = await leftovers(sb.clients, platform, cluster);
  t.same(after, Object.fromEntries(Object.keys(after).map((k) => [k, 0])), 'nothing owned is left in any emulated service');
  t.same((await planPlatform(teardown)).plan.changes, [], 'the next plan is empty');
});
