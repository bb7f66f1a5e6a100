// Wire the ELBv2 emulator's lookups to the other emulated services that exist in this world:
// EC2 subnets (CreateLoadBalancer resolves zones and the VPC from them) and ACM certificates
// (an HTTPS listener needs an existing, ISSUED certificate). Also the subnet source the emulated
// load balancer controller discovers subnets from, and the load balancers a Route 53 alias may target.
import type { AwsEmulator } from '../../server.js';
import type { Ec2Service } from '../ec2/index.js';
import type { Ec2Subnet, SubnetSource } from '../../../controllers/lbc/cluster-view.js';
import type { Elbv2Service } from './index.js';
import type { Route53Service } from '../route53/index.js';
import { groupsOfAddressIn, inboundBlocked } from '../ec2/reachability.js';

function optional<T>(aws: AwsEmulator, name: string): T | undefined {
  try {
    return aws.service(name) as T;
  } catch {
    return undefined;
  }
}

/** Subnets of the emulated EC2 state, with their tags (empty when EC2 is not emulated). */
export function ec2SubnetSource(aws: AwsEmulator): SubnetSource {
  return (region) => {
    const ec2 = optional<Ec2Service>(aws, 'ec2');
    if (!ec2) return [];
    return [...ec2.state(region).subnets.values()].map((s): Ec2Subnet => ({
      subnetId: s.subnetId, vpcId: s.vpcId, availabilityZone: s.az, tags: Object.fromEntries(s.tags),
    }));
  };
}

/** Fill Elbv2Service.hooks from the emulated EC2 (and ACM, once a certificate lookup is given). */
export function connectElbv2(aws: AwsEmulator, certificateStatus?: (arn: string) => string | undefined): Elbv2Service {
  const elbv2 = aws.service<Elbv2Service>('elbv2');
  if (optional<Ec2Service>(aws, 'ec2')) {
    elbv2.hooks.subnet = (region, subnetId) => {
      const s = aws.service<Ec2Service>('ec2').state(region).subnets.get(subnetId);
      return s && { subnetId: s.subnetId, vpcId: s.vpcId, availabilityZone: s.az };
    };
    const ec2 = aws.service<Ec2Service>('ec2');
    // A security group attached to a load balancer cannot be deleted (DependencyViolation).
    ec2.hooks.securityGroupUser = (region, groupId) => [...elbv2.state(region).loadBalancers.values()].find((lb) => lb.securityGroups.includes(groupId))?.arn;
    // ALB → target traffic (health checks and requests) passes only what the target's security
    // groups let in from the load balancer's groups (or from a CIDR covering the VPC, where the
    // load balancer's nodes have their addresses).
    const reported = new Map<string, string | undefined>();
    elbv2.hooks.targetBlocked = (region, q) => {
      const s = ec2.state(region);
      ec2.syncServiceGroups(s);
      const targetGroups = groupsOfAddressIn(s, q.vpcId);
      const why = targetGroups.length === 0 ? undefined : inboundBlocked(targetGroups, q.ports, q.sourceGroups, s.vpcs.get(q.vpcId)?.cidr);
      const key = `${region}|${q.vpcId}|${q.ip}|${q.ports.join(',')}|${q.sourceGroups.join(',')}`;
      if (why && reported.get(key) !== why) console.error(`sandbox: ALB health checks and traffic to ${q.ip}:${q.ports[0]} time out: ${why}`);
      reported.set(key, why);
      return why;
    };
  }
  if (certificateStatus) elbv2.hooks.certificateStatus = certificateStatus;
  const route53 = optional<Route53Service>(aws, 'route53');
  if (route53) {
    // DNS names compare case-insensitively (RFC 4343); Route 53 hands them over lowercased.
    route53.hooks.loadBalancerExists = (region, dnsName) =>
      [...elbv2.state(region, aws.accountId).loadBalancers.values()].some((lb) => lb.dnsName.toLowerCase() === dnsName.toLowerCase());
  }
  return elbv2;
}
