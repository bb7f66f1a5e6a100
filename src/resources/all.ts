// Importing this module registers every resource kind (one line per kind, grouped by layer).
import { registerKind } from './registry.js';
import { vpcKind } from './network/vpc.js';
import { subnetKind } from './network/subnet.js';
import { internetGatewayKind } from './network/internet-gateway.js';
import { elasticIpKind } from './network/elastic-ip.js';
import { natGatewayKind } from './network/nat-gateway.js';
import { routeTableKind } from './network/route-table.js';
import { roleKind } from './iam/role.js';
import { managedPolicyKind } from './iam/managed-policy.js';
import { oidcProviderKind } from './iam/oidc-provider.js';
import { ecrRepositoryKind } from './iam/ecr-repository.js';
import { clusterKind } from './eks/cluster.js';
import { accessEntryKind } from './eks/access-entry.js';
import { addonKind } from './eks/addon.js';
import { nodegroupKind } from './eks/nodegroup.js';
import { albReadback } from './edge/alb-readback.js';
import { hostedZoneKind } from './edge/hosted-zone.js';
import { certificateKind, certificateValidationKind } from './edge/certificate.js';
import { recordsKind } from './edge/records.js';
import { crdReady, deploymentReady, kubeObjectKind } from './kube/object-kind.js';
import { webhookCertificateKind } from './kube/webhook-certificate.js';
import { namespaceLabelsKind } from './kube/namespace-labels.js';

// network (registration order is creation order; deletions run in reverse)
registerKind('network', vpcKind);
registerKind('network', subnetKind);
registerKind('network', internetGatewayKind);
registerKind('network', elasticIpKind);
registerKind('network', natGatewayKind);
registerKind('network', routeTableKind);
// iam (roles use the customer policy and trust the OIDC provider: a role is deleted, its policies
// detached, before the policy, which IAM refuses to delete while attached)
registerKind('iam', managedPolicyKind);
registerKind('iam', roleKind);
registerKind('iam', oidcProviderKind);
registerKind('iam', ecrRepositoryKind);
// eks
registerKind('eks', clusterKind);
registerKind('eks', accessEntryKind);
registerKind('eks', addonKind);
registerKind('eks', nodegroupKind);
// kube (CRDs before everything that may use them; workloads after their RBAC and accounts)
registerKind('kube', kubeObjectKind({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', namespaced: false, readiness: crdReady }));
registerKind('kube', kubeObjectKind({ apiVersion: 'v1', kind: 'Namespace', namespaced: false }));
registerKind('kube', namespaceLabelsKind);
registerKind('kube', kubeObjectKind({ apiVersion: 'v1', kind: 'ServiceAccount', namespaced: true }));
registerKind('kube', kubeObjectKind({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespaced: false }));
registerKind('kube', kubeObjectKind({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', namespaced: false }));
registerKind('kube', kubeObjectKind({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespaced: true }));
registerKind('kube', kubeObjectKind({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespaced: true }));
registerKind('kube', webhookCertificateKind);
registerKind('kube', kubeObjectKind({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', namespaced: false }));
registerKind('kube', kubeObjectKind({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', namespaced: false }));
registerKind('kube', kubeObjectKind({ apiVersion: 'apps/v1', kind: 'Deployment', namespaced: true, readiness: deploymentReady }));
registerKind('kube', kubeObjectKind({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespaced: true }));
registerKind('kube', kubeObjectKind({ apiVersion: 'v1', kind: 'Service', namespaced: true }));
registerKind('kube', kubeObjectKind({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', namespaced: false }));
registerKind('kube', kubeObjectKind({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespaced: true }));
// edge
registerKind('edge', hostedZoneKind);
registerKind('edge', certificateKind);
registerKind('edge', recordsKind);
registerKind('edge', certificateValidationKind);
registerKind('edge', albReadback);

export { registerKind };
