// The Kubernetes kinds platformd manages, one typed kind each (object-kind.ts), listed once: the
// registry registers them (resources/all.ts) and the kube layer builds its nodes with them.
import { allNamespaces, crdReady, deploymentReady, kubeObjectKind, type Manifest } from './object-kind.js';
import type { Desired, TypedKind } from '../kind.js';
import { kubeId } from '../../graph/ids.js';

export const customResourceDefinitionKind = kubeObjectKind({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false, readiness: crdReady });
export const namespaceKind = kubeObjectKind({ apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, sharedList: allNamespaces });
export const serviceAccountKind = kubeObjectKind({ apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true });
export const clusterRoleKind = kubeObjectKind({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false });
export const clusterRoleBindingKind = kubeObjectKind({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false });
export const kubeRoleKind = kubeObjectKind({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', plural: 'roles', namespaced: true });
export const roleBindingKind = kubeObjectKind({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true });
export const mutatingWebhookConfigurationKind = kubeObjectKind({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', plural: 'mutatingwebhookconfigurations', namespaced: false });
export const validatingWebhookConfigurationKind = kubeObjectKind({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', plural: 'validatingwebhookconfigurations', namespaced: false });
export const deploymentKind = kubeObjectKind({ apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true, readiness: deploymentReady });
export const podDisruptionBudgetKind = kubeObjectKind({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true });
export const serviceKind = kubeObjectKind({ apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true });
export const ingressClassKind = kubeObjectKind({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', plural: 'ingressclasses', namespaced: false });
export const ingressKind = kubeObjectKind({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses', namespaced: true });

const byKubernetesKind = new Map<string, TypedKind<Manifest, Manifest>>([
  customResourceDefinitionKind, namespaceKind, serviceAccountKind, clusterRoleKind, clusterRoleBindingKind, kubeRoleKind, roleBindingKind,
  mutatingWebhookConfigurationKind, validatingWebhookConfigurationKind, deploymentKind, podDisruptionBudgetKind, serviceKind,
  ingressClassKind, ingressKind,
].map((k) => [k.kind.slice('kube/'.length), k]));

/** The kind of a manifest's Kubernetes `kind` (a manifest builder's output names it as data). */
export function kubeKindOf(kubernetesKind: string): TypedKind<Manifest, Manifest> {
  const kind = byKubernetesKind.get(kubernetesKind);
  if (!kind) throw new Error(`platformd manages no Kubernetes kind ${kubernetesKind}`);
  return kind;
}

/**
 * A manifest as the builders write it (kube layer, lbc-manifests.ts): what names the object is
 * known; anything inside may be an OutputRef, resolved before the object is applied.
 */
export interface BuiltManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** The desired node of a built manifest, of the kind its `kind` names, under its logical id. */
export function manifestNode(manifest: BuiltManifest, dependsOn: readonly string[]): Desired {
  return kubeKindOf(manifest.kind).node(kubeId(manifest.kind, manifest.metadata.namespace, manifest.metadata.name), manifest, dependsOn);
}
