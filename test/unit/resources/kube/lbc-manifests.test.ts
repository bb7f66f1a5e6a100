// The controller's objects as its v3.5.0 chart renders them with default values
// (helm/aws-load-balancer-controller/templates/{rbac,webhook,deployment,pdb}.yaml and values.yaml
// upstream), and the graph around them: readiness gates on every service namespace, Services
// after the controller whose service webhook must answer their creation.
import t from 'tap';
import { lbcDeployment, lbcPodDisruptionBudget, lbcRbac, lbcWebhook, LBC_LEADER_LOCK, READINESS_GATE_LABEL } from '../../../../src/resources/kube/lbc-manifests.js';
import { buildKube } from '../../../../src/graph/kube.js';
import { withDefaults } from '../../../../src/platform-spec/defaults.js';
import type { PlatformSpec, ServiceSpec } from '../../../../src/platform-spec/types.js';
import type { ResolvedSpec } from '../../../../src/platform-spec/resolved.js';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
type Hook = { name: string; failurePolicy: string; timeoutSeconds: number; matchPolicy?: string; clientConfig: { service: { path: string } };
  namespaceSelector?: { matchExpressions: unknown[] }; objectSelector?: { matchExpressions: { key: string; operator: string; values: string[] }[] } };

t.test('RBAC: no cluster-wide Secrets; leader election only on its own lock, in a Role', async (t) => {
  const [clusterRole, , role] = lbcRbac() as unknown as { kind: string; rules: Rule[] }[];
  t.equal(clusterRole!.kind, 'ClusterRole');
  t.same(clusterRole!.rules.filter((r) => r.resources.includes('secrets')), [], 'the ClusterRole reads no Secrets (chart: clusterSecretsPermissions.allowAllSecrets=false)');
  t.equal(role!.kind, 'Role');
  for (const r of role!.rules) {
    if (r.verbs.includes('create')) t.same(r.verbs, ['create'], `${r.resources}: create alone (RBAC cannot name what does not exist yet)`);
    else t.same(r.resourceNames, [LBC_LEADER_LOCK], `${r.resources} ${r.verbs}: only ${LBC_LEADER_LOCK}`);
  }
  t.same(role!.rules.map((r) => r.resources[0]).sort(), ['configmaps', 'configmaps', 'leases', 'leases']);
});

t.test('webhooks: the chart\'s paths, failure policies, selectors and timeouts', async (t) => {
  const [, mutating, validating] = lbcWebhook('CA') as unknown as { webhooks: Hook[] }[];
  const summary = (h: Hook) => [h.name, h.clientConfig.service.path, h.failurePolicy, h.timeoutSeconds].join(' ');
  t.same(mutating!.webhooks.map(summary), [
    'mpod.elbv2.k8s.aws /mutate-v1-pod Ignore 10',
    'quicid.elbv2.k8s.aws /mutate-v1-pod-server-id Fail 10',
    'mservice.elbv2.k8s.aws /mutate-v1-service Fail 10',
    'alb-target-control.namespace.elbv2.k8s.aws /mutate-alb-target-control-namespace-v1-pod Fail 10',
    'alb-target-control.object.elbv2.k8s.aws /mutate-alb-target-control-object-v1-pod Fail 10',
    'mtargetgroupbinding.elbv2.k8s.aws /mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding Fail 10',
  ]);
  t.same(validating!.webhooks.map(summary), [
    'vingressclassparams.elbv2.k8s.aws /validate-elbv2-k8s-aws-v1beta1-ingressclassparams Fail 10',
    'vtargetgroupbinding.elbv2.k8s.aws /validate-elbv2-k8s-aws-v1beta1-targetgroupbinding Fail 10',
    'vingress.elbv2.k8s.aws /validate-networking-v1-ingress Fail 10',
  ]);
  const byName = new Map([...mutating!.webhooks, ...validating!.webhooks].map((h) => [h.name, h]));
  t.same(byName.get('mpod.elbv2.k8s.aws')!.namespaceSelector, { matchExpressions: [{ key: READINESS_GATE_LABEL, operator: 'In', values: ['enabled'] }] });
  for (const name of ['mpod', 'quicid', 'mservice', 'alb-target-control.namespace', 'alb-target-control.object', 'vingressclassparams']) {
    t.same(byName.get(`${name}.elbv2.k8s.aws`)!.objectSelector!.matchExpressions[0], { key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['aws-load-balancer-controller'] },
      `${name} exempts the controller's own objects`);
  }
  t.equal(byName.get('vingress.elbv2.k8s.aws')!.matchPolicy, 'Equivalent');
});

t.test('Deployment: readiness probe, anti-affinity, grace period; PDB when replicated', async (t) => {
  const d = lbcDeployment({ version: 'v3.5.0', replicas: 2, clusterName: 'c', region: 'r', vpcId: 'vpc-1' }) as any;
  const pod = d.spec.template.spec;
  t.same(pod.containers[0].readinessProbe, { httpGet: { path: '/readyz', port: 61779, scheme: 'HTTP' }, initialDelaySeconds: 10, timeoutSeconds: 10, successThreshold: 1, failureThreshold: 2 });
  t.equal(pod.terminationGracePeriodSeconds, 10);
  t.same(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey, 'kubernetes.io/hostname');
  t.same(lbcPodDisruptionBudget(2).map((p) => p.spec), [{ selector: { matchLabels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller' } }, maxUnavailable: 1 }]);
  t.same(lbcPodDisruptionBudget(1), [], 'one replica: no budget (it would block every drain)');
});

const svc = (name: string, namespace?: string): ServiceSpec => ({ name, image: 'x', port: 50051, grpcService: 'helloworld.Greeter', ...(namespace ? { namespace } : {}) });
const spec = (services: ServiceSpec[], install = true): ResolvedSpec => withDefaults({
  apiVersion: 'platformd.dev/v1alpha1', kind: 'Platform', metadata: { name: 'demo' }, region: 'ap-northeast-1',
  network: { vpc: { cidr: '10.0.0.0/16' }, subnets: { public: [], private: [] } },
  cluster: { name: 'demo-cluster', version: '1.35', nodeGroups: [] }, services, loadBalancerController: { install },
} as PlatformSpec);

t.test('graph: every service namespace is labelled for readiness gates, before its workloads', async (t) => {
  const nodes = buildKube(spec([svc('a'), svc('b', 'shop'), svc('c', 'shop')]));
  const labels = nodes.filter((n) => n.kind === 'kube/namespace-labels');
  t.same(labels.map((n) => [n.id, n.properties]), [
    ['kube/namespace-labels/default', { namespace: 'default', labels: { [READINESS_GATE_LABEL]: 'enabled' } }],
    ['kube/namespace-labels/shop', { namespace: 'shop', labels: { [READINESS_GATE_LABEL]: 'enabled' } }],
  ]);
  t.ok(labels.find((n) => n.id.endsWith('/shop'))!.dependsOn.includes('kube/Namespace/shop'), 'a namespace platformd creates comes first');
  t.notOk(nodes.some((n) => n.id === 'kube/Namespace/default'), '`default` itself is not claimed');
  t.ok(nodes.find((n) => n.id === 'kube/Deployment/shop/b')!.dependsOn.includes('kube/namespace-labels/shop'), 'pods start in a labelled namespace');
  t.ok(nodes.find((n) => n.id === 'kube/Service/default/a')!.dependsOn.includes('kube/Deployment/kube-system/aws-load-balancer-controller'), 'Services after the controller');
  t.ok(nodes.some((n) => n.id === 'kube/PodDisruptionBudget/kube-system/aws-load-balancer-controller'));
  const without = buildKube(spec([svc('a')], false));
  t.notOk(without.find((n) => n.id === 'kube/Service/default/a')!.dependsOn.some((d) => d.includes('aws-load-balancer-controller')), 'no controller installed: no such dependency');
});
