// State → EKS JSON shapes (timestamps as epoch seconds).
import type { AccessEntry, Addon, Cluster, Nodegroup, Update } from './state.js';
import { loggingWire } from './cluster-settings.js';

const secs = (d: Date) => d.getTime() / 1000;

/** The security group EKS creates for a cluster (resourcesVpcConfig.clusterSecurityGroupId); EC2 keeps it (eks/connect.ts). */
export function clusterSecurityGroupId(c: Pick<Cluster, 'oidcId'>): string {
  return `sg-${c.oidcId.slice(0, 17).toLowerCase()}`;
}

/** The cluster's OIDC issuer (identity.oidc.issuer); its key signs the clusters' service-account tokens (kube/oidc-issuer.ts). */
export function oidcIssuerUrl(c: Pick<Cluster, 'arn' | 'oidcId'>): string {
  return `https://oidc.eks.${c.arn.split(':')[3]}.amazonaws.com/id/${c.oidcId}`;
}

export function clusterWire(c: Cluster) {
  return {
    name: c.name, arn: c.arn, createdAt: secs(c.createdAt), version: c.version, roleArn: c.roleArn, status: c.status, platformVersion: c.platformVersion,
    endpoint: c.status === 'ACTIVE' || c.status === 'UPDATING' ? c.endpoint : undefined,
    certificateAuthority: c.caData && (c.status === 'ACTIVE' || c.status === 'UPDATING') ? { data: c.caData } : {},
    resourcesVpcConfig: { ...c.vpcConfig, clusterSecurityGroupId: clusterSecurityGroupId(c) },
    kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4', elasticLoadBalancing: { enabled: c.elasticLoadBalancing } },
    identity: { oidc: { issuer: oidcIssuerUrl(c) } },
    accessConfig: { authenticationMode: c.authenticationMode, bootstrapClusterCreatorAdminPermissions: c.bootstrapClusterCreatorAdminPermissions },
    upgradePolicy: { supportType: c.supportType },
    logging: loggingWire(c.enabledLogTypes),
    deletionProtection: c.deletionProtection,
    health: { issues: c.health }, tags: c.tags,
  };
}

export function updateWire(u: Update) {
  return { id: u.id, status: u.status, type: u.type, params: u.params, createdAt: secs(u.createdAt), errors: u.errors.map((e) => ({ errorCode: e.code, errorMessage: e.message, resourceIds: e.resourceIds ?? [] })) };
}

export function nodegroupWire(n: Nodegroup) {
  return {
    nodegroupName: n.name, nodegroupArn: n.arn, clusterName: n.clusterName, version: n.version, releaseVersion: n.releaseVersion, createdAt: secs(n.createdAt),
    modifiedAt: secs(n.modifiedAt), status: n.status, capacityType: n.capacityType, scalingConfig: n.scaling, instanceTypes: n.instanceTypes, subnets: n.subnets,
    amiType: n.amiType, nodeRole: n.nodeRole, labels: n.labels, taints: n.taints, diskSize: n.diskSize, health: { issues: n.health }, tags: n.tags,
    resources: { autoScalingGroups: [{ name: `eks-${n.name}-${n.arn.slice(-8)}` }] },
  };
}

export function addonWire(a: Addon) {
  return { addonName: a.name, clusterName: a.clusterName, status: a.status, addonVersion: a.version, addonArn: a.arn, createdAt: secs(a.createdAt), modifiedAt: secs(a.modifiedAt),
    serviceAccountRoleArn: a.serviceAccountRoleArn, health: { issues: a.health }, tags: a.tags };
}

export function accessEntryWire(e: AccessEntry) {
  return { clusterName: e.clusterName, principalArn: e.principalArn, accessEntryArn: e.arn, kubernetesGroups: e.kubernetesGroups, createdAt: secs(e.createdAt),
    modifiedAt: secs(e.createdAt), tags: e.tags, username: e.username, type: e.type };
}
