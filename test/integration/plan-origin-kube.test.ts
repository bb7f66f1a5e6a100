// Issue 15: for Kubernetes objects the record of what platformd applied is its managedFields entry.
// A field someone changed with an update (what kubectl edit and kubectl scale send) moves to their
// manager, as kube-apiserver moves it, and the plan calls it "changed outside platformd"; a field
// platformd still owns that the spec changes is "spec"; both at once is "both".
import t from 'tap';
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { eksKubeAccess } from '../../src/cloud/kube.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import type { ResolvedSpec } from '../../src/platform-spec/resolved.js';

type Managed = { manager: string; operation: string; fieldsV1: { 'f:spec'?: Record<string, unknown> } };
type Deployment = KubernetesObject & { metadata: { managedFields?: Managed[] }; spec: { replicas: number } };
const LAYERS: ('network' | 'iam' | 'eks' | 'kube')[] = ['network', 'iam', 'eks', 'kube'];
const ID = 'kube/Deployment/default/route-guide';
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'route-guide', namespace: 'default' } };

t.test('a Deployment: spec, outside (kubectl edit through the real client), both; repaired and empty again', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const spec = await referenceSpec((s) => { delete s.domain; });
  const opts = (s: ResolvedSpec = spec) => ({ spec: s, aws: sb.clients, kube: clusterAccessFor(s, sb.clients), layers: LAYERS });
  t.ok((await applyPlatform(opts())).ok, 'converged');
  t.same((await planPlatform(opts())).plan.changes, [], 'the next plan is empty');
  const change = async (s?: ResolvedSpec) => (await planPlatform(opts(s))).plan.changes.find((c) => c.id === ID);
  const withImage = await referenceSpec((s) => { delete s.domain; s.services!.find((x) => x.name === 'route-guide')!.image = 'public.ecr.aws/platformd/route-guide:1.1.0'; });

  // (a) The spec changed a field platformd owns.
  const bySpec = await change(withImage);
  t.equal(bySpec?.origin, 'spec');
  t.match(renderPlanText((await planPlatform(opts(withImage))).plan), /# will be updated to match the spec/);

  // (b) kubectl edit: a merge patch by another field manager, through the real client over HTTP.
  const api = await eksKubeAccess(sb.clients, 'grpc-demo').objects();
  await api.patch({ ...ref, spec: { replicas: 5 } }, undefined, undefined, 'kubectl-edit', undefined, PatchStrategy.MergePatch);
  const live = await api.read(ref) as Deployment;
  const owners = (live.metadata.managedFields ?? []).filter((m) => m.fieldsV1['f:spec'] && 'f:replicas' in m.fieldsV1['f:spec']).map((m) => `${m.manager}/${m.operation}`);
  t.same(owners, ['kubectl-edit/Update'], 'the API server moved spec.replicas to kubectl-edit, as kube-apiserver does');
  const outside = await change();
  t.equal(outside?.origin, 'outside');
  t.same(outside?.fieldOrigins, { 'spec.replicas': 'outside' });
  t.match(renderPlanText((await planPlatform(opts())).plan), /~ kube\/Deployment\/default\/route-guide .*  # changed outside platformd; will be set back to the spec\n/);

  // (c) Both: the spec's new image and the replicas changed outside.
  const both = await change(withImage);
  t.equal(both?.origin, 'both');
  t.same(both?.fieldOrigins, { 'spec.replicas': 'outside', 'spec.template.spec.containers[route-guide].image': 'spec' });

  // Apply takes replicas back (a forced apply moves ownership back) and the next plan is empty.
  t.ok((await applyPlatform(opts())).ok, 'apply repairs it');
  const repaired = await api.read(ref) as Deployment;
  t.equal(repaired.spec.replicas, 2);
  t.same((await planPlatform(opts())).plan.changes, [], 'converged again');
});
