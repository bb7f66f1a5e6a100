// The Ingress and ALB read-back builders: paths from the protos, groups at the rule quota with a
// plan note, dependencies on the workloads, the controller and the certificate.
import t from 'tap';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAlbReadbacks, buildIngresses } from '../../../src/graph/ingress.js';
import type { PlatformSpec, ServiceSpec } from '../../../src/platform-spec/types.js';
import type { ResolvedSpec } from '../../../src/platform-spec/resolved.js';
import { withDefaults } from '../../../src/platform-spec/defaults.js';

function spec(services: ServiceSpec[], over: Partial<PlatformSpec> = {}): ResolvedSpec {
  return withDefaults({
    apiVersion: 'platformd.dev/v1alpha1', kind: 'Platform', metadata: { name: 'demo' }, region: 'ap-northeast-1',
    network: { vpc: { cidr: '10.0.0.0/16' }, subnets: { public: [], private: [] } },
    cluster: { name: 'demo-cluster', version: '1.33', nodeGroups: [] },
    domain: { name: 'grpc.example.com', hostedZone: { name: 'example.com' } },
    services, ...over,
  });
}

t.test('the reference protos give the rule paths', async (t) => {
  const s = spec([
    { name: 'route-guide', image: 'x', port: 50051, grpcService: 'routeguide.RouteGuide', healthService: true },
    { name: 'greeter', image: 'x', port: 50051, grpcService: 'helloworld.Greeter', healthService: true },
  ]);
  const [ing, ...rest] = buildIngresses(s, { protosDir: 'protos' }) as any[];
  t.equal(rest.length, 0, 'one Ingress');
  t.equal(ing.id, 'kube/Ingress/default/demo');
  t.equal(ing.kind, 'kube/Ingress');
  t.same(ing.properties.spec.rules[0].http.paths.map((p: any) => [p.path, p.pathType, p.backend.service.name]),
    [['/helloworld.Greeter/', 'Prefix', 'greeter'], ['/routeguide.RouteGuide/', 'Prefix', 'route-guide']]);
  t.same(ing.properties.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn'], { $ref: 'edge/certificate-validation', output: 'arn' }, 'the validated (ISSUED) certificate');
  t.same(ing.dependsOn, [
    'kube/Deployment/default/greeter', 'kube/Service/default/greeter',
    'kube/Deployment/default/route-guide', 'kube/Service/default/route-guide',
    'kube/Deployment/kube-system/aws-load-balancer-controller',
  ]);
  t.notOk(ing.notes, 'no split, no note');

  const [alb] = buildAlbReadbacks(s, { protosDir: 'protos' }) as any[];
  t.equal(alb.id, 'edge/alb/demo');
  t.same(alb.properties.rules, [
    { paths: ['/helloworld.Greeter', '/helloworld.Greeter/*'], backend: 'default/demo-greeter:50051' },
    { paths: ['/routeguide.RouteGuide', '/routeguide.RouteGuide/*'], backend: 'default/demo-route-guide:50051' },
  ]);
  t.same([alb.properties.cluster, alb.properties.healthCheck], ['demo-cluster', { path: '/grpc.health.v1.Health/Check', successCodes: '0' }]);
  t.same(alb.dependsOn, ['kube/Ingress/default/demo']);

  const existing = buildIngresses(spec(s.services!, { loadBalancerController: { install: false } }), { protosDir: 'protos' }) as any[];
  t.notOk(existing[0].dependsOn.includes('kube/Deployment/kube-system/aws-load-balancer-controller'), 'a cluster that runs its own controller');
  t.same(buildIngresses(spec(s.services!, { domain: undefined }), { protosDir: 'protos' }), [], 'no domain, no certificate, no ALB');
});

t.test('150 services: two groups, and the plan says so', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'protos-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const names = Array.from({ length: 150 }, (_, i) => `Svc${String(i).padStart(3, '0')}`);
  writeFileSync(join(dir, 'many.proto'), `syntax = "proto3";\npackage many;\nmessage M {}\n${names.map((n) => `service ${n} { rpc Call(M) returns (M); }`).join('\n')}\n`);
  const services = names.map((n) => ({ name: n.toLowerCase(), image: 'x', port: 50051, grpcService: `many.${n}` }));
  const nodes = buildIngresses(spec(services), { protosDir: dir }) as any[];
  t.same(nodes.map((n) => [n.id, n.properties.spec.rules[0].http.paths.length, n.properties.metadata.annotations['alb.ingress.kubernetes.io/group.name']]),
    [['kube/Ingress/default/demo-1', 100, 'demo-1'], ['kube/Ingress/default/demo-2', 50, 'demo-2']]);
  t.match(nodes[0].notes, [/150 services exceed 100 ALB rules per load balancer: split into 2 ingress groups/]);
  t.notOk(nodes[1].notes, 'said once');
  t.equal(nodes[1].properties.spec.rules[0].http.paths[0].path, '/many.Svc100/', 'sorted by name: svc100 opens group 2');
  t.same(buildAlbReadbacks(spec(services), { protosDir: dir }).map((n) => n.id), ['edge/alb/demo-1', 'edge/alb/demo-2'], 'one ALB per group');
});

t.test('a proto renamed moves the path', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'protos-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.proto'), 'syntax = "proto3";\npackage shop.v2;\nmessage M {}\nservice Cart { rpc Get(M) returns (M); }\n');
  const [ing] = buildIngresses(spec([{ name: 'cart', image: 'x', port: 8080, grpcService: 'shop.v2.Cart' }]), { protosDir: dir }) as any[];
  t.equal(ing.properties.spec.rules[0].http.paths[0].path, '/shop.v2.Cart/');
  t.throws(() => buildIngresses(spec([{ name: 'cart', image: 'x', port: 8080, grpcService: 'shop.v1.Cart' }]), { protosDir: dir }), /not declared/);
});
