// Subnets.
import { ServiceError, type OperationHandler } from '../../service.js';
import { cidrContains, cidrOverlaps, parseCidr } from '../../../../platform-spec/cidr.js';
import type { Ec2Deps } from './deps.js';
import { applyFilters, byIds, paginate } from './query.js';
import { newId, tagSpecification, TIMINGS } from './state.js';
import { subnetWire } from './wire.js';

export function subnetOperations(deps: Ec2Deps): Record<string, OperationHandler> {
  return {
    CreateSubnet(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const vpc = s.vpcs.get(String(input.VpcId));
      if (!vpc) throw new ServiceError('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`, 400);
      const cidr = parseCidr(String(input.CidrBlock ?? ''));
      if (typeof cidr === 'string') throw new ServiceError('InvalidParameterValue', `Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`, 400);
      const vpcCidr = parseCidr(vpc.cidr);
      if (typeof vpcCidr !== 'string' && !cidrContains(vpcCidr, cidr)) throw new ServiceError('InvalidSubnet.Range', `The CIDR '${input.CidrBlock}' is invalid.`, 400);
      for (const other of s.subnets.values()) {
        const o = parseCidr(other.cidr);
        if (other.vpcId === vpc.vpcId && typeof o !== 'string' && cidrOverlaps(o, cidr)) {
          throw new ServiceError('InvalidSubnet.Conflict', `The CIDR '${input.CidrBlock}' conflicts with another subnet`, 400);
        }
      }
      const az = String(input.AvailabilityZone ?? `${ctx.region}a`);
      if (!az.startsWith(ctx.region)) throw new ServiceError('InvalidParameterValue', `Value (${az}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${ctx.region}a, ${ctx.region}c, ${ctx.region}d.`, 400);
      const subnet = { subnetId: newId('subnet'), vpcId: vpc.vpcId, cidr: String(input.CidrBlock), az, mapPublicIpOnLaunch: false, state: 'pending' as const,
        availableAt: s.clock.deadline(TIMINGS.subnetPendingMs), tags: tagSpecification(input, 'subnet') };
      s.subnets.set(subnet.subnetId, subnet);
      return { subnet: subnetWire(subnet, freeIps(subnet.cidr)) };
    },
    DescribeSubnets(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const items = applyFilters(byIds(s.subnets, input.SubnetId, 'InvalidSubnetID.NotFound', 'subnet ID'), input.Filter, {
        'vpc-id': (x) => x.vpcId, 'subnet-id': (x) => x.subnetId, 'availability-zone': (x) => x.az, 'cidr-block': (x) => x.cidr, state: (x) => x.state,
        'map-public-ip-on-launch': (x) => String(x.mapPublicIpOnLaunch),
      });
      const { page, nextToken } = paginate(items, input);
      return { subnetSet: page.map((x) => subnetWire(x, freeIps(x.cidr))), nextToken };
    },
    ModifySubnetAttribute(input, ctx) {
      const s = deps.state(ctx);
      const subnet = s.subnets.get(String(input.SubnetId));
      if (!subnet) throw new ServiceError('InvalidSubnetID.NotFound', `The subnet ID '${input.SubnetId}' does not exist`, 400);
      if (input.MapPublicIpOnLaunch?.Value !== undefined) subnet.mapPublicIpOnLaunch = input.MapPublicIpOnLaunch.Value === 'true';
      return { return: true };
    },
    DeleteSubnet(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const subnet = s.subnets.get(String(input.SubnetId));
      if (!subnet) throw new ServiceError('InvalidSubnetID.NotFound', `The subnet ID '${input.SubnetId}' does not exist`, 400);
      // A NAT gateway's network interface lives in the subnet until the gateway is deleted.
      if (s.liveNatGatewaysIn((n) => n.subnetId === subnet.subnetId).length > 0) {
        throw new ServiceError('DependencyViolation', `The subnet '${subnet.subnetId}' has dependencies and cannot be deleted.`, 400);
      }
      for (const rt of s.routeTables.values()) rt.associations = rt.associations.filter((a) => a.subnetId !== subnet.subnetId);
      s.subnets.delete(subnet.subnetId);
      return { return: true };
    },
  };
}

function freeIps(cidr: string): number {
  const parsed = parseCidr(cidr);
  return typeof parsed === 'string' ? 0 : 2 ** (32 - parsed.prefix) - 5;
}
