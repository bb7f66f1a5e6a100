// A rule deleted on the ALB behind platformd's back (through the ELBv2 API, as a person with
// console access would) shows as ALB drift in the plan and is repaired on apply — by nudging the
// load balancer controller, never by writing to ELBv2 itself.
import t from 'tap';
import { DeleteRuleCommand, DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';

async function rulePaths(sb: TestSandbox): Promise<{ arn: string; paths: string[] }[]> {
  const lb = (await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!;
  const listener = (await sb.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners![0]!;
  const rules = (await sb.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules ?? [];
  return rules.filter((r) => !r.IsDefault).map((r) => ({ arn: r.RuleArn!, paths: r.Conditions?.[0]?.PathPatternConfig?.Values ?? [] }));
}

t.test('a deleted ALB rule is drift, and apply repairs it', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };
  t.same((await applyPlatform(opts)).failed, [], 'converged');

  const victim = (await rulePaths(sb)).find((r) => r.paths[0] === '/routeguide.RouteGuide')!;
  await sb.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: victim.arn }));

  const { plan } = await planPlatform(opts);
  t.same(plan.changes.map((c) => [c.action, c.id, c.reason]), [['~', 'edge/alb/grpc-demo', 'drift']], 'only the ALB read-back differs');
  t.same(plan.changes[0]!.fields, [{ path: 'rules[/routeguide.RouteGuide /routeguide.RouteGuide/*]', old: null, new: 'default/grpc-demo-route-guide:50051' }],
    'the plan names the missing rule and the service it should reach');

  const mark = sb.aws.callLog.mark();
  const result = await applyPlatform(opts);
  t.same(result.failed, [], 'repaired');
  t.same(result.applied, ['edge/alb/grpc-demo']);
  const writes = sb.aws.callLog.since(mark).filter((c) => c.service === 'elbv2' && !c.operation.startsWith('Describe'));
  t.same(writes, [], 'platformd itself made no ELBv2 write: the controller owns the ALB');
  t.same((await rulePaths(sb)).map((r) => r.paths[0]).sort(), ['/helloworld.Greeter', '/keyvaluestore.KeyValueStore', '/routeguide.RouteGuide'], 'the rule is back');

  const store = sb.kube.clusters.get('grpc-demo')!.store;
  const ingress = store.tryGet(store.resource('networking.k8s.io/v1', 'Ingress')!, 'default', 'grpc-demo')!;
  t.ok(ingress.metadata.annotations['platformd.dev/reconcile-request'], 'the controller was nudged through the Ingress');
  t.same((await planPlatform(opts)).plan.changes, [], 'and the next plan is empty (the nudge annotation is not Ingress drift)');
});
