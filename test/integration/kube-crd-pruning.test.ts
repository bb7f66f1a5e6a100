// Custom resources on the sandbox API server as on kube-apiserver: pruned to their CRD's
// structural schema, validated against it (422 Invalid with causes), served at every version.
import t from 'tap';
import { PatchStrategy, type KubernetesObject, type KubernetesObjectApi } from '@kubernetes/client-node';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform } from '../../src/engine.js';
import { eksKubeAccess } from '../../src/cloud/kube.js';
import { lbcCrds } from '../../src/resources/kube/lbc-manifests.js';
import { toClientModel } from '../../src/resources/kube/wire-form.js';

type Obj = KubernetesObject & Record<string, any>;
// Through the client's model, as platformd sends objects (wire-form.ts).
const apply = (api: KubernetesObjectApi, o: Obj, manager = 'test') => api.patch(toClientModel(o), undefined, undefined, manager, true, PatchStrategy.ServerSideApply) as Promise<Obj>;

const tgb = (name: string, apiVersion = 'elbv2.k8s.aws/v1beta1'): Obj => ({
  apiVersion, kind: 'TargetGroupBinding', metadata: { name, namespace: 'default' },
  spec: { serviceRef: { name: 'route-guide', port: 50051 }, targetGroupARN: 'arn:aws:elasticloadbalancing:ap-northeast-1:000000000000:targetgroup/k8s-x/0123456789abcdef', targetType: 'ip',
    networking: { ingress: [{ from: [{ securityGroup: { groupID: 'sg-0123456789abcdef0' } }], ports: [{ port: 50051, protocol: 'TCP' }] }] },
    notInTheSchema: 'dropped' },
});

t.test('a TargetGroupBinding keeps spec.networking under the upstream CRD and loses it under a cut-down one', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec((s) => { delete s.domain; });
  t.ok((await applyPlatform({ spec, aws: sb.clients, layers: ['network', 'iam', 'eks'] })).ok, 'cluster up');
  const api = await eksKubeAccess(sb.clients, 'grpc-demo').objects();
  const upstream = (lbcCrds('v3.5.0') as any[]).find((c) => c.spec.names.kind === 'TargetGroupBinding')!;
  await apply(api, upstream);

  const written = await apply(api, tgb('with-networking'));
  t.same(written.spec.networking, tgb('x').spec.networking, 'spec.networking reads back as written');
  t.notOk('notInTheSchema' in written.spec, 'a field the schema does not declare is pruned');
  const read = await api.read({ apiVersion: 'elbv2.k8s.aws/v1alpha1', kind: 'TargetGroupBinding', metadata: { name: 'with-networking', namespace: 'default' } }) as Obj;
  t.equal(read.apiVersion, 'elbv2.k8s.aws/v1alpha1', 'served at the other version the CRD serves');
  t.equal(read.metadata?.uid, written.metadata?.uid, 'the same object');

  const bad = tgb('bad');
  bad.spec.targetType = 'lambda';
  delete bad.spec.serviceRef;
  const err = await apply(api, bad).then(() => undefined, (e: { code: number; body: unknown }) => e);
  t.equal(err?.code, 422, 'an invalid custom resource is refused');
  const status = (typeof err?.body === 'string' ? JSON.parse(err.body) : err?.body) as Obj;
  t.match(status, { kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422, details: { name: 'bad', group: 'elbv2.k8s.aws', kind: 'TargetGroupBinding' } });
  t.same(status.details.causes.map((c: { reason: string; field: string }) => `${c.reason} ${c.field}`).sort(), ['FieldValueNotSupported spec.targetType', 'FieldValueRequired spec.serviceRef']);
  t.match(status.message, /^TargetGroupBinding\.elbv2\.k8s\.aws "bad" is invalid: \[/);

  // The cut-down CRD platformd used to ship: spec has three fields.
  const cut = structuredClone(upstream);
  for (const v of cut.spec.versions) {
    const props = v.schema.openAPIV3Schema.properties.spec.properties;
    v.schema.openAPIV3Schema.properties.spec.properties = { serviceRef: props.serviceRef, targetGroupARN: props.targetGroupARN, targetType: props.targetType };
  }
  await apply(api, cut);
  const pruned = await apply(api, tgb('cut-down'));
  t.notOk('networking' in pruned.spec, 'under a schema without it, spec.networking is pruned');
  t.equal(pruned.spec.targetGroupARN, tgb('x').spec.targetGroupARN, 'declared fields stay');

  const preserving = structuredClone(cut);
  for (const v of preserving.spec.versions) v.schema.openAPIV3Schema.properties.spec['x-kubernetes-preserve-unknown-fields'] = true;
  await apply(api, preserving);
  const kept = await apply(api, tgb('preserved'));
  t.same(kept.spec.networking, tgb('x').spec.networking, 'x-kubernetes-preserve-unknown-fields keeps undeclared fields');
});
