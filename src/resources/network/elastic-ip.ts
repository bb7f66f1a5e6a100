// ec2/elastic-ip: the public address of a NAT gateway.
import { AllocateAddressCommand, DescribeAddressesCommand, ReleaseAddressCommand, type Address } from '@aws-sdk/client-ec2';
import { isNotFound } from '../../cloud/aws-errors.js';
import { ownedId } from '../ownership.js';
import { defineKind, type Observed } from '../kind.js';
import { diffProps, idFilter, ownedFilter, recordApplied, recordedDigest, repairTags, tagSpecification, userTags } from './ec2-common.js';
import { withOrigins } from '../applied-digest.js';

export interface ElasticIpProps {
  tags?: Record<string, string>;
}

function toObserved(a: Address, id: string): Observed<{ tags: Record<string, string> }> {
  return { id, kind: elasticIpKind.kind, physicalId: a.AllocationId!, owned: true, status: a.AssociationId ? 'associated' : 'allocated',
    state: { tags: userTags(a.Tags) }, outputs: { allocationId: a.AllocationId, publicIp: a.PublicIp }, appliedDigest: recordedDigest(a.Tags) };
}

export const elasticIpKind = defineKind<ElasticIpProps, { tags: Record<string, string> }>({
  kind: 'ec2/elastic-ip',
  deletionCategory: 'network',
  async observeAll(ctx) {
    // DescribeAddresses is not paged: one call returns every address matching the filter.
    const res = await ctx.aws.ec2.send(new DescribeAddressesCommand({ Filters: ownedFilter(ctx.platform) }));
    return (res.Addresses ?? []).map((a) => toObserved(a, ownedId(a.Tags, ctx.platform)!));
  },
  diff(desired, observed) {
    return withOrigins(diffProps(desired, observed.state), desired, observed.appliedDigest);
  },
  async create(ctx, desired) {
    const existing = await ctx.aws.ec2.send(new DescribeAddressesCommand({ Filters: idFilter(ctx.platform, desired.id) }));
    const found = existing.Addresses?.[0];
    if (found) {
      // A create that allocated but was interrupted before recording: this one completes it.
      await recordApplied(ctx.aws.ec2, found.AllocationId!, desired.properties, ctx.signal);
      return toObserved(found, desired.id);
    }
    const res = await ctx.aws.ec2SingleAttempt.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: tagSpecification('elastic-ip', ctx.platform, desired.id, desired.properties.tags ?? {}) }), { abortSignal: ctx.signal });
    await recordApplied(ctx.aws.ec2, res.AllocationId!, desired.properties, ctx.signal);
    return { id: desired.id, kind: this.kind, physicalId: res.AllocationId!, owned: true, status: 'allocated', state: { tags: desired.properties.tags ?? {} },
      outputs: { allocationId: res.AllocationId, publicIp: res.PublicIp } };
  },
  async update(ctx, desired, observed, changes) {
    await repairTags(ctx.aws.ec2, observed.physicalId, changes, ctx.signal);
    await recordApplied(ctx.aws.ec2, observed.physicalId, desired.properties, ctx.signal);
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      // InvalidIPAddress.InUse while its NAT gateway is still deleting: the engine waits it out.
      await ctx.aws.ec2.send(new ReleaseAddressCommand({ AllocationId: observed.physicalId }), { abortSignal: ctx.signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      const res = await ctx.aws.ec2.send(new DescribeAddressesCommand({ AllocationIds: [observed.physicalId] }));
      return res.Addresses?.[0] ? toObserved(res.Addresses[0], observed.id) : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready: () => true,
});
