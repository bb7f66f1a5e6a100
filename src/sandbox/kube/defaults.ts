// Defaulting as kube-apiserver does it on create, update and apply, after the patch is merged and
// before validation, for the kinds platformd applies or reads. Defaults are set by the server, so
// they belong to no field manager: a client that diffs whole objects sees them as drift; one that
// compares only what it owns does not (which is the point of emulating them).
//
// | kind / type                         | field → default                                                          | source (kubernetes/kubernetes)                      |
// |-------------------------------------|--------------------------------------------------------------------------|-----------------------------------------------------|
// | apps/v1 Deployment                  | replicas 1; strategy RollingUpdate, maxUnavailable/maxSurge "25%";        | pkg/apis/apps/v1/defaults.go SetDefaults_Deployment |
// |                                     | revisionHistoryLimit 10; progressDeadlineSeconds 600                     |                                                     |
// | apps/v1 DaemonSet                   | updateStrategy RollingUpdate, maxUnavailable 1, maxSurge 0; revisionHistoryLimit 10 | pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet |
// | PodSpec (pod templates, Pods)       | dnsPolicy ClusterFirst; restartPolicy Always; securityContext {};        | pkg/apis/core/v1/defaults.go SetDefaults_PodSpec    |
// |                                     | terminationGracePeriodSeconds 30; schedulerName default-scheduler        |                                                     |
// | Pod                                 | enableServiceLinks true                                                  | pkg/apis/core/v1/defaults.go SetDefaults_Pod        |
// | Container                           | imagePullPolicy Always for :latest or no tag, else IfNotPresent;         | pkg/apis/core/v1/defaults.go SetDefaults_Container  |
// |                                     | terminationMessagePath /dev/termination-log; terminationMessagePolicy File |                                                   |
// | ContainerPort, ServicePort          | protocol TCP                                                             | staging/src/k8s.io/api/core/v1/types.go +default="TCP"; SetDefaults_Service |
// | Probe                               | timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3 | pkg/apis/core/v1/defaults.go SetDefaults_Probe    |
// | HTTPGetAction                       | path "/", scheme HTTP                                                    | pkg/apis/core/v1/defaults.go SetDefaults_HTTPGetAction |
// | GRPCAction                          | service ""                                                               | staging/src/k8s.io/api/core/v1/types.go +default="" |
// | Secret/ConfigMap/Projected volume   | defaultMode 420 (0644)                                                   | pkg/apis/core/v1/defaults.go SetDefaults_*VolumeSource |
// | EnvVar fieldRef                     | apiVersion v1                                                            | pkg/apis/core/v1/defaults.go SetDefaults_ObjectFieldSelector |
// | core/v1 Service                     | type ClusterIP; sessionAffinity None; port targetPort = port;            | pkg/apis/core/v1/defaults.go SetDefaults_Service    |
// |                                     | internalTrafficPolicy Cluster; clusterIP(s), ipFamilies [IPv4],          | pkg/registry/core/service/storage (allocation)      |
// |                                     | ipFamilyPolicy SingleStack allocated at create                           |                                                     |
// | core/v1 Secret                      | type Opaque                                                              | pkg/apis/core/v1/defaults.go SetDefaults_Secret     |
// | core/v1 Namespace                   | label kubernetes.io/metadata.name; spec.finalizers [kubernetes]          | SetDefaults_Namespace; pkg/registry/core/namespace/strategy.go |
// | admissionregistration/v1 webhooks   | failurePolicy Fail; matchPolicy Equivalent; namespaceSelector {};        | pkg/apis/admissionregistration/v1/defaults.go       |
// |                                     | objectSelector {}; timeoutSeconds 10; rules[].scope "*";                 | (v1: sideEffects and admissionReviewVersions are    |
// |                                     | service.port 443; mutating: reinvocationPolicy Never                     |  required, not defaulted)                           |
// | rbac/v1 (Cluster)RoleBinding        | roleRef.apiGroup rbac.authorization.k8s.io; subjects[].apiGroup by kind  | pkg/apis/rbac/v1/defaults.go                        |
// | networking/v1 IngressClass          | spec.parameters.scope Cluster (when parameters are set)                  | pkg/apis/networking/v1/defaults.go                  |
// | networking/v1 Ingress               | none: pathType is required (validation, not a default)                   | pkg/apis/networking/validation/validation.go        |
// | apiextensions/v1 CRD                | names.singular lower(kind); names.listKind <Kind>List;                   | staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/defaults.go |
// |                                     | conversion {strategy: None}; status.storedVersions [storage version]     |                                                     |
// | policy/v1 PDB, coordination/v1 Lease, ServiceAccount | none                                                    | (no defaulting functions upstream)                  |
//
// Resource quantities are kept as written (the real server canonicalises them: "0.5" → "500m").
import type { KubeObject } from './store.js';

type Obj = Record<string, any>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The tag of an image reference ("" when absent): registry ports are not tags. */
function imageTag(image: string): string {
  const noDigest = image.split('@')[0] ?? '';
  const lastPart = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  return colon >= 0 ? lastPart.slice(colon + 1) : '';
}

function defaultProbe(probe: unknown): void {
  if (!isObj(probe)) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (isObj(probe.httpGet)) {
    probe.httpGet.path ??= '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
  if (isObj(probe.grpc)) probe.grpc.service ??= '';
}

function defaultContainer(c: unknown): void {
  if (!isObj(c)) return;
  if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
    const tag = imageTag(c.image);
    // parsers.ParseImageName fills "latest" when no tag (and no digest) is given.
    c.imagePullPolicy = tag === 'latest' || (tag === '' && !c.image.includes('@')) ? 'Always' : 'IfNotPresent';
  }
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  for (const p of c.ports ?? []) if (isObj(p)) p.protocol ??= 'TCP';
  for (const e of c.env ?? []) if (isObj(e?.valueFrom?.fieldRef)) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    if (!isObj(v)) continue;
    for (const source of ['secret', 'configMap', 'projected', 'downwardAPI']) if (isObj(v[source])) v[source].defaultMode ??= 420;
  }
}

function defaultDeployment(o: Obj): void {
  const spec = (o.spec ??= {});
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodSpec(spec.template?.spec);
}

function defaultDaemonSet(o: Obj): void {
  const spec = (o.spec ??= {});
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodSpec(spec.template?.spec);
}

/** Services get a cluster IP from the service CIDR at create (kept on update). */
function defaultService(o: Obj, prev: KubeObject | undefined, allocateIp: () => string): void {
  const spec = (o.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  for (const p of spec.ports ?? []) {
    if (!isObj(p)) continue;
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (['ClusterIP', 'NodePort', 'LoadBalancer'].includes(spec.type)) {
    spec.internalTrafficPolicy ??= 'Cluster';
    spec.clusterIP ??= prev?.spec?.clusterIP ?? allocateIp();
    spec.clusterIPs ??= prev?.spec?.clusterIPs ?? [spec.clusterIP];
    spec.ipFamilies ??= prev?.spec?.ipFamilies ?? ['IPv4'];
    spec.ipFamilyPolicy ??= prev?.spec?.ipFamilyPolicy ?? 'SingleStack';
  }
}

function defaultWebhooks(o: Obj, mutating: boolean): void {
  for (const w of o.webhooks ?? []) {
    if (!isObj(w)) continue;
    w.failurePolicy ??= 'Fail';
    w.matchPolicy ??= 'Equivalent';
    w.namespaceSelector ??= {};
    w.objectSelector ??= {};
    w.timeoutSeconds ??= 10;
    if (mutating) w.reinvocationPolicy ??= 'Never';
    if (isObj(w.clientConfig?.service)) w.clientConfig.service.port ??= 443;
    for (const r of w.rules ?? []) if (isObj(r)) r.scope ??= '*';
  }
}

function defaultBinding(o: Obj): void {
  if (isObj(o.roleRef)) o.roleRef.apiGroup ||= 'rbac.authorization.k8s.io';
  for (const s of o.subjects ?? []) {
    if (!isObj(s) || s.apiGroup) continue;
    s.apiGroup = s.kind === 'ServiceAccount' ? '' : 'rbac.authorization.k8s.io';
  }
}

function defaultCrd(o: Obj): void {
  const spec = (o.spec ??= {});
  const names = (spec.names ??= {});
  if (names.kind) {
    names.singular ??= String(names.kind).toLowerCase();
    names.listKind ??= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
  const storage = (spec.versions ?? []).find((v: Obj) => v.storage)?.name;
  if (storage && !(o.status?.storedVersions ?? []).length) o.status = { ...o.status, storedVersions: [storage] };
}

/**
 * Mutates `o` (already merged, about to be validated and stored) with the server's defaults for
 * its kind. `prev` is the stored object on update; `allocateIp` hands out a Service cluster IP.
 */
export function applyDefaults(o: KubeObject, prev: KubeObject | undefined, allocateIp: () => string): void {
  switch (`${o.apiVersion}/${o.kind}`) {
    case 'apps/v1/Deployment': case 'apps/v1/ReplicaSet': return defaultDeploymentLike(o);
    case 'apps/v1/DaemonSet': return defaultDaemonSet(o);
    case 'v1/Pod': {
      defaultPodSpec(o.spec);
      if (isObj(o.spec)) o.spec.enableServiceLinks ??= true;
      return;
    }
    case 'v1/Service': return defaultService(o, prev, allocateIp);
    case 'v1/Secret': o.type ??= 'Opaque'; return;
    case 'v1/Namespace': {
      o.metadata.labels = { ...o.metadata.labels, 'kubernetes.io/metadata.name': o.metadata.name };
      o.spec = { finalizers: ['kubernetes'], ...o.spec };
      return;
    }
    case 'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': return defaultWebhooks(o, false);
    case 'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': return defaultWebhooks(o, true);
    case 'rbac.authorization.k8s.io/v1/RoleBinding': case 'rbac.authorization.k8s.io/v1/ClusterRoleBinding': return defaultBinding(o);
    case 'networking.k8s.io/v1/IngressClass': {
      if (isObj(o.spec?.parameters)) o.spec.parameters.scope ??= 'Cluster';
      return;
    }
    case 'apiextensions.k8s.io/v1/CustomResourceDefinition': return defaultCrd(o);
    default: return;
  }
}

function defaultDeploymentLike(o: KubeObject): void {
  if (o.kind === 'Deployment') return defaultDeployment(o);
  // SetDefaults_ReplicaSet: replicas 1; the template's pod spec as everywhere.
  o.spec ??= {};
  o.spec.replicas ??= 1;
  defaultPodSpec(o.spec.template?.spec);
}
