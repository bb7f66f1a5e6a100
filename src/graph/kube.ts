// The kube layer: namespaces, each service's ServiceAccount, Deployment and Service, and the AWS
// Load Balancer Controller (unless the cluster already runs one). Everything depends on the
// cluster and its node groups being ready.
import { ref, type Desired } from '../resources/kind.js';
import { albIngressClass, lbcCrds, lbcDeployment, lbcPodDisruptionBudget, lbcRbac, lbcServiceAccount, lbcWebhook, LBC_NS, LBC_TLS_SECRET, LBC_WEBHOOK_SERVICE, READINESS_GATE_LABEL } from '../resources/kube/lbc-manifests.js';
import { namespaceLabelsKind } from '../resources/kube/namespace-labels.js';
import { webhookCertificateKind } from '../resources/kube/webhook-certificate.js';
import { manifestNode as node, type BuiltManifest } from '../resources/kube/kube-kinds.js';
import type { ResolvedService, ResolvedSpec } from '../platform-spec/resolved.js';
import { imageOutput } from '../resources/iam/ecr-repository.js';
import { CLUSTER, ecrRepositoryId, irsaRoleId, kubeId, LBC_DEPLOYMENT_ID, LBC_ROLE, namespaceLabelsId, nodegroupId, WEBHOOK_CERT_ID } from './ids.js';
import type { LayerBuilder } from './layers.js';

type M = BuiltManifest;
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The workload of one service: gRPC probes when it serves grpc.health.v1. */
export function serviceManifests(s: ResolvedService): M[] {
  const ns = s.namespace;
  const labels = { 'app.kubernetes.io/name': s.name };
  const probe = s.healthService ? { grpc: { port: s.port } } : undefined;
  const out: M[] = [];
  if (s.serviceAccount) {
    out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: s.serviceAccount.name, namespace: ns, annotations: { 'eks.amazonaws.com/role-arn': ref(irsaRoleId(s.name), 'arn') } } });
  }
  out.push({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: s.name, namespace: ns, labels },
    spec: { replicas: s.replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: {
      ...(s.serviceAccount ? { serviceAccountName: s.serviceAccount.name } : {}),
      containers: [{
        name: s.name, image: typeof s.image === 'string' ? s.image : ref(ecrRepositoryId(s.image.repository), imageOutput(s.image.tag)), ports: [{ name: 'grpc', containerPort: s.port, protocol: 'TCP' }],
        ...(Object.keys(s.env).length ? { env: Object.entries(s.env).map(([name, value]) => ({ name, value })) } : {}),
        ...(s.resources ? { resources: s.resources } : {}),
        ...(probe ? { readinessProbe: { ...probe, periodSeconds: 5 }, livenessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 } } : {}),
      }],
    } } },
  });
  out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: ns, labels },
    spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'grpc', port: s.port, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' }] } });
  return out;
}

export function buildKube(spec: ResolvedSpec): Desired[] {
  const c = spec.cluster;
  if (!c) return [];
  const base = [CLUSTER, ...c.nodeGroups.map((ng) => nodegroupId(ng.name))];
  const nodes: Desired[] = [];
  const namespaces = [...new Set(spec.services.map((s) => s.namespace))].filter((ns) => !SYSTEM_NAMESPACES.includes(ns));
  for (const ns of namespaces) nodes.push(node({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, base));
  // Every namespace with services gets the controller's readiness gates (the pod webhook injects
  // them there only), so a rollout keeps old pods until the new targets are healthy in the ALB.
  // `default` is not ours: only the label is applied, through a kind of its own.
  const serviceNamespaces = [...new Set(spec.services.map((s) => s.namespace))];
  for (const ns of serviceNamespaces) {
    nodes.push(namespaceLabelsKind.node(namespaceLabelsId(ns), { namespace: ns, labels: { [READINESS_GATE_LABEL]: 'enabled' } },
      [...base, ...(SYSTEM_NAMESPACES.includes(ns) ? [] : [kubeId('Namespace', undefined, ns)])]));
  }
  const lbc = spec.loadBalancerController;
  const installLbc = lbc.install && spec.services.length > 0;
  for (const s of spec.services) {
    const ns = s.namespace;
    const nsDep = [namespaceLabelsId(ns), ...(SYSTEM_NAMESPACES.includes(ns) ? [] : [kubeId('Namespace', undefined, ns)])];
    for (const m of serviceManifests(s)) {
      // The controller's service webhook (failurePolicy Fail) must be answering before a Service is created.
      const lbcDep = m.kind === 'Service' && installLbc ? [LBC_DEPLOYMENT_ID] : [];
      nodes.push(node(m, [...base, ...nsDep, ...lbcDep, ...(m.kind === 'Deployment' && s.serviceAccount ? [kubeId('ServiceAccount', ns, s.serviceAccount.name)] : [])]));
    }
  }
  if (installLbc) {
    const crds = lbcCrds(lbc.version).map((m) => node(m, base));
    const sa = node(lbcServiceAccount(ref(LBC_ROLE, 'arn')), base);
    const rbac = lbcRbac().map((m) => node(m, base));
    const cert = webhookCertificateKind.node(WEBHOOK_CERT_ID, { namespace: LBC_NS, secretName: LBC_TLS_SECRET, serviceName: LBC_WEBHOOK_SERVICE }, base);
    const webhook = lbcWebhook(ref(WEBHOOK_CERT_ID, 'caBundle')).map((m) => node(m, base));
    const deployment = node(lbcDeployment({ version: lbc.version, replicas: lbc.replicas, clusterName: c.name, region: spec.region,
      vpcId: ref(CLUSTER, 'vpcId') }), [...base, ...[...crds, sa, ...rbac, cert, ...webhook].map((d) => d.id)]);
    const pdb = lbcPodDisruptionBudget(lbc.replicas).map((m) => node(m, base));
    nodes.push(...crds, sa, ...rbac, cert, ...webhook, deployment, ...pdb, node(albIngressClass(), base));
  }
  return nodes;
}

export const kubeLayer: LayerBuilder = { layer: 'kube', build: (spec) => buildKube(spec) };
