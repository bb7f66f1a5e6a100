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
import { clusterKind } from './eks/cluster.js';
import { accessEntryKind } from './eks/access-entry.js';
import { addonKind } from './eks/addon.js';
import { nodegroupKind } from './eks/nodegroup.js';
import { albReadback } from './edge/alb-readback.js';

// network (registration order is creation order; deletions run in reverse)
registerKind('network', vpcKind);
registerKind('network', subnetKind);
registerKind('network', internetGatewayKind);
registerKind('network', elasticIpKind);
registerKind('network', natGatewayKind);
registerKind('network', routeTableKind);
// iam
registerKind('iam', roleKind);
registerKind('iam', managedPolicyKind);
registerKind('iam', oidcProviderKind);
// eks
registerKind('eks', clusterKind);
registerKind('eks', accessEntryKind);
registerKind('eks', addonKind);
registerKind('eks', nodegroupKind);
// kube
// edge
registerKind('edge', albReadback);

export { registerKind };
