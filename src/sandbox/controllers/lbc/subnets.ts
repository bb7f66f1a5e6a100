// Subnet auto-discovery as the controller does it (docs/deploy/subnet_discovery.md; alb-grpc.md
// §4): subnets of the cluster's VPC tagged kubernetes.io/role/elb (internet-facing) or
// kubernetes.io/role/internal-elb (internal) with value 1 or empty, not tagged for another
// cluster, with at least 8 free addresses; one per zone; at least two zones for an ALB.
import { BuildError } from './annotations.js';
import type { Ec2Subnet } from './cluster-view.js';

const MIN_FREE_IPS = 8;

export function discoverSubnets(subnets: Ec2Subnet[], vpcId: string, clusterName: string, scheme: 'internal' | 'internet-facing'): string[] {
  const roleTag = scheme === 'internal' ? 'kubernetes.io/role/internal-elb' : 'kubernetes.io/role/elb';
  const candidates = subnets.filter((s) => {
    if (s.vpcId !== vpcId) return false;
    const role = s.tags[roleTag];
    if (role !== '1' && role !== '') return false;
    const foreign = Object.keys(s.tags).some((k) => k.startsWith('kubernetes.io/cluster/') && k !== `kubernetes.io/cluster/${clusterName}`);
    if (foreign) return false;
    return s.availableIpAddressCount === undefined || s.availableIpAddressCount >= MIN_FREE_IPS;
  });
  const byZone = new Map<string, Ec2Subnet>();
  // Prefer subnets tagged for this cluster, then the lowest id: a stable choice per zone.
  const rank = (s: Ec2Subnet) => (s.tags[`kubernetes.io/cluster/${clusterName}`] !== undefined ? 0 : 1);
  for (const s of [...candidates].sort((a, b) => rank(a) - rank(b) || a.subnetId.localeCompare(b.subnetId))) {
    if (!byZone.has(s.availabilityZone)) byZone.set(s.availabilityZone, s);
  }
  if (byZone.size < 2) {
    throw new BuildError(`couldn't auto-discover subnets: unable to resolve at least two subnets in different availability zones (${candidates.length} match VPC ${vpcId} and tag ${roleTag})`);
  }
  return [...byZone.values()].map((s) => s.subnetId).sort();
}
