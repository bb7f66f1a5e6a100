// Internet gateways, Elastic IPs and NAT gateways.
import { ServiceError, type OperationHandler } from '../../service.js';
import type { Ec2Deps } from './deps.js';
import { applyFilters, byIds, paginate } from './query.js';
import { newId, tagSpecification, TIMINGS, type NatGateway } from './state.js';
import { addressWire, igwWire, natWire } from './wire.js';

export function gatewayOperations(deps: Ec2Deps): Record<string, OperationHandler> {
  return {
    CreateInternetGateway(input, ctx) {
      const s = deps.state(ctx);
      const igw = { internetGatewayId: newId('igw'), tags: tagSpecification(input, 'internet-gateway') };
      s.internetGateways.set(igw.internetGatewayId, igw);
      return { internetGateway: igwWire(igw) };
    },
    DescribeInternetGateways(input, ctx) {
      const s = deps.state(ctx);
      const items = applyFilters(byIds(s.internetGateways, input.InternetGatewayId, 'InvalidInternetGatewayID.NotFound', 'internetGateway ID'), input.Filter, {
        'attachment.vpc-id': (g) => g.attachment?.vpcId, 'attachment.state': (g) => g.attachment?.state, 'internet-gateway-id': (g) => g.internetGatewayId,
      });
      const { page, nextToken } = paginate(items, input);
      return { internetGatewaySet: page.map(igwWire), nextToken };
    },
    AttachInternetGateway(input, ctx) {
      const s = deps.state(ctx);
      const igw = s.internetGateways.get(String(input.InternetGatewayId));
      if (!igw) throw new ServiceError('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${input.InternetGatewayId}' does not exist`, 400);
      if (!s.vpcs.has(String(input.VpcId))) throw new ServiceError('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`, 400);
      if (igw.attachment) throw new ServiceError('Resource.AlreadyAssociated', `resource ${igw.internetGatewayId} is already attached to network ${igw.attachment.vpcId}`, 400);
      igw.attachment = { vpcId: String(input.VpcId), state: 'available' };
      return { return: true };
    },
    DetachInternetGateway(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const igw = s.internetGateways.get(String(input.InternetGatewayId));
      if (!igw) throw new ServiceError('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${input.InternetGatewayId}' does not exist`, 400);
      if (igw.attachment?.vpcId !== input.VpcId) throw new ServiceError('Gateway.NotAttached', `resource ${igw.internetGatewayId} is not attached to network ${input.VpcId}`, 400);
      // Public addresses still mapped in the VPC (a NAT gateway's EIP) block the detach.
      if (s.liveNatGatewaysIn((n) => n.vpcId === input.VpcId).length > 0) {
        throw new ServiceError('DependencyViolation', `Network ${input.VpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`, 400);
      }
      delete igw.attachment;
      return { return: true };
    },
    DeleteInternetGateway(input, ctx) {
      const s = deps.state(ctx);
      const igw = s.internetGateways.get(String(input.InternetGatewayId));
      if (!igw) throw new ServiceError('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${input.InternetGatewayId}' does not exist`, 400);
      if (igw.attachment) throw new ServiceError('DependencyViolation', `The internetGateway '${igw.internetGatewayId}' has dependencies and cannot be deleted.`, 400);
      s.internetGateways.delete(igw.internetGatewayId);
      return { return: true };
    },
    AllocateAddress(input, ctx) {
      const s = deps.state(ctx);
      const a = { allocationId: newId('eipalloc'), publicIp: s.nextPublicIp(), tags: tagSpecification(input, 'elastic-ip') };
      s.addresses.set(a.allocationId, a);
      return { publicIp: a.publicIp, allocationId: a.allocationId, domain: 'vpc', networkBorderGroup: ctx.region };
    },
    DescribeAddresses(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      // DescribeAddresses has no paging in the real API.
      const items = applyFilters(byIds(s.addresses, input.AllocationId, 'InvalidAllocationID.NotFound', 'allocation ID'), input.Filter, {
        'allocation-id': (a) => a.allocationId, 'public-ip': (a) => a.publicIp, 'association-id': (a) => a.associationId, domain: () => 'vpc',
      });
      return { addressesSet: items.map(addressWire) };
    },
    ReleaseAddress(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const a = s.addresses.get(String(input.AllocationId));
      if (!a) throw new ServiceError('InvalidAllocationID.NotFound', `The allocation ID '${input.AllocationId}' does not exist`, 400);
      if (a.networkInterfaceId) throw new ServiceError('InvalidIPAddress.InUse', `Address ${a.publicIp} is in use.`, 400);
      s.addresses.delete(a.allocationId);
      return { return: true };
    },
    CreateNatGateway(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const token = input.ClientToken as string | undefined;
      if (token) {
        const prior = [...s.natGateways.values()].find((n) => n.clientToken === token);
        if (prior) {
          if (prior.subnetId !== input.SubnetId || prior.allocationId !== input.AllocationId) {
            throw new ServiceError('IdempotentParameterMismatch', 'The client token you have provided is associated with a resource that is already created with different parameters.', 400);
          }
          return { clientToken: token, natGateway: natWire(prior) };
        }
      }
      const subnet = s.subnets.get(String(input.SubnetId));
      if (!subnet) throw new ServiceError('InvalidSubnetID.NotFound', `The subnet ID '${input.SubnetId}' does not exist`, 400);
      const addr = s.addresses.get(String(input.AllocationId));
      if (!addr) throw new ServiceError('InvalidAllocationID.NotFound', `The allocation ID '${input.AllocationId}' does not exist`, 400);
      if (addr.networkInterfaceId) throw new ServiceError('Resource.AlreadyAssociated', `Elastic IP address [${addr.allocationId}] is already associated`, 400);
      const nat: NatGateway = {
        natGatewayId: newId('nat'), subnetId: subnet.subnetId, vpcId: subnet.vpcId, allocationId: addr.allocationId,
        networkInterfaceId: newId('eni'), privateIp: `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 4}`,
        state: 'pending', availableAt: s.clock.deadline(TIMINGS.natPendingMs), createTime: new Date(), clientToken: token,
        tags: tagSpecification(input, 'natgateway'),
      };
      // A subnet without an attached internet gateway cannot host a public NAT gateway.
      const igwAttached = [...s.internetGateways.values()].some((g) => g.attachment?.vpcId === subnet.vpcId);
      if (!igwAttached) {
        nat.state = 'failed';
        nat.failureCode = 'Gateway.NotAttached';
        nat.failureMessage = `Network ${subnet.vpcId} has no Internet gateway attached`;
      } else {
        addr.networkInterfaceId = nat.networkInterfaceId;
        addr.associationId = newId('eipassoc');
        addr.privateIp = nat.privateIp;
      }
      s.natGateways.set(nat.natGatewayId, nat);
      return { clientToken: token, natGateway: natWire(nat) };
    },
    DescribeNatGateways(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const ids: string[] | undefined = input.NatGatewayId;
      if (ids) for (const id of ids) if (!s.natGateways.has(id)) throw new ServiceError('NatGatewayNotFound', `The Nat Gateway ${id} was not found`, 400);
      const items = applyFilters(ids ? ids.map((id) => s.natGateways.get(id)!) : [...s.natGateways.values()], input.Filter, {
        'nat-gateway-id': (n) => n.natGatewayId, state: (n) => n.state, 'subnet-id': (n) => n.subnetId, 'vpc-id': (n) => n.vpcId,
      });
      const { page, nextToken } = paginate(items, input);
      return { natGatewaySet: page.map(natWire), nextToken };
    },
    DeleteNatGateway(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const nat = s.natGateways.get(String(input.NatGatewayId));
      if (!nat || nat.state === 'deleted') throw new ServiceError('NatGatewayNotFound', `The Nat Gateway ${input.NatGatewayId} was not found`, 400);
      if (nat.state !== 'deleting') {
        nat.state = nat.state === 'failed' ? 'deleted' : 'deleting';
        nat.deletedAt = s.clock.deadline(TIMINGS.natDeletingMs);
        if (nat.state === 'deleted') nat.deleteTime = new Date();
      }
      return { natGatewayId: nat.natGatewayId };
    },
  };
}
