// Services are split over ingress groups at the ALB rule quota, stably, and each group gets the
// gRPC health check that works for its servers.
import t from 'tap';
import { durationSeconds, groupHealthCheck, ingressGroups, prefixPathValues, splitNote } from '../../../../src/resources/kube/ingress-groups.js';
import type { PlatformSpec, ServiceSpec } from '../../../../src/platform-spec/types.js';
import type { ResolvedService, ResolvedSpec } from '../../../../src/platform-spec/resolved.js';
import { withDefaults } from '../../../../src/platform-spec/defaults.js';

function svc(name: string, over: Partial<ServiceSpec> = {}): ResolvedService {
  return spec([{ name, image: 'img', port: 50051, grpcService: `pkg.${name}`, ...over }]).services[0]!;
}

function spec(services: ServiceSpec[], ingress: PlatformSpec['ingress'] = undefined): ResolvedSpec {
  return withDefaults({
    apiVersion: 'platformd.dev/v1alpha1', kind: 'Platform', metadata: { name: 'demo' }, region: 'ap-northeast-1',
    network: { vpc: { cidr: '10.0.0.0/16' }, subnets: { public: [], private: [] } },
    cluster: { name: 'demo', version: '1.31', nodeGroups: [] },
    services, ...(ingress ? { ingress } : {}),
  });
}

const names = (n: number) => Array.from({ length: n }, (_, i) => svc(`svc-${String(i).padStart(3, '0')}`));

t.test('grouping', async (t) => {
  t.same(ingressGroups(spec([svc('b'), svc('a')])).map((g) => [g.name, g.services.map((s) => s.name)]), [['demo', ['a', 'b']]],
    'one group named after the platform, services sorted');
  const g150 = ingressGroups(spec(names(150).reverse()));
  t.same(g150.map((g) => [g.name, g.services.length]), [['demo-1', 100], ['demo-2', 50]], '150 services: two groups at the 100-rule quota');
  t.equal(g150[0]!.services[0]!.name, 'svc-000', 'assignment by sorted name');
  t.equal(g150[1]!.services[0]!.name, 'svc-100');
  t.same(ingressGroups(spec(names(5), { maxRulesPerGroup: 2 })).map((g) => g.services.length), [2, 2, 1], 'a lower maxRulesPerGroup splits sooner');
  t.same(ingressGroups(spec(names(101), { maxRulesPerGroup: 500 })).map((g) => g.services.length), [100, 1], 'never above the ALB quota');
  t.same(ingressGroups(spec([])), [], 'no services, no Ingress');
  t.same(ingressGroups(spec(names(100))).map((g) => g.name), ['demo'], 'exactly at quota: one group');
});

t.test('the split is announced', async (t) => {
  const s = spec(names(150));
  t.match(splitNote(s, ingressGroups(s)), /150 services exceed 100 ALB rules per load balancer: split into 2 ingress groups.*demo-1: 100.*demo-2: 50/);
  t.equal(splitNote(spec(names(3)), ingressGroups(spec(names(3)))), undefined, 'nothing to say for one group');
});

t.test('health checks', async (t) => {
  t.same(groupHealthCheck(spec([]), [svc('a', { healthService: true }), svc('b', { healthService: true })]),
    { path: '/grpc.health.v1.Health/Check', successCodes: '0' }, 'every service serves grpc.health.v1: check it, expect OK');
  t.same(groupHealthCheck(spec([]), [svc('a', { healthService: true }), svc('b')]),
    { path: '/AWS.ALB/healthcheck', successCodes: '12' }, 'one without health: UNIMPLEMENTED proves life for any server');
  t.same(groupHealthCheck(spec([], { healthCheck: { path: '/x.Y/Z', successCodes: '0-2', interval: '10s', timeout: '2s' } }), [svc('a')]),
    { path: '/x.Y/Z', successCodes: '0-2', intervalSeconds: 10, timeoutSeconds: 2 }, 'the spec overrides each part');
  t.equal(durationSeconds('1m'), 60);
  t.throws(() => durationSeconds('ten'));
  t.throws(() => durationSeconds('1500ms'), /whole number of seconds/, 'never rounded: validation rejects it first');
});

t.test('Prefix path → ALB values', async (t) => {
  t.same(prefixPathValues('/routeguide.RouteGuide/'), ['/routeguide.RouteGuide', '/routeguide.RouteGuide/*']);
  t.same(prefixPathValues('/'), ['/*']);
});
