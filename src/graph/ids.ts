// Every logical id platformd gives a resource, in one place: graph builders, kinds and plan code
// take ids from here and never spell one out. Ids are stable, readable paths (layer/what/name);
// they are stored in ownership tags and annotations, so changing one here renames live objects.
// This module imports nothing, so any layer of the product may use it.

// network
export const VPC_ID = 'network/vpc';
export const subnetId = (name: string) => `network/subnet/${name}`;
export const INTERNET_GATEWAY = 'network/internet-gateway';
export const PUBLIC_ROUTE_TABLE = 'network/route-table/public';
/** The one private route table when a single NAT gateway (or none) serves every private subnet. */
export const PRIVATE_ROUTE_TABLE = 'network/route-table/private';
/** The private route table of one zone, when each zone has its own NAT gateway (zone a → private-a). */
export const zonePrivateRouteTableId = (zone: string) => `network/route-table/private-${zone.slice(-1)}`;
export const elasticIpId = (natName: string) => `network/eip/${natName}`;
export const natGatewayId = (natName: string) => `network/nat-gateway/${natName}`;

// iam
export const CLUSTER_ROLE = 'iam/role/cluster';
export const NODE_ROLE = 'iam/role/node';
export const OIDC_PROVIDER = 'iam/oidc-provider';
export const LBC_POLICY = 'iam/policy/load-balancer-controller';
export const LBC_ROLE = 'iam/role/irsa-load-balancer-controller';
/** The IRSA role of the VPC CNI (kube-system/aws-node). */
export const AWS_NODE_ROLE = 'iam/role/irsa-aws-node';
export const irsaRoleId = (service: string) => `iam/role/irsa-svc-${service}`;
export const ecrRepositoryId = (name: string) => `iam/ecr-repository/${name}`;
/** The id of a role or customer policy under platformd's IAM path, from the part of its name after the platform. */
export const iamEntityId = (entity: 'role' | 'policy', nameSuffix: string) => `iam/${entity}/${nameSuffix}`;

// eks
export const CLUSTER = 'eks/cluster';
export const addonId = (name: string) => `eks/addon/${name}`;
export const nodegroupId = (name: string) => `eks/nodegroup/${name}`;
/** One admin's access entry, named by the last part of the principal's ARN (`/` → `-`). */
export const accessEntryId = (principalArn: string) => `eks/access-entry/${principalArn.split(':').pop()!.replace(/\//g, '-')}`;

// kube
/** A Kubernetes object: kube/<Kind>/<namespace>/<name>, or kube/<Kind>/<name> when cluster-scoped. */
export function kubeId(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `kube/${kind}/${namespace}/${name}` : `kube/${kind}/${name}`;
}
export const namespaceLabelsId = (namespace: string) => kubeId('namespace-labels', undefined, namespace);
export function ingressId(namespace: string, name: string): string {
  return kubeId('Ingress', namespace, name);
}
export const WEBHOOK_CERT_ID = 'kube/webhook-certificate/aws-load-balancer-controller';
/** The load balancer controller's Deployment, as the kube layer names it. */
export const LBC_DEPLOYMENT_ID = kubeId('Deployment', 'kube-system', 'aws-load-balancer-controller');

// edge
export const ZONE = 'edge/hosted-zone';
export const CERTIFICATE = 'edge/certificate';
/** The validated certificate: listeners may only use an ISSUED one. */
export const CERTIFICATE_VALIDATION = 'edge/certificate-validation';
export const VALIDATION_RECORDS = 'edge/records/validation';
export const ALIAS_RECORDS = 'edge/records/alias';
/** The read-back of one ingress group's ALB. */
export function albId(group: string): string {
  return `edge/alb/${group}`;
}
