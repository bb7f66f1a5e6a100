// The load balancer controller installed as its v3.5.0 chart installs it, through the real client
// and the sandbox's API server: the CRDs arrive whole (the typed client used to drop every
// `x-kubernetes-*` and `enum` key on the way out and read the rest back renamed), every served
// version is served, the service namespace carries the readiness-gate label without platformd
// claiming it, and the label is given up when no service lives there any more.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { READINESS_GATE_LABEL } from '../../src/resources/kube/lbc-manifests.js';

const LAYERS: ('network' | 'iam' | 'eks' | 'kube')[] = ['network', 'iam', 'eks', 'kube'];

t.test('chart objects read back as sent; the readiness-gate label comes and goes without claiming the namespace', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec((s) => { delete s.domain; });
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients), layers: LAYERS };
  t.ok((await applyPlatform(opts)).ok, 'converged');
  t.same((await planPlatform(opts)).plan.changes.map((c) => `${c.action} ${c.id} ${JSON.stringify(c.fields).slice(0, 200)}`), [], 'the second plan is empty');

  const store = sb.kube.clusters.get('grpc-demo')!.store;
  const crd = store.get(store.resource('apiextensions.k8s.io/v1', 'CustomResourceDefinition')!, undefined, 'targetgroupbindings.elbv2.k8s.aws');
  const beta = crd.spec.versions.find((v: { name: string }) => v.name === 'v1beta1').schema.openAPIV3Schema.properties.spec.properties;
  t.equal(beta.serviceRef.properties.port['x-kubernetes-int-or-string'], true, 'x-kubernetes-* keys reached the server');
  t.same(beta.targetType.enum, ['instance', 'ip'], 'enums reached the server');
  t.notOk(JSON.stringify(crd).includes('x_kubernetes'), 'no client-model key names on the wire');
  for (const v of ['v1alpha1', 'v1beta1']) t.ok(store.resource(`elbv2.k8s.aws/${v}`, 'TargetGroupBinding'), `TargetGroupBinding served at ${v}`);

  const tgbs = store.resource('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding')!;
  const networking = { ingress: [{ from: [{ securityGroup: { groupID: 'sg-0123' } }], ports: [{ port: 50051, protocol: 'TCP' }] }] };
  store.create(tgbs, { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'k8s-default-routegui-0123', namespace: 'default' },
    spec: { targetGroupARN: 'arn:aws:elasticloadbalancing:ap-northeast-1:000000000000:targetgroup/k8s/0123', targetType: 'ip', serviceRef: { name: 'route-guide', port: 50051 }, networking } });
  t.same(store.get(tgbs, 'default', 'k8s-default-routegui-0123').spec.networking, networking, 'spec.networking reads back');

  const namespaces = store.resource('v1', 'Namespace')!;
  const def = store.get(namespaces, undefined, 'default');
  t.equal(def.metadata.labels[READINESS_GATE_LABEL], 'enabled', 'default is labelled for readiness gates');
  t.notOk(def.metadata.labels['platformd.dev/platform'], 'but not claimed as ours');
  const pdb = store.tryGet(store.resource('policy/v1', 'PodDisruptionBudget')!, 'kube-system', 'aws-load-balancer-controller');
  t.equal(pdb?.spec.maxUnavailable, 1, 'the controller has its PodDisruptionBudget');

  // Every service moves to its own namespace: `default` gives the label up and stays.
  const moved = await referenceSpec((s) => { delete s.domain; s.services = s.services!.map((x) => ({ ...x, namespace: 'grpc' })); });
  const movedOpts = { ...opts, spec: moved };
  const plan = await planPlatform(movedOpts);
  t.ok(plan.plan.changes.some((c) => c.action === '-' && c.id === 'kube/namespace-labels/default'), 'the label on default is planned away');
  t.ok((await applyPlatform({ ...movedOpts, plan })).ok);
  const after = store.get(namespaces, undefined, 'default');
  t.notOk(after.metadata.labels?.[READINESS_GATE_LABEL], 'default no longer carries it');
  t.equal(store.get(namespaces, undefined, 'grpc').metadata.labels[READINESS_GATE_LABEL], 'enabled', 'the new namespace does');
  t.same((await planPlatform(movedOpts)).plan.changes.map((c) => `${c.action} ${c.id}`), [], 'and the next plan is empty');
});
