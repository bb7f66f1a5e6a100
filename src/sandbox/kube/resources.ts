// The API resources the emulated API server serves (discovery), built in and from CRDs.
export interface ApiResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Has a /status subresource: writes to the main resource ignore .status. */
  status: boolean;
}

const r = (group: string, version: string, kind: string, plural: string, namespaced: boolean, status = false): ApiResource => ({ group, version, kind, plural, namespaced, status });

export const BUILTIN: ApiResource[] = [
  r('', 'v1', 'Namespace', 'namespaces', false, true),
  r('', 'v1', 'Node', 'nodes', false, true),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', true),
  r('', 'v1', 'Service', 'services', true, true),
  r('', 'v1', 'ConfigMap', 'configmaps', true),
  r('', 'v1', 'Secret', 'secrets', true),
  r('', 'v1', 'Pod', 'pods', true, true),
  r('', 'v1', 'Endpoints', 'endpoints', true),
  r('', 'v1', 'Event', 'events', true),
  r('apps', 'v1', 'Deployment', 'deployments', true, true),
  r('apps', 'v1', 'DaemonSet', 'daemonsets', true, true),
  r('apps', 'v1', 'ReplicaSet', 'replicasets', true, true),
  r('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, true),
  r('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
  r('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  r('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  r('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  r('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  r('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, true),
  r('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false),
  r('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  r('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  // https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/pod-disruption-budget-v1/
  r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, true),
];

/**
 * Short names discovery lists for built-in resources (`kubectl get deploy`), as each resource's
 * REST storage returns them from ShortNames() in kubernetes/kubernetes pkg/registry/<group>/<resource>/storage/storage.go.
 * Keyed by `group/plural` (core group: empty).
 */
export const SHORT_NAMES: Record<string, string[]> = {
  '/namespaces': ['ns'], '/nodes': ['no'], '/serviceaccounts': ['sa'], '/services': ['svc'], '/configmaps': ['cm'], '/pods': ['po'],
  '/endpoints': ['ep'], '/events': ['ev'], 'apps/deployments': ['deploy'], 'apps/daemonsets': ['ds'], 'apps/replicasets': ['rs'],
  'networking.k8s.io/ingresses': ['ing'], 'apiextensions.k8s.io/customresourcedefinitions': ['crd', 'crds'], 'policy/poddisruptionbudgets': ['pdb'],
};

export function groupVersion(res: Pick<ApiResource, 'group' | 'version'>): string {
  return res.group ? `${res.group}/${res.version}` : res.version;
}
