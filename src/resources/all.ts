// Importing this module registers every resource kind (one line per kind, grouped by layer).
import { registerKind } from './registry.js';
import { vpcKind } from './network/vpc.js';
import { subnetKind } from './network/subnet.js';
import { internetGatewayKind } from './network/internet-gateway.js';
import { elasticIpKind } from './network/elastic-ip.js';
import { natGatewayKind } from './network/nat-gateway.js';
import { routeTableKind } from './network/route-table.js';
import { albReadback } from './edge/alb-readback.js';

// network (registration order is creation order; deletions run in reverse)
registerKind('network', vpcKind);
registerKind('network', subnetKind);
registerKind('network', internetGatewayKind);
registerKind('network', elasticIpKind);
registerKind('network', natGatewayKind);
registerKind('network', routeTableKind);
// iam
// eks
// kube
// edge
registerKind('edge', albReadback);

export { registerKind };
