// Drift is only what platformd owns (issue 13): fields another field manager adds survive and are
// never drift; a field platformd set that someone forced to another value is drift on exactly its
// path and the next apply repairs it; a field platformd stops setting is removed from the object.
import t from 'tap';
import { PatchStrategy, type KubernetesObject, type KubernetesObjectApi } from '@kubernetes/client-node';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { eksKubeAccess } from '../../src/cloud/kube.js';
import { toClientModel } from '../../src/resources/kube/wire-form.js';

type Obj = KubernetesObject & { metadata: { name: string; namespace?: string; [key: string]: any } } & Record<string, any>;
const LAYERS: ('network' | 'iam' | 'eks' | 'kube')[] = ['network', 'iam', 'eks', 'kube'];
const applyAs = (api: KubernetesObjectApi, manager: string, o: Obj, force = false, dryRun?: string) =>
  api.patch(toClientModel(o), undefined, dryRun, manager, force, PatchStrategy.ServerSideApply) as Promise<Obj>;
const deployment = (spec: Record<string, any>): Obj => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'route-guide', namespace: 'default' }, spec });
const statusOf = (err: { body?: unknown }): Obj => (typeof err.body === 'string' ? JSON.parse(err.body) : err.body) as Obj;

t.test('other managers\' fields are not drift; forced changes to platformd\'s fields are, and are repaired', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec((s) => { delete s.domain; s.services!.find((x) => x.name === 'route-guide')!.env = { LOG_LEVEL: 'debug' }; });
  const opts = { spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients), layers: LAYERS };
  t.ok((await applyPlatform(opts)).ok, 'converged');
  const api = await eksKubeAccess(sb.clients, 'grpc-demo').objects();
  const kubePlan = async (o = opts) => (await planPlatform(o)).plan.changes.filter((c) => c.id.startsWith('kube/'))
    .map((c) => `${c.action} ${c.id} ${c.fields.map((f) => f.path).join(' ')}`.trim());

  // Another manager adds a sidecar, an annotation, and a webhook setting platformd leaves to the server.
  const sidecar = { template: { spec: { containers: [{ name: 'log-shipper', image: 'fluent/fluent-bit:3.1' }] } } };
  await applyAs(api, 'ops-team', { ...deployment(sidecar), metadata: { name: 'route-guide', namespace: 'default', annotations: { 'ops.example.com/owner': 'team-a' } } });
  await applyAs(api, 'ops-team', { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'aws-load-balancer-webhook', labels: { 'ops.example.com/audited': 'yes' } },
    webhooks: [{ name: 'vtargetgroupbinding.elbv2.k8s.aws', matchPolicy: 'Exact' }] } as Obj);
  t.same(await kubePlan(), [], 'the plan stays empty');
  t.ok((await applyPlatform(opts)).ok, 'apply again');
  const live = await api.read(deployment({})) as Obj;
  t.same(live.spec.template.spec.containers.map((c: Obj) => c.name), ['route-guide', 'log-shipper'], 'the other manager\'s container survives the apply');
  t.equal(live.metadata.annotations?.['ops.example.com/owner'], 'team-a', 'and its annotation');
  const hooks = await api.read({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'aws-load-balancer-webhook' } }) as Obj;
  t.equal(hooks.metadata.labels?.['ops.example.com/audited'], 'yes', 'the webhook configuration keeps the other manager\'s label');
  t.equal(hooks.webhooks.find((w: Obj) => w.name === 'vtargetgroupbinding.elbv2.k8s.aws').matchPolicy, 'Exact', 'and its matchPolicy');
  t.equal(hooks.webhooks.length, 3, 'no webhook added or lost');

  // Without force, changing platformd's replicas is a conflict, answered as kube-apiserver answers it.
  const err = await applyAs(api, 'hotfix', deployment({ replicas: 5 })).then(() => undefined, (e: { code: number; body?: unknown }) => e);
  t.equal(err?.code, 409, 'conflict without force');
  t.match(statusOf(err!), { kind: 'Status', reason: 'Conflict', code: 409, details: { causes: [{ reason: 'FieldManagerConflict', field: '.spec.replicas', message: 'conflict with "platformd" using apps/v1' }] } });
  const dry = await applyAs(api, 'hotfix', deployment({ replicas: 4 }), true, 'All');
  t.equal(dry.spec.replicas, 4, 'dryRun=All answers with the result');
  t.equal((await api.read(deployment({})) as Obj).spec.replicas, 2, 'and changes nothing');

  // With force: platformd loses those fields, and they are drift on exactly their paths.
  // (A third manager: an apply by ops-team without its sidecar would remove the sidecar, as SSA does.)
  await applyAs(api, 'hotfix', deployment({ replicas: 5, template: { spec: { containers: [{ name: 'route-guide', image: 'public.ecr.aws/platformd/route-guide:9.9.9' }] } } }), true);
  t.same(await kubePlan(), ['~ kube/Deployment/default/route-guide spec.replicas spec.template.spec.containers[route-guide].image'], 'drift on exactly the forced paths');
  t.ok((await applyPlatform(opts)).ok, 'apply repairs it');
  const repaired = await api.read(deployment({})) as Obj;
  t.equal(repaired.spec.replicas, 2, 'replicas back');
  t.equal(repaired.spec.template.spec.containers.find((c: Obj) => c.name === 'route-guide').image, 'public.ecr.aws/platformd/route-guide:1.0.0', 'image back');
  t.ok(repaired.spec.template.spec.containers.some((c: Obj) => c.name === 'log-shipper'), 'the sidecar is still there');
  t.same(await kubePlan(), [], 'and the next plan is empty');

  // A field removed from the spec is removed from the object.
  const noEnv = await referenceSpec((s) => { delete s.domain; });
  const noEnvOpts = { ...opts, spec: noEnv, kube: clusterAccessFor(noEnv, sb.clients) };
  t.same(await kubePlan(noEnvOpts), ['~ kube/Deployment/default/route-guide spec.template.spec.containers[route-guide].env'], 'the removal is planned on its path');
  t.ok((await applyPlatform(noEnvOpts)).ok, 'apply');
  const after = await api.read(deployment({})) as Obj;
  t.notOk('env' in after.spec.template.spec.containers.find((c: Obj) => c.name === 'route-guide'), 'env is gone from the container');
  t.same(await kubePlan(noEnvOpts), [], 'and the next plan is empty');
});
