// The emulated controller builds the ALB stack the real one would, and refuses what it refuses.
import t from 'tap';
import { buildStack, pathValues, targetGroupPort, type BuildInput } from '../../../../src/sandbox/controllers/lbc/model.js';
import { parseListenPorts, targetGroupSettings } from '../../../../src/sandbox/controllers/lbc/annotations.js';
import { loadBalancerName } from '../../../../src/sandbox/controllers/lbc/names.js';
import type { IngressObject, ServiceObject } from '../../../../src/sandbox/controllers/lbc/objects.js';

const A = 'alb.ingress.kubernetes.io/';
const CERT = 'arn:aws:acm:ap-northeast-1:123456789012:certificate/abc';

function ingress(name: string, services: string[], annotations: Record<string, string> = {}): IngressObject {
  return {
    metadata: {
      name, namespace: 'default',
      annotations: {
        [`${A}scheme`]: 'internet-facing', [`${A}target-type`]: 'ip', [`${A}backend-protocol-version`]: 'GRPC',
        [`${A}listen-ports`]: '[{"HTTPS":443}]', [`${A}certificate-arn`]: CERT, [`${A}group.name`]: 'demo', ...annotations,
      },
    },
    spec: {
      ingressClassName: 'alb',
      rules: [{ http: { paths: services.map((s) => ({ path: `/${s}.Svc/`, pathType: 'Prefix' as const, backend: { service: { name: s, port: { number: 50051 } } } })) } }],
    },
  };
}

function input(ingresses: IngressObject[], over: Partial<BuildInput> = {}): BuildInput {
  return {
    clusterName: 'demo', stackId: 'demo', explicit: true, ingresses,
    service: (ns, name): ServiceObject => ({ metadata: { name, namespace: ns }, spec: { type: 'ClusterIP', ports: [{ port: 50051, targetPort: 50051 }] } }),
    endpoints: () => [{ ip: '10.0.1.10', port: 50051 }],
    subnets: () => ['subnet-a', 'subnet-b'],
    ...over,
  };
}

t.test('pathType conversion (model_build_listener_rules.go)', async (t) => {
  const cases = [
    { reason: 'a Prefix gRPC service path becomes the path and path/*, trailing slash trimmed', p: { path: '/routeguide.RouteGuide/', pathType: 'Prefix' as const }, want: ['/routeguide.RouteGuide', '/routeguide.RouteGuide/*'] },
    { reason: 'Prefix / matches everything', p: { path: '/', pathType: 'Prefix' as const }, want: ['/*'] },
    { reason: 'Exact is kept as is', p: { path: '/a.B/C', pathType: 'Exact' as const }, want: ['/a.B/C'] },
    { reason: 'ImplementationSpecific is verbatim, wildcards allowed', p: { path: '/a.*', pathType: 'ImplementationSpecific' as const }, want: ['/a.*'] },
  ];
  for (const c of cases) t.same(pathValues(c.p), c.want, c.reason);
  t.throws(() => pathValues({ path: '/a*', pathType: 'Prefix' }), { name: 'BuildError' }, 'wildcards are rejected for Prefix');
});

t.test('a GRPC group: HTTPS listener with the certificate, one rule per path, GRPC target groups', async (t) => {
  const stack = buildStack(input([ingress('demo', ['b', 'a'])]));
  t.equal(stack.loadBalancer.scheme, 'internet-facing');
  t.match(stack.loadBalancer.name, /^k8s-demo-[0-9a-f]{10}$/);
  t.same(stack.loadBalancer.tags, { 'elbv2.k8s.aws/cluster': 'demo', 'ingress.k8s.aws/stack': 'demo', 'ingress.k8s.aws/resource': 'LoadBalancer' });
  t.equal(stack.listeners.length, 1);
  const l = stack.listeners[0]!;
  t.same([l.protocol, l.port, l.certificateArns], ['HTTPS', 443, [CERT]]);
  t.same(l.rules.map((r) => [r.priority, r.pathValues]), [[1, ['/b.Svc', '/b.Svc/*']], [2, ['/a.Svc', '/a.Svc/*']]], 'paths in Ingress order');
  t.same(stack.targetGroups.map((g) => [g.resourceId, g.protocolVersion, g.targetType, g.healthCheck.path, g.healthCheck.successCodes]), [
    ['default/demo-b:50051', 'GRPC', 'ip', '/AWS.ALB/healthcheck', '12'],
    ['default/demo-a:50051', 'GRPC', 'ip', '/AWS.ALB/healthcheck', '12'],
  ], 'GRPC defaults for the health check');
  t.same(stack.targetGroups[0]!.targets, [{ ip: '10.0.1.10', port: 50051 }]);
});

t.test('group members are ordered by group.order then namespace/name', async (t) => {
  const first = ingress('zz', ['z'], { [`${A}group.order`]: '-1' });
  const stack = buildStack(input([ingress('aa', ['a']), first]));
  t.same(stack.listeners[0]!.rules.map((r) => r.pathValues[0]), ['/z.Svc', '/a.Svc']);
});

t.test('what the controller refuses to build', async (t) => {
  const cases: { reason: string; ing: IngressObject[]; over?: Partial<BuildInput>; msg: RegExp }[] = [
    { reason: 'HTTPS without a certificate', ing: [ingress('x', ['a'], { [`${A}certificate-arn`]: '' })], msg: /no certificate found/ },
    { reason: 'an unknown scheme', ing: [ingress('x', ['a'], { [`${A}scheme`]: 'public' })], msg: /scheme/ },
    { reason: 'malformed listen-ports', ing: [ingress('x', ['a'], { [`${A}listen-ports`]: '[{"HTTPS":"x"}]' })], msg: /listen-ports/ },
    { reason: 'HTTP success codes on a GRPC group', ing: [ingress('x', ['a'], { [`${A}success-codes`]: '200' })], msg: /success-codes/ },
    { reason: 'conflicting schemes within a group', ing: [ingress('x', ['a']), ingress('y', ['b'], { [`${A}scheme`]: 'internal' })], msg: /conflicting scheme/ },
    { reason: 'a missing backend Service', ing: [ingress('x', ['a'])], over: { service: () => undefined }, msg: /not found/ },
    { reason: 'target-type instance with a ClusterIP Service', ing: [ingress('x', ['a'], { [`${A}target-type`]: 'instance' })], msg: /NodePort/ },
    { reason: 'an invalid group name', ing: [ingress('x', ['a'], { [`${A}group.name`]: 'Demo_1' })], msg: /group.name/ },
  ];
  for (const c of cases) t.throws(() => buildStack(input(c.ing, c.over)), { name: 'BuildError', message: c.msg }, c.reason);
});

t.test('annotation defaults', async (t) => {
  t.same(parseListenPorts(undefined, false), [{ protocol: 'HTTP', port: 80 }], 'HTTP:80 without a certificate');
  t.same(parseListenPorts(undefined, true), [{ protocol: 'HTTPS', port: 443 }], 'HTTPS:443 with one');
  const http = targetGroupSettings({ metadata: { name: 'x' } }, undefined);
  t.same([http.protocolVersion, http.healthCheck.path, http.healthCheck.successCodes, http.targetType], ['HTTP1', '/', '200', 'instance']);
  const svcWins = targetGroupSettings(
    { metadata: { name: 'i', annotations: { [`${A}backend-protocol-version`]: 'GRPC', [`${A}success-codes`]: '12' } } },
    { metadata: { name: 's', annotations: { [`${A}success-codes`]: '0', [`${A}healthcheck-path`]: '/grpc.health.v1.Health/Check' } } });
  t.same([svcWins.healthCheck.successCodes, svcWins.healthCheck.path], ['0', '/grpc.health.v1.Health/Check'], 'Service annotations override the Ingress');
});

t.test('load balancer names', async (t) => {
  t.equal(loadBalancerName('c', 'demo-1', true, 'internet-facing'), loadBalancerName('c', 'demo-1', true, 'internet-facing'), 'stable');
  t.not(loadBalancerName('c', 'demo-1', true, 'internet-facing'), loadBalancerName('c', 'demo-1', true, 'internal'), 'scheme is part of the hash');
  t.match(loadBalancerName('c', 'default/my-ingress', false, 'internal'), /^k8s-default-myingres-[0-9a-f]{10}$/);
  t.ok(loadBalancerName('c', 'a-very-long-group-name-indeed', true, 'internal').length <= 32);
});

t.test('target group port (model_build_target_group.go buildTargetGroupPort)', async (t) => {
  const cases = [
    { reason: 'IP targets with a numeric targetPort use the pod port', type: 'ip' as const, sp: { port: 80, targetPort: 8080 }, want: 8080 },
    { reason: 'IP targets with a named targetPort get the fixed 1 (not on the data path)', type: 'ip' as const, sp: { port: 80, targetPort: 'grpc' }, want: 1 },
    { reason: 'IP targets without a targetPort: the API server defaults it to the port', type: 'ip' as const, sp: { port: 80 }, want: 80 },
    { reason: 'instance targets use the node port', type: 'instance' as const, sp: { port: 80, targetPort: 8080, nodePort: 31234 }, want: 31234 },
    { reason: 'instance targets without a node port are empty (refused by the caller)', type: 'instance' as const, sp: { port: 80, targetPort: 8080 }, want: 0 },
  ];
  for (const c of cases) t.equal(targetGroupPort(c.type, c.sp), c.want, c.reason);
});
