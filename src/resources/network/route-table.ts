// ec2/route-table: default routes (public → internet gateway, private → NAT gateway) and the
// subnets associated with each table.
import {
  AssociateRouteTableCommand, CreateRouteCommand, CreateRouteTableCommand, DeleteRouteCommand, DeleteRouteTableCommand, DescribeRouteTablesCommand,
  DisassociateRouteTableCommand, ReplaceRouteCommand, paginateDescribeRouteTables, type EC2Client, type RouteTable,
} from '@aws-sdk/client-ec2';
import { errorName, isNotFound } from '../../cloud/aws-errors.js';
import { ownedId } from '../ownership.js';
import { defineKind, type Observed } from '../kind.js';
import { diffProps, idFilter, ownedFilter, recordApplied, recordedDigest, repairTags, tagSpecification, userTags } from './ec2-common.js';
import { withOrigins } from '../applied-digest.js';

export interface RouteTarget { gatewayId?: string; natGatewayId?: string }

export interface RouteTableProps {
  vpcId?: string;
  /** Destination CIDR → target; the VPC's local route is implicit. */
  routes?: Record<string, RouteTarget>;
  subnetIds?: string[];
  tags?: Record<string, string>;
}
type RouteTableState = Required<RouteTableProps> & { associations: Record<string, string> };

function toObserved(rt: RouteTable, id: string): Observed<RouteTableState> {
  const routes: Record<string, RouteTarget> = {};
  for (const r of rt.Routes ?? []) {
    if (r.GatewayId === 'local' || !r.DestinationCidrBlock) continue;
    routes[r.DestinationCidrBlock] = r.NatGatewayId ? { natGatewayId: r.NatGatewayId } : { gatewayId: r.GatewayId! };
  }
  const associations: Record<string, string> = {};
  for (const a of rt.Associations ?? []) if (a.SubnetId && !a.Main) associations[a.SubnetId] = a.RouteTableAssociationId!;
  return { id, kind: routeTableKind.kind, physicalId: rt.RouteTableId!, owned: true, status: 'available',
    state: { vpcId: rt.VpcId!, routes, subnetIds: Object.keys(associations), tags: userTags(rt.Tags), associations },
    outputs: { routeTableId: rt.RouteTableId }, appliedDigest: recordedDigest(rt.Tags) };
}

async function setRoutes(ec2: EC2Client, rtId: string, want: Record<string, RouteTarget>, have: Record<string, RouteTarget>): Promise<void> {
  for (const [dest, target] of Object.entries(want)) {
    if (JSON.stringify(have[dest]) === JSON.stringify(target)) continue;
    const input = { RouteTableId: rtId, DestinationCidrBlock: dest, GatewayId: target.gatewayId, NatGatewayId: target.natGatewayId };
    if (have[dest]) await ec2.send(new ReplaceRouteCommand(input));
    else {
      try {
        await ec2.send(new CreateRouteCommand(input));
      } catch (err) {
        if (errorName(err) !== 'RouteAlreadyExists') throw err;
        await ec2.send(new ReplaceRouteCommand(input));
      }
    }
  }
  for (const dest of Object.keys(have)) if (!(dest in want)) await ec2.send(new DeleteRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: dest }));
}

async function setAssociations(ec2: EC2Client, rtId: string, want: string[], have: Record<string, string>): Promise<void> {
  for (const subnetId of want) {
    if (have[subnetId]) continue;
    try {
      await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtId, SubnetId: subnetId }));
    } catch (err) {
      if (errorName(err) !== 'Resource.AlreadyAssociated') throw err;
    }
  }
  for (const [subnetId, assoc] of Object.entries(have)) if (!want.includes(subnetId)) await ec2.send(new DisassociateRouteTableCommand({ AssociationId: assoc }));
}

export const routeTableKind = defineKind<RouteTableProps, RouteTableState>({
  kind: 'ec2/route-table',
  deletionCategory: 'network',
  async observeAll(ctx) {
    const out: Observed<RouteTableState>[] = [];
    for await (const page of paginateDescribeRouteTables({ client: ctx.aws.ec2 }, { Filters: ownedFilter(ctx.platform) })) {
      for (const rt of page.RouteTables ?? []) out.push(toObserved(rt, ownedId(rt.Tags, ctx.platform)!));
    }
    return out;
  },
  diff(desired, observed) {
    const { associations: _a, ...state } = observed.state;
    return withOrigins(diffProps(desired, state, ['vpcId']), desired, observed.appliedDigest);
  },
  async create(ctx, desired) {
    const p = desired.properties;
    const existing = await ctx.aws.ec2.send(new DescribeRouteTablesCommand({ Filters: idFilter(ctx.platform, desired.id) }));
    let rt = existing.RouteTables?.[0];
    if (!rt) {
      rt = (await ctx.aws.ec2.send(new CreateRouteTableCommand({ VpcId: p.vpcId, TagSpecifications: tagSpecification('route-table', ctx.platform, desired.id, p.tags ?? {}) }), { abortSignal: ctx.signal })).RouteTable!;
    }
    const observed = toObserved(rt, desired.id);
    await setRoutes(ctx.aws.ec2, observed.physicalId, p.routes ?? {}, observed.state.routes);
    await setAssociations(ctx.aws.ec2, observed.physicalId, p.subnetIds ?? [], observed.state.associations);
    await recordApplied(ctx.aws.ec2, observed.physicalId, p, ctx.signal);
    return (await this.refresh(ctx, observed))!;
  },
  async update(ctx, desired, observed, changes) {
    const p = desired.properties;
    if (changes.fields.some((f) => f.path.startsWith('routes'))) await setRoutes(ctx.aws.ec2, observed.physicalId, p.routes ?? {}, observed.state.routes);
    if (changes.fields.some((f) => f.path === 'subnetIds')) await setAssociations(ctx.aws.ec2, observed.physicalId, p.subnetIds ?? [], observed.state.associations);
    await repairTags(ctx.aws.ec2, observed.physicalId, changes, ctx.signal);
    await recordApplied(ctx.aws.ec2, observed.physicalId, p, ctx.signal);
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      for (const assoc of Object.values(observed.state.associations)) {
        await ctx.aws.ec2.send(new DisassociateRouteTableCommand({ AssociationId: assoc })).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
      }
      await ctx.aws.ec2.send(new DeleteRouteTableCommand({ RouteTableId: observed.physicalId }), { abortSignal: ctx.signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      const res = await ctx.aws.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [observed.physicalId] }));
      return res.RouteTables?.[0] ? toObserved(res.RouteTables[0], observed.id) : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready: () => true,
});
