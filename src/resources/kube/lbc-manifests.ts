// The AWS Load Balancer Controller as platformd installs it: what its Helm chart renders with the
// default values (helm/aws-load-balancer-controller/ at the pinned tag upstream; templates named
// beside each object), without cert-manager: service account with its IRSA role, RBAC, CRDs,
// webhook service and configurations with platformd's CA, the Deployment, its
// PodDisruptionBudget, and the IngressClass `alb`.
import type { OutputRef } from '../kind.js';
import type { BuiltManifest } from './kube-kinds.js';
import crdsV3_5_0 from './lbc-crds/v3.5.0.json' with { type: 'json' };

export const LBC_NS = 'kube-system';
export const LBC_NAME = 'aws-load-balancer-controller';
export const LBC_WEBHOOK_SERVICE = 'aws-load-balancer-webhook-service';
export const LBC_TLS_SECRET = 'aws-load-balancer-tls';
/** The leader-election lock the controller takes (its --leader-election-id default). */
export const LBC_LEADER_LOCK = 'aws-load-balancer-controller-leader';
/** Namespace label that makes the controller's pod webhook inject target-health readiness gates. */
export const READINESS_GATE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

type M = BuiltManifest;
const meta = (name: string, namespace?: string, extra: Record<string, unknown> = {}) => ({ name, ...(namespace ? { namespace } : {}), labels: { 'app.kubernetes.io/name': LBC_NAME }, ...extra });

export function lbcServiceAccount(roleArn: string | OutputRef): M {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(LBC_NAME, LBC_NS, { annotations: { 'eks.amazonaws.com/role-arn': roleArn, 'eks.amazonaws.com/sts-regional-endpoints': 'true' } }),
    automountServiceAccountToken: true };
}

/**
 * templates/rbac.yaml with the chart's defaults: the ClusterRole's rules as the chart renders them
 * (generated upstream from config/rbac/role.yaml), without cluster-wide Secrets (the chart grants
 * them only with clusterSecretsPermissions.allowAllSecrets), and leader election in a namespaced
 * Role limited to the controller's own lock by resourceNames (create cannot be limited that way).
 */
export function lbcRbac(): M[] {
  const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]) => ({ apiGroups, resources, ...(resourceNames ? { resourceNames } : {}), verbs });
  const gatewayRoutes = ['grpcroutes', 'httproutes', 'listenersets', 'tcproutes', 'tlsroutes', 'udproutes'];
  const gatewayConfigs = ['listenerruleconfigurations', 'loadbalancerconfigurations', 'targetgroupconfigurations'];
  const sub = (names: string[], suffix: string) => names.map((n) => `${n}/${suffix}`);
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(`${LBC_NAME}-role`), rules: [
      rule([''], ['configmaps'], ['create', 'delete', 'get', 'update']),
      rule([''], ['endpoints', 'namespaces', 'nodes', 'pods'], ['get', 'list', 'watch']),
      rule([''], ['events'], ['create', 'patch']),
      rule([''], ['pods/status', 'services/status'], ['patch', 'update']),
      rule([''], ['services'], ['get', 'list', 'patch', 'update', 'watch']),
      rule(['aga.k8s.aws'], ['globalaccelerators'], ['get', 'list', 'patch', 'watch']),
      rule(['aga.k8s.aws'], ['globalaccelerators/finalizers', 'globalaccelerators/status'], ['patch', 'update']),
      rule(['discovery.k8s.io'], ['endpointslices'], ['get', 'list', 'watch']),
      rule(['elbv2.k8s.aws'], ['albtargetcontrolconfigs'], ['get']),
      rule(['elbv2.k8s.aws'], ['ingressclassparams'], ['get', 'list', 'watch']),
      rule(['elbv2.k8s.aws'], ['targetgroupbindings'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
      rule(['elbv2.k8s.aws'], ['targetgroupbindings/status'], ['patch', 'update']),
      rule(['extensions', 'networking.k8s.io'], ['ingresses'], ['get', 'list', 'patch', 'update', 'watch']),
      rule(['extensions', 'networking.k8s.io'], ['ingresses/status'], ['patch', 'update']),
      rule(['gateway.k8s.aws'], gatewayConfigs, ['get', 'list', 'patch', 'watch']),
      rule(['gateway.k8s.aws'], sub(gatewayConfigs, 'finalizers'), ['patch', 'update']),
      rule(['gateway.k8s.aws'], sub(gatewayConfigs, 'status'), ['get', 'patch', 'update']),
      rule(['gateway.networking.k8s.io'], ['gatewayclasses', 'gateways', 'referencegrants'], ['get', 'list', 'patch', 'watch']),
      rule(['gateway.networking.k8s.io'], ['gatewayclasses/finalizers', 'gateways/finalizers'], ['patch', 'update']),
      rule(['gateway.networking.k8s.io'], ['gatewayclasses/status', 'gateways/status', ...sub(gatewayRoutes, 'status')], ['get', 'patch', 'update']),
      rule(['gateway.networking.k8s.io'], gatewayRoutes, ['get', 'list', 'watch']),
      rule(['gateway.networking.k8s.io'], sub(gatewayRoutes, 'finalizers'), ['update']),
      rule(['networking.k8s.io'], ['ingressclasses'], ['get', 'list', 'watch']),
    ] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta(`${LBC_NAME}-rolebinding`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${LBC_NAME}-role` }, subjects: [{ kind: 'ServiceAccount', name: LBC_NAME, namespace: LBC_NS }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(`${LBC_NAME}-leader-election-role`, LBC_NS), rules: [
      rule([''], ['configmaps'], ['create']),
      rule([''], ['configmaps'], ['get', 'patch', 'update'], [LBC_LEADER_LOCK]),
      rule(['coordination.k8s.io'], ['leases'], ['create']),
      rule(['coordination.k8s.io'], ['leases'], ['get', 'update', 'patch'], [LBC_LEADER_LOCK]),
    ] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(`${LBC_NAME}-leader-election-rolebinding`, LBC_NS),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${LBC_NAME}-leader-election-role` }, subjects: [{ kind: 'ServiceAccount', name: LBC_NAME, namespace: LBC_NS }] },
  ];
}

const CRDS: Readonly<Record<string, readonly M[]>> = { 'v3.5.0': crdsV3_5_0 };

/** Controller versions whose CRDs platformd carries (the schema's enum must match). */
export const LBC_CRD_VERSIONS: readonly string[] = Object.keys(CRDS);

/**
 * The controller's CRDs (TargetGroupBinding, IngressClassParams) as the chart's crds/crds.yaml of
 * that version declares them: every served version and the whole structural schema, because a
 * real API server prunes any field the schema does not declare (spec.networking, through which
 * the controller opens the nodes' security group to the ALB, among them).
 */
export function lbcCrds(version: string): M[] {
  const crds = CRDS[version];
  if (!crds) throw new Error(`no CRDs for AWS Load Balancer Controller ${version} in this platformd (known: ${LBC_CRD_VERSIONS.join(', ')})`);
  return crds.map((crd) => {
    const copy = structuredClone(crd);
    return { ...copy, metadata: { ...copy.metadata, labels: { 'app.kubernetes.io/name': LBC_NAME } } };
  });
}

type WebhookRule = { apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] };
type Selector = { matchExpressions: { key: string; operator: string; values?: string[] }[] };
const notTheController = { key: 'app.kubernetes.io/name', operator: 'NotIn', values: [LBC_NAME] };
const podCreate: WebhookRule = { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] };
const elbv2Write = (resource: string): WebhookRule => ({ apiGroups: ['elbv2.k8s.aws'], apiVersions: ['v1beta1'], operations: ['CREATE', 'UPDATE'], resources: [resource] });

/**
 * templates/webhook.yaml (and the webhook Service of templates/service.yaml) with the chart's
 * defaults: each webhook's path, failure policy (podMutatorWebhookConfig.failurePolicy: Ignore for
 * the readiness-gate injector, Fail elsewhere), namespace and object selectors — every pod and
 * service webhook exempts the controller's own objects, so it can always start — and rules.
 * The chart leaves timeoutSeconds to the API default; it is written here as that default (10 s).
 */
export function lbcWebhook(caBundle: string | OutputRef): M[] {
  const hook = (name: string, path: string, failurePolicy: 'Fail' | 'Ignore', rules: WebhookRule[], selectors: { namespaceSelector?: Selector; objectSelector?: Selector; matchPolicy?: string } = {}) => ({
    name, admissionReviewVersions: ['v1'], clientConfig: { caBundle, service: { name: LBC_WEBHOOK_SERVICE, namespace: LBC_NS, path } },
    failurePolicy, ...selectors, rules, sideEffects: 'None', timeoutSeconds: 10,
  });
  const nsLabel = (key: string, operator: 'In' | 'DoesNotExist' = 'In'): Selector => ({ matchExpressions: [{ key, operator, ...(operator === 'In' ? { values: ['enabled'] } : {}) }] });
  const objects = (...more: Selector['matchExpressions']): Selector => ({ matchExpressions: [notTheController, ...more] });
  const targetControl = 'elbv2.k8s.aws/alb-target-control-agent-injection';
  const targetControlPod = 'elbv2.k8s.aws/alb-target-control-agent-inject';
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: meta(LBC_WEBHOOK_SERVICE, LBC_NS, { labels: { 'app.kubernetes.io/name': LBC_NAME, 'app.kubernetes.io/component': 'webhook', 'prometheus.io/service-monitor': 'false' } }),
      spec: { selector: { 'app.kubernetes.io/name': LBC_NAME }, ports: [{ name: 'webhook-server', port: 443, targetPort: 'webhook-server' }] } },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: meta('aws-load-balancer-webhook'), webhooks: [
      hook('mpod.elbv2.k8s.aws', '/mutate-v1-pod', 'Ignore', [podCreate], { namespaceSelector: nsLabel(READINESS_GATE_LABEL), objectSelector: objects() }),
      hook('quicid.elbv2.k8s.aws', '/mutate-v1-pod-server-id', 'Fail', [podCreate], { namespaceSelector: nsLabel('elbv2.k8s.aws/quic-server-id-inject'), objectSelector: objects() }),
      hook('mservice.elbv2.k8s.aws', '/mutate-v1-service', 'Fail', [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['services'] }], { objectSelector: objects() }),
      hook('alb-target-control.namespace.elbv2.k8s.aws', '/mutate-alb-target-control-namespace-v1-pod', 'Fail', [podCreate],
        { namespaceSelector: nsLabel(targetControl), objectSelector: objects({ key: targetControlPod, operator: 'NotIn', values: ['false'] }) }),
      hook('alb-target-control.object.elbv2.k8s.aws', '/mutate-alb-target-control-object-v1-pod', 'Fail', [podCreate],
        { namespaceSelector: nsLabel(targetControl, 'DoesNotExist'), objectSelector: objects({ key: targetControlPod, operator: 'In', values: ['true'] }) }),
      hook('mtargetgroupbinding.elbv2.k8s.aws', '/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding', 'Fail', [elbv2Write('targetgroupbindings')]),
    ] },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: meta('aws-load-balancer-webhook'), webhooks: [
      hook('vingressclassparams.elbv2.k8s.aws', '/validate-elbv2-k8s-aws-v1beta1-ingressclassparams', 'Fail', [elbv2Write('ingressclassparams')], { objectSelector: objects() }),
      hook('vtargetgroupbinding.elbv2.k8s.aws', '/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding', 'Fail', [elbv2Write('targetgroupbindings')]),
      hook('vingress.elbv2.k8s.aws', '/validate-networking-v1-ingress', 'Fail', [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] }],
        { matchPolicy: 'Equivalent' }),
    ] },
  ];
}

/**
 * templates/deployment.yaml with values.yaml's defaults: liveness and readiness probes on the
 * health port, terminationGracePeriodSeconds 10, the default pod anti-affinity
 * (configureDefaultAffinity), revisionHistoryLimit 10, the Prometheus scrape annotations.
 */
export function lbcDeployment(o: { version: string; replicas: number; clusterName: string; region: string; vpcId: string | OutputRef }): M {
  const health = (path: string) => ({ httpGet: { path, port: 61779, scheme: 'HTTP' } });
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(LBC_NAME, LBC_NS),
    spec: {
      replicas: o.replicas, revisionHistoryLimit: 10, selector: { matchLabels: { 'app.kubernetes.io/name': LBC_NAME } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': LBC_NAME }, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' } },
        spec: {
          serviceAccountName: LBC_NAME, priorityClassName: 'system-cluster-critical', securityContext: { fsGroup: 65534 },
          terminationGracePeriodSeconds: 10,
          affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: {
            labelSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [LBC_NAME] }] }, topologyKey: 'kubernetes.io/hostname' } }] } },
          containers: [{
            name: LBC_NAME, image: `public.ecr.aws/eks/aws-load-balancer-controller:${o.version}`, imagePullPolicy: 'IfNotPresent',
            // pflag takes "--flag value" too, which lets the VPC id be a value known only after apply.
            args: [`--cluster-name=${o.clusterName}`, '--ingress-class=alb', `--aws-region=${o.region}`, '--aws-vpc-id', o.vpcId],
            ports: [{ name: 'webhook-server', containerPort: 9443, protocol: 'TCP' }, { name: 'metrics-server', containerPort: 8080, protocol: 'TCP' }],
            volumeMounts: [{ name: 'cert', mountPath: '/tmp/k8s-webhook-server/serving-certs', readOnly: true }],
            livenessProbe: { ...health('/healthz'), initialDelaySeconds: 30, timeoutSeconds: 10, failureThreshold: 2 },
            readinessProbe: { ...health('/readyz'), initialDelaySeconds: 10, timeoutSeconds: 10, successThreshold: 1, failureThreshold: 2 },
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
            securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          }],
          volumes: [{ name: 'cert', secret: { defaultMode: 420, secretName: LBC_TLS_SECRET } }],
        },
      },
    },
  };
}

/**
 * templates/pdb.yaml: the chart renders it only when podDisruptionBudget is set and replicaCount
 * > 1; platformd always sets it then, with the value the chart suggests (maxUnavailable: 1), so a
 * node drain never takes every controller replica (and with them the webhooks) at once.
 */
export function lbcPodDisruptionBudget(replicas: number): M[] {
  if (replicas <= 1) return [];
  return [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(LBC_NAME, LBC_NS),
    spec: { selector: { matchLabels: { 'app.kubernetes.io/name': LBC_NAME } }, maxUnavailable: 1 } }];
}

export function albIngressClass(): M {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('alb'), spec: { controller: 'ingress.k8s.aws/alb' } };
}
