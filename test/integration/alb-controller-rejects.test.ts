// The emulated load balancer controller refuses what the real one refuses — a GRPC backend
// without an HTTPS listener, more rules than an ALB holds, an invalid annotation — with a Warning
// Event on the Ingress (read back through the Kubernetes API) and no ALB change.
import t from 'tap';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { albReadback } from '../../src/resources/edge/alb-readback.js';

const A = 'alb.ingress.kubernetes.io/';

function ingress(name: string, annotations: Record<string, string>, paths: string[]) {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations: { [`${A}scheme`]: 'internet-facing', [`${A}target-type`]: 'ip', [`${A}backend-protocol-version`]: 'GRPC', ...annotations } },
    spec: { ingressClassName: 'alb', rules: [{ http: { paths: paths.map((p) => ({ path: p, pathType: 'Prefix', backend: { service: { name: 'route-guide', port: { number: 50051 } } } })) } }] },
  };
}

t.test('rejections are Warning Events and change no ALB', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec();
  const kube = clusterAccessFor(spec, sb.clients);
  t.same((await applyPlatform({ spec, aws: sb.clients, kube })).failed, [], 'converged');
  const lbsBefore = (await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!.length;
  const tgsBefore = (await sb.clients.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups!.length;

  const api = await kube.objects();
  const ours = await api.read({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'grpc-demo', namespace: 'default' } });
  const cert = ours.metadata!.annotations![`${A}certificate-arn`]!;
  await api.create(ingress('grpc-over-http', { [`${A}listen-ports`]: '[{"HTTP":80}]', [`${A}group.name`]: 'reject-a' }, ['/routeguide.RouteGuide/']));
  await api.create(ingress('too-many-rules', { [`${A}listen-ports`]: '[{"HTTPS":443}]', [`${A}certificate-arn`]: cert, [`${A}group.name`]: 'reject-b' },
    Array.from({ length: 101 }, (_, i) => `/svc${i}.S/`)));
  await api.create(ingress('bad-annotation', { [`${A}listen-ports`]: '[{"HTTPS":443}]', [`${A}certificate-arn`]: cert, [`${A}scheme`]: 'public' }, ['/x.Y/']));

  const warnings = async () => {
    const events = (await api.list('v1', 'Event', 'default')).items as unknown as { involvedObject: { name: string }; type: string; reason: string; message: string }[];
    return events.filter((e) => e.type === 'Warning').map((e) => ({ name: e.involvedObject.name, reason: e.reason, message: e.message }));
  };
  let seen: Awaited<ReturnType<typeof warnings>> = [];
  // The controller reconciles each Ingress in the background: wait for its three verdicts (the
  // deadline only bounds a hang; 5 s was too short on a loaded machine).
  // Other objects may have Warnings of their own (a pod waiting for its address): wait for one on
  // each of the three Ingresses.
  const rejectedIngresses = ['grpc-over-http', 'too-many-rules', 'bad-annotation'];
  const allSeen = () => rejectedIngresses.every((name) => seen.some((e) => e.name === name));
  for (const deadline = Date.now() + 120_000; !allSeen() && Date.now() < deadline;) {
    seen = await warnings();
    if (!allSeen()) await new Promise((r) => setTimeout(r, 50));
  }
  const of = (name: string) => seen.filter((e) => e.name === name);
  t.match(of('grpc-over-http'), [{ reason: 'FailedDeployModel', message: /UnsupportedProtocol.*'HTTP'.*GRPC/ }], 'GRPC without an HTTPS listener');
  t.match(of('too-many-rules'), [{ reason: 'FailedDeployModel', message: /TooManyRules.*101 rules.*100/ }], 'more rules than the quota');
  t.match(of('bad-annotation'), [{ reason: 'FailedBuildModel', message: /scheme.*public/ }], 'an invalid annotation');

  t.equal((await sb.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!.length, lbsBefore, 'no ALB was created');
  t.equal((await sb.clients.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups!.length, tgsBefore, 'no target group either');
  const rejected = await api.read({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'grpc-over-http', namespace: 'default' } });
  t.notOk((rejected as { status?: { loadBalancer?: { ingress?: unknown[] } } }).status?.loadBalancer?.ingress?.length, 'and no hostname in its status');

  // platformd waiting for such a group's ALB says why it does not come.
  const abort = new AbortController();
  const said: string[] = [];
  const ctx = { platform: 'grpc-demo', region: 'ap-northeast-1', spec, aws: sb.clients, kube, signal: abort.signal, memo: <T,>(_k: string, read: () => Promise<T>) => read(),
    progress: (m: string) => { said.push(m); abort.abort(); } };
  await t.rejects(albReadback.create(ctx, { id: 'edge/alb/reject-b', kind: 'elbv2/alb', dependsOn: [], properties: {
    cluster: 'grpc-demo', group: 'reject-b', scheme: 'internet-facing', certificateArn: cert, listener: { protocol: 'HTTPS', port: 443 },
    rules: [], healthCheck: { path: '/AWS.ALB/healthcheck', successCodes: '12' }, ingresses: [{ namespace: 'default', name: 'too-many-rules' }] } }));
  t.match(said, [/waiting for the load balancer controller to create the ALB of ingress group reject-b; the controller reports FailedDeployModel: .*TooManyRules/],
    'the wait names the controller\'s complaint');
});
