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
import {
  clusterRoleBindingKind, clusterRoleKind, customResourceDefinitionKind, deploymentKind, ingressClassKind, ingressKind, mutatingWebhookConfigurationKind,
  namespaceKind, podDisruptionBudgetKind, roleBindingKind, kubeRoleKind, serviceAccountKind, serviceKind, validatingWebhookConfigurationKind,
} from './kube/kube-kinds.js';
import { webhookCertificateKind } from './kube/webhook-certificate.js';
import { namespaceLabelsKind } from './kube/namespace-labels.js';

// network (registration order is creation order; deletions follow reversed dependency edges,
// this order reversed where no edge decides)
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
registerKind('kube', customResourceDefinitionKind);
registerKind('kube', namespaceKind);
registerKind('kube', namespaceLabelsKind);
registerKind('kube', serviceAccountKind);
registerKind('kube', clusterRoleKind);
registerKind('kube', clusterRoleBindingKind);
registerKind('kube', kubeRoleKind);
registerKind('kube', roleBindingKind);
registerKind('kube', webhookCertificateKind);
registerKind('kube', mutatingWebhookConfigurationKind);
registerKind('kube', validatingWebhookConfigurationKind);
registerKind('kube', deploymentKind);
registerKind('kube', podDisruptionBudgetKind);
registerKind('kube', serviceKind);
registerKind('kube', ingressClassKind);
registerKind('kube', ingressKind);
// edge
registerKind('edge', hostedZoneKind);
registerKind('edge', certificateKind);
registerKind('edge', recordsKind);
registerKind('edge', certificateValidationKind);
registerKind('edge', albReadback);

export { registerKind };
