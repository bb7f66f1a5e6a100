// The emulated load balancer controller numbers listener rules as v3.5.0 does
// (pkg/ingress/model_build_listener_rules.go sortIngressPaths): within an Ingress rule, Exact
// paths first, then Prefix paths longest first, then ImplementationSpecific as written; priorities
// 1, 2, … in that order. Target group ports as buildTargetGroupPort sets them: the numeric
// targetPort (the pod port) for IP targets, 1 for a named targetPort.
import t from 'tap';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand, DescribeTagsCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';

const A = 'alb.ingress.kubernetes.io/';

type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';
const path = (p: string, pathType: PathType, service: string) => ({ path: p, pathType, backend: { service: { name: service, port: { number: 50051 } } } });

t.test('rules ordered exact, longer prefix, shorter prefix, implementation-specific; TG port is the pod port', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const kube = clusterAccessFor(spec, sb.clients);
  t.same((await applyPlatform({ spec, aws: sb.clients, kube })).failed, [], 'the reference platform converged');
  const api = await kube.objects();
  const grpcDemo = await api.read({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'grpc-demo', namespace: 'default' } });
  const cert = grpcDemo.metadata!.annotations![`${A}certificate-arn`]!;

  // A Service with a numeric targetPort in front of the route-guide pods (platformd's own name theirs).
  await api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'route-guide-numeric', namespace: 'default' },
    spec: { selector: { 'app.kubernetes.io/name': 'route-guide' }, ports: [{ port: 50051, targetPort: 50051, protocol: 'TCP' }] } });
  // Written deliberately out of order: the controller sorts, the author's order does not count.
  await api.create({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name: 'ordered', namespace: 'default', annotations: { [`${A}scheme`]: 'internet-facing', [`${A}target-type`]: 'ip', [`${A}backend-protocol-version`]: 'GRPC',
      [`${A}listen-ports`]: '[{"HTTPS":443}]', [`${A}certificate-arn`]: cert, [`${A}group.name`]: 'ordered' } },
    spec: { ingressClassName: 'alb', rules: [{ http: { paths: [
      path('/z.Impl/*', 'ImplementationSpecific', 'kv-store'),
      path('/helloworld.Greeter/', 'Prefix', 'greeter'),
      path('/routeguide.RouteGuide/RouteChat/', 'Prefix', 'route-guide-numeric'),
      path('/routeguide.RouteGuide/GetFeature', 'Exact', 'route-guide'),
      path('/a.B/', 'Prefix', 'kv-store'),
    ] } }] },
  });

  const albOfGroup = async () => {
    const lbs = (await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    if (lbs.length === 0) return undefined;
    const tags = (await sb.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: lbs.map((l) => l.LoadBalancerArn!) }))).TagDescriptions ?? [];
    return tags.find((d) => d.Tags?.some((x) => x.Key === 'ingress.k8s.aws/stack' && x.Value === 'ordered'))?.ResourceArn;
  };
  const rulesOf = async (lbArn: string) => {
    const listeners = (await sb.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners ?? [];
    if (listeners.length === 0) return [];
    const rules = (await sb.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listeners[0]!.ListenerArn! }))).Rules ?? [];
    return rules.filter((r) => !r.IsDefault).map((r) => ({ priority: Number(r.Priority), paths: r.Conditions?.find((c) => c.Field === 'path-pattern')?.PathPatternConfig?.Values ?? [],
      targetGroupArn: r.Actions?.[0]?.TargetGroupArn })).sort((a, b) => a.priority - b.priority);
  };
  // The controller acts on its own; the deadline only bounds a hang.
  let rules: Awaited<ReturnType<typeof rulesOf>> = [];
  const deadline = Date.now() + 60_000;
  while (rules.length < 5 && Date.now() < deadline) {
    const arn = await albOfGroup();
    rules = arn ? await rulesOf(arn) : [];
    if (rules.length < 5) await new Promise((r) => setTimeout(r, 100));
  }
  t.same(rules.map((r) => [r.priority, r.paths]), [
    [1, ['/routeguide.RouteGuide/GetFeature']],
    [2, ['/routeguide.RouteGuide/RouteChat', '/routeguide.RouteGuide/RouteChat/*']],
    [3, ['/helloworld.Greeter', '/helloworld.Greeter/*']],
    [4, ['/a.B', '/a.B/*']],
    [5, ['/z.Impl/*']],
  ], 'exact first, prefixes longest first, implementation-specific last, priorities from 1');

  const groups = (await sb.clients.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
  const portOf = (priority: number) => groups.find((g) => g.TargetGroupArn === rules.find((r) => r.priority === priority)?.targetGroupArn)?.Port;
  t.equal(portOf(2), 50051, 'a numeric targetPort: the target group port is the pod port');
  t.equal(portOf(1), 1, 'a named targetPort (platformd\'s Services): the controller\'s fixed 1');
});
