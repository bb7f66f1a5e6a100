// The AWS Load Balancer Controller as platformd installs it (what the Helm chart would render,
// without cert-manager): service account with its IRSA role, RBAC, CRDs, webhook service and
// configurations with platformd's CA, the Deployment, and the IngressClass `alb`.
import type { OutputRef } from '../kind.js';

export const LBC_NS = 'kube-system';
export const LBC_NAME = 'aws-load-balancer-controller';
export const LBC_WEBHOOK_SERVICE = 'aws-load-balancer-webhook-service';
export const LBC_TLS_SECRET = 'aws-load-balancer-tls';

type M = Record<string, any>;
const meta = (name: string, namespace?: string, extra: M = {}) => ({ name, ...(namespace ? { namespace } : {}), labels: { 'app.kubernetes.io/name': LBC_NAME }, ...extra });

export function lbcServiceAccount(roleArn: string | OutputRef): M {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(LBC_NAME, LBC_NS, { annotations: { 'eks.amazonaws.com/role-arn': roleArn, 'eks.amazonaws.com/sts-regional-endpoints': 'true' } }) };
}

export function lbcRbac(): M[] {
  const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs });
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(`${LBC_NAME}-role`), rules: [
      rule(['elbv2.k8s.aws'], ['targetgroupbindings'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
      rule(['elbv2.k8s.aws'], ['targetgroupbindings/status'], ['patch', 'update']),
      rule(['elbv2.k8s.aws'], ['ingressclassparams'], ['get', 'list', 'watch']),
      rule([''], ['events'], ['create', 'patch']),
      rule([''], ['pods', 'nodes', 'namespaces', 'endpoints', 'services', 'secrets'], ['get', 'list', 'watch']),
      rule(['', 'extensions', 'networking.k8s.io'], ['services', 'ingresses'], ['get', 'list', 'patch', 'update', 'watch']),
      rule(['', 'extensions', 'networking.k8s.io'], ['services/status', 'ingresses/status', 'pods/status'], ['patch', 'update']),
      rule(['networking.k8s.io'], ['ingressclasses'], ['get', 'list', 'watch']),
      rule(['discovery.k8s.io'], ['endpointslices'], ['get', 'list', 'watch']),
    ] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta(`${LBC_NAME}-rolebinding`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${LBC_NAME}-role` }, subjects: [{ kind: 'ServiceAccount', name: LBC_NAME, namespace: LBC_NS }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(`${LBC_NAME}-leader-election-role`, LBC_NS), rules: [
      rule([''], ['configmaps'], ['create']), rule([''], ['configmaps'], ['get', 'patch', 'update']),
      rule(['coordination.k8s.io'], ['leases'], ['create', 'get', 'update', 'patch']),
    ] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(`${LBC_NAME}-leader-election-rolebinding`, LBC_NS),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${LBC_NAME}-leader-election-role` }, subjects: [{ kind: 'ServiceAccount', name: LBC_NAME, namespace: LBC_NS }] },
  ];
}

// Schemas keep to plain OpenAPI fields: the generic client re-types `enum` and `x-kubernetes-*`
// keys when it reads objects back, which would read as drift on every plan.
export function lbcCrds(): M[] {
  const crd = (plural: string, kind: string, scope: 'Namespaced' | 'Cluster', props: M) => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: meta(`${plural}.elbv2.k8s.aws`),
    spec: { group: 'elbv2.k8s.aws', scope, names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [{ name: 'v1beta1', served: true, storage: true, subresources: scope === 'Namespaced' ? { status: {} } : {},
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: props }, status: { type: 'object' } } } } }] },
  });
  return [
    crd('ingressclassparams', 'IngressClassParams', 'Cluster', { group: { type: 'object', properties: { name: { type: 'string' } } }, scheme: { type: 'string' } }),
    crd('targetgroupbindings', 'TargetGroupBinding', 'Namespaced', { targetGroupARN: { type: 'string' }, targetType: { type: 'string' },
      serviceRef: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } } }),
  ];
}

export function lbcWebhook(caBundle: string | OutputRef): M[] {
  const client = (path: string) => ({ caBundle, service: { name: LBC_WEBHOOK_SERVICE, namespace: LBC_NS, path } });
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: meta(LBC_WEBHOOK_SERVICE, LBC_NS), spec: { selector: { 'app.kubernetes.io/name': LBC_NAME }, ports: [{ name: 'webhook-server', port: 443, targetPort: 'webhook-server' }] } },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: meta('aws-load-balancer-webhook'), webhooks: [
      { name: 'mpod.elbv2.k8s.aws', admissionReviewVersions: ['v1'], clientConfig: client('/mutate-v1-pod'), failurePolicy: 'Fail', sideEffects: 'None',
        namespaceSelector: { matchExpressions: [{ key: 'elbv2.k8s.aws/pod-readiness-gate-inject', operator: 'In', values: ['enabled'] }] },
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] },
      { name: 'mtargetgroupbinding.elbv2.k8s.aws', admissionReviewVersions: ['v1'], clientConfig: client('/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding'), failurePolicy: 'Fail', sideEffects: 'None',
        rules: [{ apiGroups: ['elbv2.k8s.aws'], apiVersions: ['v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['targetgroupbindings'] }] },
    ] },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: meta('aws-load-balancer-webhook'), webhooks: [
      { name: 'vtargetgroupbinding.elbv2.k8s.aws', admissionReviewVersions: ['v1'], clientConfig: client('/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding'), failurePolicy: 'Fail', sideEffects: 'None',
        rules: [{ apiGroups: ['elbv2.k8s.aws'], apiVersions: ['v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['targetgroupbindings'] }] },
      { name: 'vingress.elbv2.k8s.aws', admissionReviewVersions: ['v1'], clientConfig: client('/validate-networking-v1-ingress'), failurePolicy: 'Fail', sideEffects: 'None', matchPolicy: 'Equivalent',
        rules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] }] },
    ] },
  ];
}

export function lbcDeployment(o: { version: string; replicas: number; clusterName: string; region: string; vpcId: string | OutputRef }): M {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(LBC_NAME, LBC_NS),
    spec: {
      replicas: o.replicas, selector: { matchLabels: { 'app.kubernetes.io/name': LBC_NAME } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': LBC_NAME } },
        spec: {
          serviceAccountName: LBC_NAME, priorityClassName: 'system-cluster-critical', securityContext: { fsGroup: 65534 },
          containers: [{
            name: LBC_NAME, image: `public.ecr.aws/eks/aws-load-balancer-controller:${o.version}`,
            // pflag takes "--flag value" too, which lets the VPC id be a value known only after apply.
            args: [`--cluster-name=${o.clusterName}`, '--ingress-class=alb', `--aws-region=${o.region}`, '--aws-vpc-id', o.vpcId],
            ports: [{ name: 'webhook-server', containerPort: 9443, protocol: 'TCP' }, { name: 'metrics-server', containerPort: 8080, protocol: 'TCP' }],
            volumeMounts: [{ name: 'cert', mountPath: '/tmp/k8s-webhook-server/serving-certs', readOnly: true }],
            livenessProbe: { httpGet: { path: '/healthz', port: 61779, scheme: 'HTTP' }, initialDelaySeconds: 30, timeoutSeconds: 10, failureThreshold: 2 },
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
            securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          }],
          volumes: [{ name: 'cert', secret: { defaultMode: 420, secretName: LBC_TLS_SECRET } }],
        },
      },
    },
  };
}

export function albIngressClass(): M {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('alb'), spec: { controller: 'ingress.k8s.aws/alb' } };
}
