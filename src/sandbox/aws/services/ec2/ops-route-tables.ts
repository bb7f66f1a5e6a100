// Route tables, routes and subnet associations.
import { ServiceError, type OperationHandler, type RequestContext } from '../../service.js';
import type { Ec2Deps } from './deps.js';
import { applyFilters, byIds, paginate } from './query.js';
import { newId, tagSpecification, type Ec2State, type RouteTable } from './state.js';
import { routeTableWire } from './wire.js';

export function routeTableOperations(deps: Ec2Deps): Record<string, OperationHandler> {
  const table = (ctx: RequestContext, id: unknown): { s: Ec2State; rt: RouteTable } => {
    const s = deps.state(ctx);
    s.settle();
    const rt = s.routeTables.get(String(id));
    if (!rt) throw new ServiceError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`, 400);
    return { s, rt };
  };
  const wire = (s: Ec2State, rt: RouteTable) =>
    routeTableWire(rt, (id) => s.natGateways.get(id)?.state, (id) => s.internetGateways.get(id)?.attachment?.vpcId === rt.vpcId);
  const target = (s: Ec2State, input: any) => {
    if (input.GatewayId) {
      if (!s.internetGateways.has(input.GatewayId)) throw new ServiceError('InvalidGatewayID.NotFound', `The gateway ID '${input.GatewayId}' does not exist`, 400);
      return { gatewayId: String(input.GatewayId) };
    }
    if (input.NatGatewayId) {
      const nat = s.natGateways.get(input.NatGatewayId);
      if (!nat || nat.state === 'deleted') throw new ServiceError('NatGatewayNotFound', `The Nat Gateway ${input.NatGatewayId} was not found`, 400);
      return { natGatewayId: String(input.NatGatewayId) };
    }
    throw new ServiceError('MissingParameter', 'The request must contain exactly one of gatewayId, natGatewayId, ...', 400);
  };
  return {
    CreateRouteTable(input, ctx) {
      const s = deps.state(ctx);
      const token = input.ClientToken as string | undefined;
      const prior = token ? [...s.routeTables.values()].find((r) => r.clientToken === token) : undefined;
      if (prior) {
        if (prior.vpcId !== input.VpcId) throw new ServiceError('IdempotentParameterMismatch', 'The client token you have provided is associated with a resource that is already created with different parameters.', 400);
        return { routeTable: wire(s, prior), clientToken: token };
      }
      const vpc = s.vpcs.get(String(input.VpcId));
      if (!vpc) throw new ServiceError('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`, 400);
      const rt: RouteTable = { routeTableId: newId('rtb'), vpcId: vpc.vpcId, routes: [{ destination: vpc.cidr, gatewayId: 'local', origin: 'CreateRouteTable' }],
        associations: [], tags: tagSpecification(input, 'route-table'), clientToken: token };
      s.routeTables.set(rt.routeTableId, rt);
      return { routeTable: wire(s, rt), clientToken: token };
    },
    DescribeRouteTables(input, ctx) {
      const s = deps.state(ctx);
      s.settle();
      const items = applyFilters(byIds(s.routeTables, input.RouteTableId, 'InvalidRouteTableID.NotFound', 'routeTable ID'), input.Filter, {
        'vpc-id': (r) => r.vpcId, 'route-table-id': (r) => r.routeTableId, 'association.main': (r) => String(r.associations.some((a) => a.main)),
        'association.subnet-id': (r) => r.associations.flatMap((a) => (a.subnetId ? [a.subnetId] : [])),
      });
      const { page, nextToken } = paginate(items, input);
      return { routeTableSet: page.map((r) => wire(s, r)), nextToken };
    },
    CreateRoute(input, ctx) {
      const { s, rt } = table(ctx, input.RouteTableId);
      const dest = String(input.DestinationCidrBlock);
      if (rt.routes.some((r) => r.destination === dest)) throw new ServiceError('RouteAlreadyExists', `The route identified by ${dest} already exists.`, 400);
      rt.routes.push({ destination: dest, ...target(s, input), origin: 'CreateRoute' });
      return { return: true };
    },
    ReplaceRoute(input, ctx) {
      const { s, rt } = table(ctx, input.RouteTableId);
      const i = rt.routes.findIndex((r) => r.destination === input.DestinationCidrBlock);
      if (i < 0) throw new ServiceError('InvalidRoute.NotFound', `no route with destination-cidr-block ${input.DestinationCidrBlock} in route table ${rt.routeTableId}`, 400);
      rt.routes[i] = { destination: rt.routes[i]!.destination, ...target(s, input), origin: 'CreateRoute' };
      return { return: true };
    },
    DeleteRoute(input, ctx) {
      const { rt } = table(ctx, input.RouteTableId);
      const i = rt.routes.findIndex((r) => r.destination === input.DestinationCidrBlock && r.gatewayId !== 'local');
      if (i < 0) throw new ServiceError('InvalidRoute.NotFound', `no route with destination-cidr-block ${input.DestinationCidrBlock} in route table ${rt.routeTableId}`, 400);
      rt.routes.splice(i, 1);
      return { return: true };
    },
    AssociateRouteTable(input, ctx) {
      const { s, rt } = table(ctx, input.RouteTableId);
      const subnet = s.subnets.get(String(input.SubnetId));
      if (!subnet) throw new ServiceError('InvalidSubnetID.NotFound', `The subnet ID '${input.SubnetId}' does not exist`, 400);
      const existing = [...s.routeTables.values()].find((r) => r.associations.some((a) => a.subnetId === subnet.subnetId));
      if (existing) throw new ServiceError('Resource.AlreadyAssociated', `the specified association for route table ${existing.routeTableId} conflicts with an existing association`, 400);
      const associationId = newId('rtbassoc');
      rt.associations.push({ associationId, subnetId: subnet.subnetId, main: false });
      return { associationId, associationState: { state: 'associated' } };
    },
    DisassociateRouteTable(input, ctx) {
      const s = deps.state(ctx);
      for (const rt of s.routeTables.values()) {
        const i = rt.associations.findIndex((a) => a.associationId === input.AssociationId && !a.main);
        if (i >= 0) {
          rt.associations.splice(i, 1);
          return { return: true };
        }
      }
      throw new ServiceError('InvalidAssociationID.NotFound', `The association ID '${input.AssociationId}' does not exist`, 400);
    },
    DeleteRouteTable(input, ctx) {
      const { s, rt } = table(ctx, input.RouteTableId);
      if (rt.associations.length > 0) throw new ServiceError('DependencyViolation', `The routeTable '${rt.routeTableId}' has dependencies and cannot be deleted.`, 400);
      s.routeTables.delete(rt.routeTableId);
      return { return: true };
    },
  };
}
