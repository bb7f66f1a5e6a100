// With maxRulesPerGroup below the service count the platform converges on two ALBs, one per
// ingress group, each with exactly its services' rules; each group's read-back reports its own
// DNS name.
import t from 'tap';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand, DescribeTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';

t.test('two groups, two ALBs', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec((s) => { s.ingress = { ...s.ingress, maxRulesPerGroup: 2 }; });
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients) };
  t.same((await applyPlatform(opts)).failed, [], 'converged');

  const elb = sb.clients.elbv2;
  const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  const tags = (await elb.send(new DescribeTagsCommand({ ResourceArns: lbs.map((l) => l.LoadBalancerArn!) }))).TagDescriptions ?? [];
  const byGroup: Record<string, string[]> = {};
  for (const lb of lbs) {
    const group = tags.find((d) => d.ResourceArn === lb.LoadBalancerArn)!.Tags!.find((x) => x.Key === 'ingress.k8s.aws/stack')!.Value!;
    const listener = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners![0]!;
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules ?? [];
    byGroup[group] = rules.filter((r) => !r.IsDefault).map((r) => r.Conditions![0]!.PathPatternConfig!.Values![0]!).sort();
  }
  t.same(byGroup, {
    'grpc-demo-1': ['/helloworld.Greeter', '/keyvaluestore.KeyValueStore'],
    'grpc-demo-2': ['/routeguide.RouteGuide'],
  }, 'services sorted by name fill the groups in order');

  const { plan, observed } = await planPlatform(opts);
  t.same(plan.changes, [], 'converged');
  const dns = ['grpc-demo-1', 'grpc-demo-2'].map((g) => observed.get(`edge/alb/${g}`)?.outputs.dnsName);
  t.same(dns.slice().sort(), lbs.map((l) => l.DNSName).sort(), 'each read-back hands over its own ALB DNS name');
});
