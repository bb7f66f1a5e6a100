// ec2/internet-gateway: the public subnets' way out, attached to the VPC.
import { AttachInternetGatewayCommand, CreateInternetGatewayCommand, DeleteInternetGatewayCommand, DescribeInternetGatewaysCommand, DetachInternetGatewayCommand, paginateDescribeInternetGateways, type InternetGateway } from '@aws-sdk/client-ec2';
import { errorName, isNotFound } from '../../cloud/aws-errors.js';
import { ownedId } from '../ownership.js';
import { defineKind, type Observed } from '../kind.js';
import { diffProps, idFilter, ownedFilter, recordApplied, recordedDigest, repairTags, tagSpecification, userTags } from './ec2-common.js';
import { withOrigins } from '../applied-digest.js';

export interface InternetGatewayProps {
  vpcId?: string;
  tags?: Record<string, string>;
}

function toObserved(g: InternetGateway, id: string): Observed<{ vpcId: string | null; tags: Record<string, string> }> {
  const vpcId = g.Attachments?.find((a) => ['available', 'attached'].includes(String(a.State)))?.VpcId ?? null;
  return { id, kind: internetGatewayKind.kind, physicalId: g.InternetGatewayId!, owned: true, status: vpcId ? 'attached' : 'detached',
    state: { vpcId, tags: userTags(g.Tags) }, outputs: { internetGatewayId: g.InternetGatewayId }, appliedDigest: recordedDigest(g.Tags) };
}

export const internetGatewayKind = defineKind<InternetGatewayProps, { vpcId: string | null; tags: Record<string, string> }>({
  kind: 'ec2/internet-gateway',
  deletionCategory: 'network',
  async observeAll(ctx) {
    const out = [];
    for await (const page of paginateDescribeInternetGateways({ client: ctx.aws.ec2 }, { Filters: ownedFilter(ctx.platform) })) {
      for (const g of page.InternetGateways ?? []) out.push(toObserved(g, ownedId(g.Tags, ctx.platform)!));
    }
    return out;
  },
  diff(desired, observed) {
    return withOrigins(diffProps(desired, observed.state), desired, observed.appliedDigest);
  },
  async create(ctx, desired) {
    const existing = await ctx.aws.ec2.send(new DescribeInternetGatewaysCommand({ Filters: idFilter(ctx.platform, desired.id) }));
    let igw = existing.InternetGateways?.[0];
    if (!igw) {
      igw = (await ctx.aws.ec2SingleAttempt.send(new CreateInternetGatewayCommand({ TagSpecifications: tagSpecification('internet-gateway', ctx.platform, desired.id, desired.properties.tags ?? {}) }), { abortSignal: ctx.signal })).InternetGateway!;
    }
    const observed = toObserved(igw, desired.id);
    if (observed.state.vpcId !== desired.properties.vpcId) await attach(ctx.aws.ec2, igw.InternetGatewayId!, desired.properties.vpcId!);
    await recordApplied(ctx.aws.ec2, igw.InternetGatewayId!, desired.properties, ctx.signal);
    return (await this.refresh(ctx, observed))!;
  },
  async update(ctx, desired, observed, changes) {
    if (changes.fields.some((f) => f.path === 'vpcId')) {
      if (observed.state.vpcId) await ctx.aws.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: observed.physicalId, VpcId: observed.state.vpcId }));
      await attach(ctx.aws.ec2, observed.physicalId, desired.properties.vpcId!);
    }
    await repairTags(ctx.aws.ec2, observed.physicalId, changes, ctx.signal);
    await recordApplied(ctx.aws.ec2, observed.physicalId, desired.properties, ctx.signal);
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      // Detaching fails with DependencyViolation while public addresses are mapped in the VPC;
      // the engine rides it out until the NAT gateway is gone.
      if (observed.state.vpcId) await ctx.aws.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: observed.physicalId, VpcId: observed.state.vpcId }));
      await ctx.aws.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: observed.physicalId }));
    } catch (err) {
      if (!isNotFound(err) && errorName(err) !== 'Gateway.NotAttached') throw err;
      if (errorName(err) === 'Gateway.NotAttached') await ctx.aws.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: observed.physicalId }));
    }
  },
  async refresh(ctx, observed) {
    try {
      const res = await ctx.aws.ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [observed.physicalId] }));
      return res.InternetGateways?.[0] ? toObserved(res.InternetGateways[0], observed.id) : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready(observed) {
    return observed.state.vpcId ? true : { waiting: 'internet gateway not attached' };
  },
});

async function attach(ec2: import('@aws-sdk/client-ec2').EC2Client, igwId: string, vpcId: string): Promise<void> {
  try {
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
  } catch (err) {
    // Already attached (a repeated call after a crash) is the state we want.
    if (errorName(err) !== 'Resource.AlreadyAssociated') throw err;
  }
}
