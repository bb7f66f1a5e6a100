// ec2/subnet: public and private subnets per zone, tagged for the load balancer controller's
// subnet discovery and for the cluster; or existing subnets named by id, read-only.
import { CreateSubnetCommand, DeleteSubnetCommand, DescribeSubnetsCommand, ModifySubnetAttributeCommand, paginateDescribeSubnets, type Subnet } from '@aws-sdk/client-ec2';
import { isNotFound } from '../../cloud/aws-errors.js';
import { ownedId } from '../ownership.js';
import { defineKind, type Observed } from '../kind.js';
import { diffProps, idFilter, ownedFilter, recordApplied, recordedDigest, repairTags, tagSpecification, userTags } from './ec2-common.js';
import { withOrigins } from '../applied-digest.js';

export interface SubnetProps {
  vpcId?: string;
  zone?: string;
  cidr?: string;
  mapPublicIpOnLaunch?: boolean;
  tags?: Record<string, string>;
}

function toObserved(s: Subnet, id: string, owned: boolean): Observed<Required<SubnetProps>> {
  return {
    id, kind: subnetKind.kind, physicalId: s.SubnetId!, owned, status: s.State,
    state: { vpcId: s.VpcId!, zone: s.AvailabilityZone!, cidr: s.CidrBlock!, mapPublicIpOnLaunch: s.MapPublicIpOnLaunch ?? false, tags: userTags(s.Tags) },
    outputs: { subnetId: s.SubnetId, zone: s.AvailabilityZone, cidr: s.CidrBlock, vpcId: s.VpcId }, appliedDigest: recordedDigest(s.Tags),
  };
}

export const subnetKind = defineKind<SubnetProps, Required<SubnetProps>>({
  kind: 'ec2/subnet',
  deletionCategory: 'network',
  async observeAll(ctx, desired) {
    const out: Observed<Required<SubnetProps>>[] = [];
    for await (const page of paginateDescribeSubnets({ client: ctx.aws.ec2 }, { Filters: ownedFilter(ctx.platform) })) {
      for (const s of page.Subnets ?? []) out.push(toObserved(s, ownedId(s.Tags, ctx.platform)!, true));
    }
    const readOnly = desired.filter((d) => d.readOnly);
    if (readOnly.length > 0) {
      // One batched read for every subnet named by id; a missing one shows as read-only-missing.
      const found = await ctx.aws.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: readOnly.map((d) => d.readOnly!.physicalId) }] }));
      for (const s of found.Subnets ?? []) out.push(toObserved(s, readOnly.find((d) => d.readOnly!.physicalId === s.SubnetId)!.id, false));
    }
    return out;
  },
  diff(desired, observed) {
    return withOrigins(diffProps(desired, observed.state, ['vpcId', 'zone', 'cidr']), desired, observed.appliedDigest);
  },
  async create(ctx, desired) {
    const p = desired.properties;
    const existing = await ctx.aws.ec2.send(new DescribeSubnetsCommand({ Filters: idFilter(ctx.platform, desired.id) }));
    let subnet = existing.Subnets?.[0];
    if (!subnet) {
      subnet = (await ctx.aws.ec2SingleAttempt.send(new CreateSubnetCommand({
        VpcId: p.vpcId, CidrBlock: p.cidr, AvailabilityZone: p.zone, TagSpecifications: tagSpecification('subnet', ctx.platform, desired.id, p.tags ?? {}),
      }), { abortSignal: ctx.signal })).Subnet!;
    }
    if (p.mapPublicIpOnLaunch && !subnet.MapPublicIpOnLaunch) {
      await ctx.aws.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnet.SubnetId, MapPublicIpOnLaunch: { Value: true } }));
      subnet = { ...subnet, MapPublicIpOnLaunch: true };
    }
    await recordApplied(ctx.aws.ec2, subnet.SubnetId!, p, ctx.signal);
    return toObserved(subnet, desired.id, true);
  },
  async update(ctx, desired, observed, changes) {
    if (changes.fields.some((f) => f.path === 'mapPublicIpOnLaunch')) {
      await ctx.aws.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: observed.physicalId, MapPublicIpOnLaunch: { Value: desired.properties.mapPublicIpOnLaunch } }));
    }
    await repairTags(ctx.aws.ec2, observed.physicalId, changes, ctx.signal);
    await recordApplied(ctx.aws.ec2, observed.physicalId, desired.properties, ctx.signal);
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      await ctx.aws.ec2.send(new DeleteSubnetCommand({ SubnetId: observed.physicalId }), { abortSignal: ctx.signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      const res = await ctx.aws.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [observed.physicalId] }));
      return res.Subnets?.[0] ? toObserved(res.Subnets[0], observed.id, observed.owned) : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready(observed) {
    return observed.status === 'available' ? true : { waiting: `subnet ${observed.status}` };
  },
});
