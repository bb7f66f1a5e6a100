// VPCs, their DNS attributes and availability zones.
import { ServiceError, type OperationHandler } from '../../service.js';
import { parseCidr } from '../../../../platform-spec/cidr.js';
import type { Ec2Deps } from './deps.js';
import { applyFilters, byIds, paginate } from './query.js';
import { newId, tagSpecification, TIMINGS, type RouteTable } from './state.js';
import { vpcWire } from './wire.js';

export function vpcOperations(deps: Ec2Deps): Record<string, OperationHandler> {
  return {
    CreateVpc(input, ctx) {
      const s = deps.state(ctx);
      const cidr = parseCidr(String(input.CidrBlock ?? ''));
      if (typeof cidr === 'string') throw new ServiceError('InvalidParameterValue', `Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`, 400);
      if (cidr.prefix < 16 || cidr.prefix > 28) throw new ServiceError('InvalidVpc.Range', `The CIDR '${input.CidrBlock}' is invalid.`, 400);
      const vpcId = newId('vpc');
      const vpc = { vpcId, cidr: String(input.CidrBlock), state: 'pending' as const, availableAt: s.clock.deadline(TIMINGS.vpcPendingMs),
        dnsSupport: true, dnsHostnames: false, tags: tagSpecification(input, 'vpc'), ownerId: s.accountId };
      s.vpcs.set(vpcId, vpc);
      // Every VPC gets a main route table with the local route; it is not ours to delete.
      const main: RouteTable = { routeTableId: newId('rtb'), vpcId, routes: [{ destination: vpc.cidr, gatewayId: 'local', origin: 'CreateRouteTable' }],
        associations: [{ associationId: newId('rtbassoc'), main: true }], tags: new Map() };
      s.routeTables.set(main.routeTableId, main);
      return { vpc: vpcWire(vpc) };
    },
    DescribeVpcs(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const items = applyFilters(byIds(s.vpcs, input.VpcId, 'InvalidVpcID.NotFound', 'vpc ID'), input.Filter, {
        'vpc-id': (v) => v.vpcId, 'cidr-block': (v) => v.cidr, cidr: (v) => v.cidr, state: (v) => v.state, 'owner-id': (v) => v.ownerId,
      });
      const { page, nextToken } = paginate(items, input);
      return { vpcSet: page.map(vpcWire), nextToken };
    },
    DeleteVpc(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const vpc = s.vpcs.get(String(input.VpcId));
      if (!vpc) throw new ServiceError('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`, 400);
      // The EKS cluster security group goes with its cluster: bring service-owned groups up to date first.
      deps.syncServiceGroups?.(s);
      const blockers = [
        ...[...s.subnets.values()].filter((x) => x.vpcId === vpc.vpcId).map((x) => x.subnetId),
        ...[...s.internetGateways.values()].filter((x) => x.attachment?.vpcId === vpc.vpcId).map((x) => x.internetGatewayId),
        ...[...s.routeTables.values()].filter((x) => x.vpcId === vpc.vpcId && !x.associations.some((a) => a.main)).map((x) => x.routeTableId),
        // "delete all security groups associated with the VPC (except the default one)" before the
        // VPC: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpc.html
        ...[...s.securityGroups.values()].filter((x) => x.vpcId === vpc.vpcId && x.groupName !== 'default').map((x) => x.groupId),
      ];
      if (blockers.length > 0) {
        throw new ServiceError('DependencyViolation', `The vpc '${vpc.vpcId}' has dependencies and cannot be deleted.`, 400);
      }
      for (const [id, rt] of s.routeTables) if (rt.vpcId === vpc.vpcId) s.routeTables.delete(id);
      s.vpcs.delete(vpc.vpcId);
      return { return: true };
    },
    ModifyVpcAttribute(input, ctx) {
      const s = deps.state(ctx);
      const vpc = s.vpcs.get(String(input.VpcId));
      if (!vpc) throw new ServiceError('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`, 400);
      const support = input.EnableDnsSupport?.Value;
      const hostnames = input.EnableDnsHostnames?.Value;
      if ((support === undefined) === (hostnames === undefined)) {
        throw new ServiceError('InvalidParameterCombination', 'Exactly one attribute may be modified per request.', 400);
      }
      if (support !== undefined) vpc.dnsSupport = support === 'true';
      if (hostnames !== undefined) {
        if (hostnames === 'true' && !vpc.dnsSupport) throw new ServiceError('InvalidParameterValue', 'DNS hostnames require DNS support.', 400);
        vpc.dnsHostnames = hostnames === 'true';
      }
      return { return: true };
    },
    DescribeVpcAttribute(input, ctx) {
      const s = deps.state(ctx);
      const vpc = s.vpcs.get(String(input.VpcId));
      if (!vpc) throw new ServiceError('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`, 400);
      if (input.Attribute === 'enableDnsSupport') return { vpcId: vpc.vpcId, enableDnsSupport: { value: vpc.dnsSupport } };
      if (input.Attribute === 'enableDnsHostnames') return { vpcId: vpc.vpcId, enableDnsHostnames: { value: vpc.dnsHostnames } };
      throw new ServiceError('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid.`, 400);
    },
    DescribeAvailabilityZones(_input, ctx) {
      const letters = ctx.region === 'ap-northeast-1' ? ['a', 'c', 'd'] : ['a', 'b', 'c'];
      return { availabilityZoneInfo: letters.map((l, i) => ({ zoneName: `${ctx.region}${l}`, zoneState: 'available', regionName: ctx.region,
        zoneId: `${ctx.region.split('-').map((p) => p[0]).join('')}${ctx.region.slice(-1)}-az${i + 1}`, zoneType: 'availability-zone' })) };
    },
  };
}
