// ec2/nat-gateway: egress for the private subnets (nodes pull images through it).
import { CreateNatGatewayCommand, DeleteNatGatewayCommand, DescribeNatGatewaysCommand, paginateDescribeNatGateways, type NatGateway } from '@aws-sdk/client-ec2';
import { isNotFound } from '../../cloud/aws-errors.js';
import { ownedId } from '../ownership.js';
import { defineKind, type Observed } from '../kind.js';
import { diffProps, idFilter, ownedFilter, recordApplied, recordedDigest, repairTags, tagSpecification, userTags } from './ec2-common.js';
import { withOrigins } from '../applied-digest.js';

export interface NatGatewayProps {
  subnetId?: string;
  allocationId?: string;
  tags?: Record<string, string>;
}
type NatState = { subnetId: string; allocationId: string; tags: Record<string, string> };

/** Deleted gateways stay listed for about an hour; they are history, not resources. */
const LIVE_STATES = ['pending', 'available', 'failed', 'deleting'];

function toObserved(n: NatGateway, id: string): Observed<NatState> {
  return { id, kind: natGatewayKind.kind, physicalId: n.NatGatewayId!, owned: true, status: n.State,
    state: { subnetId: n.SubnetId!, allocationId: n.NatGatewayAddresses?.[0]?.AllocationId ?? '', tags: userTags(n.Tags) },
    outputs: { natGatewayId: n.NatGatewayId, failure: n.FailureMessage }, appliedDigest: recordedDigest(n.Tags) };
}

export const natGatewayKind = defineKind<NatGatewayProps, NatState>({
  kind: 'ec2/nat-gateway',
  deletionCategory: 'network',
  // NAT gateways take minutes on real AWS (Terraform: 10 min create, 30 min delete).
  readyTimeoutMs: 15 * 60_000,
  deleteTimeoutMs: 30 * 60_000,
  async observeAll(ctx) {
    const out: Observed<NatState>[] = [];
    const filter = [...ownedFilter(ctx.platform), { Name: 'state', Values: LIVE_STATES }];
    for await (const page of paginateDescribeNatGateways({ client: ctx.aws.ec2 }, { Filter: filter })) {
      for (const n of page.NatGateways ?? []) out.push(toObserved(n, ownedId(n.Tags, ctx.platform)!));
    }
    return out;
  },
  diff(desired, observed) {
    return withOrigins(diffProps(desired, observed.state, ['subnetId', 'allocationId']), desired, observed.appliedDigest);
  },
  async create(ctx, desired) {
    const p = desired.properties;
    const existing = await ctx.aws.ec2.send(new DescribeNatGatewaysCommand({ Filter: [...idFilter(ctx.platform, desired.id), { Name: 'state', Values: LIVE_STATES }] }));
    const found = existing.NatGateways?.[0];
    if (found) {
      // A create that was interrupted before recording: this one completes it.
      await recordApplied(ctx.aws.ec2, found.NatGatewayId!, p, ctx.signal);
      return toObserved(found, desired.id);
    }
    const res = await ctx.aws.ec2.send(new CreateNatGatewayCommand({
      SubnetId: p.subnetId, AllocationId: p.allocationId, ConnectivityType: 'public',
      TagSpecifications: tagSpecification('natgateway', ctx.platform, desired.id, p.tags ?? {}),
    }), { abortSignal: ctx.signal });
    await recordApplied(ctx.aws.ec2, res.NatGateway!.NatGatewayId!, p, ctx.signal);
    return toObserved(res.NatGateway!, desired.id);
  },
  async update(ctx, desired, observed, changes) {
    await repairTags(ctx.aws.ec2, observed.physicalId, changes, ctx.signal);
    await recordApplied(ctx.aws.ec2, observed.physicalId, desired.properties, ctx.signal);
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      await ctx.aws.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: observed.physicalId }), { abortSignal: ctx.signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      const res = await ctx.aws.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [observed.physicalId] }));
      return res.NatGateways?.[0] ? toObserved(res.NatGateways[0], observed.id) : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready(observed) {
    if (observed.status === 'available') return true;
    if (observed.status === 'failed') return { failed: `NAT gateway failed: ${observed.outputs.failure ?? 'no reason given'}` };
    return { waiting: `NAT gateway ${observed.status}` };
  },
  gone(observed) {
    return observed.status === 'deleted';
  },
});
