// kube/namespace-labels: labels platformd keeps on a namespace it may not own (`default` holds
// services too), such as the load balancer controller's readiness-gate label. Only those label
// fields are applied, with server-side apply under a field manager of their own, so the namespace
// itself is never claimed, changed otherwise or deleted; a marker annotation in the same apply
// lets one list find them again. Deleting gives the fields up: an apply that no longer sends them
// makes the server remove what this manager alone owned (server-side apply's field ownership).
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { defineKind, type Observed } from '../kind.js';
import { allNamespaces, withFreshToken } from './object-kind.js';
import { isKubeNotFound } from '../../cloud/kube-errors.js';
import { namespaceLabelsId } from '../../graph/ids.js';

export interface NamespaceLabelsProps {
  namespace: string;
  labels: Record<string, string>;
}
type Live = KubernetesObject & { metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> } };

const FIELD_MANAGER = 'platformd-namespace-labels';
/** Which platform applied the labels (annotation values may hold anything, label values may not). */
export const ANNOTATION_LABELLED_BY = 'platformd.dev/labelled-by';

function toObserved(live: Live): Observed<NamespaceLabelsProps> {
  return { id: namespaceLabelsId(live.metadata.name), kind: namespaceLabelsKind.kind, physicalId: live.metadata.name, owned: true, status: 'present',
    state: { namespace: live.metadata.name, labels: { ...live.metadata.labels } }, outputs: { name: live.metadata.name } };
}

function applyLabels(namespace: string, labels: Record<string, string>, platform: string | undefined): KubernetesObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, ...(platform ? { labels, annotations: { [ANNOTATION_LABELLED_BY]: platform } } : {}) } };
}

export const namespaceLabelsKind = defineKind<NamespaceLabelsProps, NamespaceLabelsProps>({
  kind: 'kube/namespace-labels',
  observeAfter: ['eks/cluster'],
  async observeAll(ctx) {
    if (!(await ctx.kube.available())) return [];
    // Namespaces are few; one list, then our marker picks ours (no label selector fits an annotation).
    return (await allNamespaces(ctx) as Live[]).filter((n) => n.metadata.annotations?.[ANNOTATION_LABELLED_BY] === ctx.platform).map(toObserved);
  },
  diff(desired, observed) {
    const fields = Object.entries(desired.labels).filter(([k, v]) => observed.state.labels[k] !== v)
      .map(([k, v]) => ({ path: `labels.${k}`, old: observed.state.labels[k] ?? null, new: v }));
    return { fields, replaces: [] };
  },
  async create(ctx, desired) {
    const p = desired.properties;
    const live = await withFreshToken(ctx, (api) => api.patch(applyLabels(p.namespace, p.labels, ctx.platform), undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply));
    return toObserved(live as Live);
  },
  async update(ctx, desired) {
    return this.create(ctx, desired);
  },
  async delete(ctx, observed) {
    // An apply creates what does not exist: give the fields up only on a namespace still there.
    if (!(await this.refresh(ctx, observed))) return;
    await withFreshToken(ctx, (api) => api.patch(applyLabels(observed.physicalId, {}, undefined), undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply));
  },
  async refresh(ctx, observed) {
    try {
      const live = (await withFreshToken(ctx, (api) => api.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: observed.physicalId } }))) as Live;
      return live.metadata.annotations?.[ANNOTATION_LABELLED_BY] ? toObserved(live) : undefined;
    } catch (err) {
      if (isKubeNotFound(err)) return undefined;
      throw err;
    }
  },
  ready: () => true,
});
