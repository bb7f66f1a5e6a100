// Whether a security group lets traffic in, as EC2 evaluates inbound rules
// (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html): rules only allow,
// traffic is allowed when ANY rule of ANY group on the receiving network interface matches its
// protocol, port and source; a rule whose source is a security group matches traffic from the
// network interfaces that carry that group. The ALB's data path and health checks ask this.
import { cidrContains, parseCidr } from '../../../../platform-spec/cidr.js';
import type { Ec2State, SecurityGroup, SgRule } from './state.js';

/** The security groups on the network interface that owns a pod or node address in a VPC. */
export function groupsOfAddressIn(s: Ec2State, vpcId: string): SecurityGroup[] {
  // NOTE(sandbox): the sandbox has no ENIs. Every pod runs on a managed node group's node, whose
  // primary ENI carries the EKS cluster security group (the VPC CNI gives pods the node's ENI
  // groups: https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html), so a target
  // address in a VPC is taken to carry the cluster security groups of the EKS clusters in it.
  return [...s.securityGroups.values()].filter((g) => g.vpcId === vpcId && g.managedBy?.startsWith('eks:'));
}

function ruleMatches(r: SgRule, port: number, sourceGroups: string[], sourceCidr: string | undefined): boolean {
  if (r.protocol !== '-1' && !(r.protocol === 'tcp' && r.fromPort <= port && port <= r.toPort)) return false;
  const src = r.source;
  if ('groupId' in src) return sourceGroups.includes(src.groupId);
  if ('cidrIpv4' in src && sourceCidr) {
    const outer = parseCidr(src.cidrIpv4);
    const inner = parseCidr(sourceCidr);
    return typeof outer !== 'string' && typeof inner !== 'string' && cidrContains(outer, inner);
  }
  return false;
}

/**
 * Why TCP from interfaces carrying `sourceGroups` (with addresses inside `sourceCidr`) cannot
 * reach `ports` on an interface carrying `targetGroups`; undefined when every port is reachable.
 */
export function inboundBlocked(targetGroups: SecurityGroup[], ports: number[], sourceGroups: string[], sourceCidr?: string): string | undefined {
  for (const port of ports) {
    const ok = targetGroups.some((g) => g.ingress.some((r) => ruleMatches(r, port, sourceGroups, sourceCidr)));
    if (!ok) {
      const from = sourceGroups.length > 0 ? `security groups ${sourceGroups.join(', ')}` : 'a load balancer without security groups';
      return `no inbound rule of ${targetGroups.map((g) => g.groupId).join(', ')} allows tcp/${port} from ${from}`;
    }
  }
  return undefined;
}
