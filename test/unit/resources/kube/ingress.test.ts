// The Ingress manifest carries exactly the annotations the load balancer controller needs for a
// gRPC ALB, and one Prefix path per service from the route-path function (the protos).
import t from 'tap';
import { ingressManifest, groupNamespaces } from '../../../../src/resources/kube/ingress.js';
import { ingressGroups } from '../../../../src/resources/kube/ingress-groups.js';
import { ref } from '../../../../src/resources/kind.js';
import type { ServiceSpec } from '../../../../src/platform-spec/types.js';
import { withDefaults } from '../../../../src/platform-spec/defaults.js';

const services: ServiceSpec[] = [
  { name: 'route-guide', image: 'rg', port: 50051, grpcService: 'routeguide.RouteGuide', healthService: true },
  { name: 'greeter', image: 'g', port: 50052, grpcService: 'helloworld.Greeter', healthService: true, namespace: 'hello' },
];
const spec = withDefaults({
  apiVersion: 'platformd.dev/v1alpha1', kind: 'Platform', metadata: { name: 'demo' }, region: 'ap-northeast-1',
  network: { vpc: { cidr: '10.0.0.0/16' }, subnets: { public: [], private: [] } },
  cluster: { name: 'demo', version: '1.31', nodeGroups: [] }, ingress: { scheme: 'internal' }, services,
});

t.test('manifest', async (t) => {
  const group = ingressGroups(spec)[0]!;
  const ns = groupNamespaces(group);
  t.same(ns.map((n) => [n.namespace, n.services.map((s) => s.name)]), [['default', ['route-guide']], ['hello', ['greeter']]], 'one Ingress per namespace of the group');
  const m = ingressManifest({ spec, group, namespace: 'default', services: ns[0]!.services, routePath: (s) => `/${s.grpcService}/`, certificateArn: ref('edge/certificate', 'arn') }) as any;
  t.same(m.metadata, {
    name: 'demo', namespace: 'default',
    annotations: {
      'alb.ingress.kubernetes.io/scheme': 'internal',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/backend-protocol-version': 'GRPC',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/certificate-arn': { $ref: 'edge/certificate', output: 'arn' },
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'alb.ingress.kubernetes.io/group.name': 'demo',
      'alb.ingress.kubernetes.io/healthcheck-path': '/grpc.health.v1.Health/Check',
      'alb.ingress.kubernetes.io/success-codes': '0',
      'alb.ingress.kubernetes.io/tags': 'platformd.dev/platform=demo,platformd.dev/id=edge/alb/demo',
    },
  });
  t.equal(m.spec.ingressClassName, 'alb');
  t.same(m.spec.rules, [{ http: { paths: [{ path: '/routeguide.RouteGuide/', pathType: 'Prefix', backend: { service: { name: 'route-guide', port: { number: 50051 } } } }] } }]);
  t.notOk('alb.ingress.kubernetes.io/ssl-redirect' in m.metadata.annotations, 'no HTTP listener, so no redirect');
});
