// Apply through network, IAM, EKS and the cluster: workloads and the load balancer controller are
// applied with server-side apply under field manager platformd, labelled as ours; a second plan is empty.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';

const LAYERS: ('network' | 'iam' | 'eks' | 'kube')[] = ['network', 'iam', 'eks', 'kube'];

t.test('the cluster layer converges and a second plan is empty', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  // No domain: no certificate, so no Ingress — this test is about the cluster layer alone.
  const spec = await referenceSpec((s) => { delete s.domain; });
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients), layers: LAYERS };
  const result = await applyPlatform(opts);
  t.same(result.failed, [], 'no failures');
  t.ok(result.ok);
  const again = await planPlatform(opts);
  t.same(again.plan.changes.map((c) => `${c.action} ${c.id} ${JSON.stringify(c.fields).slice(0, 300)}`), [], 'the second plan is empty');

  const store = sb.kube.clusters.get('grpc-demo')!.store;
  const deployment = store.get(store.resource('apps/v1', 'Deployment')!, 'default', 'route-guide');
  t.equal(deployment.metadata.labels['app.kubernetes.io/managed-by'], 'platformd');
  t.equal(deployment.metadata.labels['platformd.dev/platform'], 'grpc-demo');
  t.ok(deployment.metadata.managedFields.some((m: { manager: string; operation: string }) => m.manager === 'platformd' && m.operation === 'Apply'), 'applied by field manager platformd');
  t.match(deployment.spec.template.spec.containers[0].readinessProbe.grpc, { port: 50051 }, 'gRPC readiness probe');
  t.equal(deployment.status.availableReplicas, 2);
  const lbc = store.get(store.resource('apps/v1', 'Deployment')!, 'kube-system', 'aws-load-balancer-controller');
  t.match(lbc.spec.template.spec.containers[0].args, ['--cluster-name=grpc-demo', '--ingress-class=alb', '--aws-region=ap-northeast-1', '--aws-vpc-id', /^vpc-/]);
  const sa = store.get(store.resource('v1', 'ServiceAccount')!, 'kube-system', 'aws-load-balancer-controller');
  t.match(sa.metadata.annotations['eks.amazonaws.com/role-arn'], /role\/platformd\/grpc-demo\/grpc-demo-irsa-load-balancer-controller$/);
  const hook = store.get(store.resource('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration')!, undefined, 'aws-load-balancer-webhook');
  const secret = store.get(store.resource('v1', 'Secret')!, 'kube-system', 'aws-load-balancer-tls');
  t.equal(hook.webhooks[0].clientConfig.caBundle, secret.data['ca.crt'], 'the webhook trusts the CA platformd generated');
  t.ok(store.tryGet(store.resource('networking.k8s.io/v1', 'IngressClass')!, undefined, 'alb'), 'IngressClass alb');
  t.ok(store.resource('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding'), 'the CRDs are served');
});

t.test('removing a service prunes its objects; objects without our labels are left alone', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec((s) => { delete s.domain; });
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients), layers: LAYERS };
  t.ok((await applyPlatform(opts)).ok);
  const store = sb.kube.clusters.get('grpc-demo')!.store;
  const deployments = store.resource('apps/v1', 'Deployment')!;
  // Someone else's Deployment in the same namespace, with a name that looks like ours.
  store.create(deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'kv-store-legacy', namespace: 'default', labels: { app: 'legacy' } },
    spec: { replicas: 1, selector: { matchLabels: { app: 'legacy' } }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'legacy:1' }] } } } });

  const fewer = await referenceSpec((s) => { delete s.domain; s.services = s.services!.filter((x) => x.name !== 'kv-store'); });
  const plan = await planPlatform({ ...opts, spec: fewer });
  t.same(plan.plan.changes.filter((c) => c.id.startsWith('kube/')).map((c) => `${c.action} ${c.id}`).sort(),
    ['- kube/Deployment/default/kv-store', '- kube/Service/default/kv-store'], 'exactly the removed service\'s objects are pruned');
  t.ok((await applyPlatform({ ...opts, spec: fewer, plan })).ok);
  t.notOk(store.tryGet(deployments, 'default', 'kv-store'), 'pruned');
  t.ok(store.tryGet(deployments, 'default', 'kv-store-legacy'), 'the unlabelled Deployment is untouched');
});
