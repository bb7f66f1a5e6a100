// The EKS layer: the cluster, admin access entries, add-ons and managed node groups, with the
// dependencies that order a version bump control plane → add-ons → node groups → the add-ons
// whose pods need nodes (coredns).
import { ref, type Desired } from '../resources/kind.js';
import { CLUSTER_ADMIN_POLICY } from '../resources/eks/access-entry.js';
import type { AddonName } from '../platform-spec/types.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import { ADDONS } from '../platform-spec/defaults.js';
import { amiTypeFor } from '../platform-spec/instance-architecture.js';
import { natPlacements } from './network.js';
import type { LayerBuilder } from './layers.js';
import { clusterKind } from '../resources/eks/cluster.js';
import { accessEntryKind } from '../resources/eks/access-entry.js';
import { addonKind } from '../resources/eks/addon.js';
import { nodegroupKind } from '../resources/eks/nodegroup.js';
import { accessEntryId, addonId, AWS_NODE_ROLE, CLUSTER, CLUSTER_ROLE, nodegroupId, NODE_ROLE, PRIVATE_ROUTE_TABLE, subnetId, zonePrivateRouteTableId } from './ids.js';
/**
 * Add-ons that must be running before nodes join: without the VPC CNI no pod gets an address,
 * and pods using EKS Pod Identity need the agent from their first start.
 */
export const NODE_PREREQUISITE_ADDONS: readonly AddonName[] = ['vpc-cni', 'eks-pod-identity-agent'];
/**
 * Add-ons whose pods need nodes to run (a Deployment, not a DaemonSet): EKS keeps them CREATING
 * until nodes are Ready and then reports DEGRADED (InsufficientNumberOfReplicas), so they are
 * created after every node group. CoreDNS: "When you launch an Amazon EKS cluster with at least
 * one node, two replicas of the CoreDNS image are deployed by default"
 * (https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html); created before the
 * nodes it never turns ACTIVE (terraform-aws-modules/terraform-aws-eks#3001, eksctl-io/eksctl#4607).
 * The DaemonSet add-ons (vpc-cni, kube-proxy, eks-pod-identity-agent) are healthy with no nodes.
 */
export const NODE_DEPENDENT_ADDONS: readonly AddonName[] = ['coredns'];

/** The private route tables the network layer creates (none in an existing VPC). */
function privateRouteTables(spec: ResolvedSpec): string[] {
  const net = spec.network!;
  if ('id' in net.vpc && net.vpc.id) return [];
  const nats = natPlacements(spec);
  return nats.length > 1 ? nats.map((n) => zonePrivateRouteTableId(n.zone!)) : [PRIVATE_ROUTE_TABLE];
}

export function buildEks(spec: ResolvedSpec): Desired[] {
  const c = spec.cluster;
  if (!c || !spec.network) return [];
  const privateSubnets = spec.network.subnets.private.map((s) => ref(subnetId(s.name), 'subnetId'));
  const clusterName = ref(CLUSTER, 'name');
  const nodes: Desired[] = [clusterKind.node(CLUSTER, {
    name: c.name, version: c.version, roleArn: ref(CLUSTER_ROLE, 'arn'), subnetIds: privateSubnets,
    endpointPublicAccess: c.endpointAccess.public, endpointPrivateAccess: c.endpointAccess.private,
    publicAccessCidrs: c.endpointAccess.publicCidrs, authenticationMode: 'API_AND_CONFIG_MAP',
    upgradePolicy: c.upgradePolicy,
  },
  // Private subnets need their egress (NAT routes) before nodes and add-ons can pull images.
  privateRouteTables(spec))];
  c.admins.forEach((principalArn) => {
    nodes.push(accessEntryKind.node(accessEntryId(principalArn), { clusterName, principalArn, policyArns: [CLUSTER_ADMIN_POLICY] }));
  });
  for (const name of ADDONS) {
    // After every node group (a version bump: control plane → the other add-ons → node groups → these).
    const afterNodes = NODE_DEPENDENT_ADDONS.includes(name) ? c.nodeGroups.map((ng) => nodegroupId(ng.name)) : [];
    nodes.push(addonKind.node(addonId(name), {
      clusterName, name, kubernetesVersion: c.version,
      ...(c.addons[name].version ? { version: c.addons[name].version } : {}),
      ...(name === 'vpc-cni' ? { serviceAccountRoleArn: ref(AWS_NODE_ROLE, 'arn') } : {}),
    }, afterNodes));
  }
  for (const ng of c.nodeGroups) {
    // The AMI type follows the instance types' architecture; validation refuses a mix.
    const ami = amiTypeFor(ng.instanceTypes);
    if (!('amiType' in ami)) throw new Error(`node group ${ng.name}: instance types of two architectures (validation should have refused this spec)`);
    nodes.push(nodegroupKind.node(nodegroupId(ng.name), {
      clusterName, name: ng.name, version: c.version, nodeRole: ref(NODE_ROLE, 'arn'), subnets: privateSubnets, instanceTypes: ng.instanceTypes,
      scaling: { minSize: ng.scaling.min, desiredSize: ng.scaling.desired, maxSize: ng.scaling.max }, labels: ng.labels,
      taints: ng.taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect })), diskSize: ng.diskSize,
      amiType: ami.amiType,
    },
    // After the add-ons a node needs to join and run pods (a version bump also puts them after
    // the control plane); other add-ons (coredns comes after them, kube-proxy) must not hold a scale change.
    NODE_PREREQUISITE_ADDONS.map(addonId)));
  }
  return nodes;
}

export const eksLayer: LayerBuilder = { layer: 'eks', build: (spec) => buildEks(spec) };
