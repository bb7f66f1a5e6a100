// ec2/vpc: the platform's VPC with DNS support and hostnames on (EKS needs both), or an existing
// VPC named by id, observed read-only.
import { CreateVpcCommand, DeleteVpcCommand, DescribeVpcAttributeCommand, DescribeVpcsCommand, ModifyVpcAttributeCommand, paginateDescribeVpcs, type EC2Client, type Vpc } from '@aws-sdk/client-ec2';
import { isNotFound } from '../../cloud/aws-errors.js';
import { ownedId } from '../ownership.js';
import { defineKind, type Desired, type Observed } from '../kind.js';
import { diffProps, idFilter, ownedFilter, recordApplied, recordedDigest, repairTags, tagSpecification, userTags } from './ec2-common.js';
import { withOrigins } from '../applied-digest.js';

export interface VpcProps {
  cidr?: string;
  enableDnsSupport?: boolean;
  enableDnsHostnames?: boolean;
  tags?: Record<string, string>;
}

type VpcState = Required<VpcProps>;

async function observeOne(ec2: EC2Client, vpc: Vpc, id: string, owned: boolean): Promise<Observed<VpcState>> {
  // EC2 has no batch read for VPC attributes: two calls per VPC, and a platform has one VPC.
  const [support, hostnames] = await Promise.all([
    ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpc.VpcId, Attribute: 'enableDnsSupport' })),
    ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpc.VpcId, Attribute: 'enableDnsHostnames' })),
  ]);
  return {
    id, kind: vpcKind.kind, physicalId: vpc.VpcId!, owned, status: vpc.State,
    state: { cidr: vpc.CidrBlock!, enableDnsSupport: support.EnableDnsSupport?.Value ?? false, enableDnsHostnames: hostnames.EnableDnsHostnames?.Value ?? false, tags: userTags(vpc.Tags) },
    outputs: { vpcId: vpc.VpcId, cidr: vpc.CidrBlock }, appliedDigest: recordedDigest(vpc.Tags),
  };
}

export const vpcKind = defineKind<VpcProps, VpcState>({
  kind: 'ec2/vpc',
  deletionCategory: 'network',
  async observeAll(ctx, desired) {
    const out: Observed<VpcState>[] = [];
    for await (const page of paginateDescribeVpcs({ client: ctx.aws.ec2 }, { Filters: ownedFilter(ctx.platform) })) {
      for (const vpc of page.Vpcs ?? []) out.push(await observeOne(ctx.aws.ec2, vpc, ownedId(vpc.Tags, ctx.platform)!, true));
    }
    const readOnly = desired.filter((d) => d.readOnly);
    if (readOnly.length > 0) {
      try {
        const res = await ctx.aws.ec2.send(new DescribeVpcsCommand({ VpcIds: readOnly.map((d) => d.readOnly!.physicalId) }));
        for (const vpc of res.Vpcs ?? []) {
          const d = readOnly.find((x) => x.readOnly!.physicalId === vpc.VpcId)!;
          out.push(await observeOne(ctx.aws.ec2, vpc, d.id, false));
        }
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return out;
  },
  diff(desired, observed) {
    return withOrigins(diffProps(desired, observed.state, ['cidr']), desired, observed.appliedDigest);
  },
  async create(ctx, desired: Desired<VpcProps>) {
    const p = desired.properties;
    // No client token on CreateVpc: find by the id tag first so a retried or re-run create never duplicates.
    const existing = await ctx.aws.ec2.send(new DescribeVpcsCommand({ Filters: idFilter(ctx.platform, desired.id) }));
    let vpc = existing.Vpcs?.[0];
    if (!vpc) {
      const res = await ctx.aws.ec2SingleAttempt.send(new CreateVpcCommand({ CidrBlock: p.cidr, TagSpecifications: tagSpecification('vpc', ctx.platform, desired.id, p.tags ?? {}) }), { abortSignal: ctx.signal });
      vpc = res.Vpc!;
    }
    // One attribute per call, support before hostnames (hostnames need support).
    if (p.enableDnsSupport !== undefined) await ctx.aws.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc.VpcId, EnableDnsSupport: { Value: p.enableDnsSupport } }));
    if (p.enableDnsHostnames !== undefined) await ctx.aws.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc.VpcId, EnableDnsHostnames: { Value: p.enableDnsHostnames } }));
    await recordApplied(ctx.aws.ec2, vpc.VpcId!, p, ctx.signal);
    return observeOne(ctx.aws.ec2, vpc, desired.id, true);
  },
  async update(ctx, desired, observed, changes) {
    const p = desired.properties;
    const changed = (path: string) => changes.fields.some((f) => f.path === path);
    if (changed('enableDnsSupport')) await ctx.aws.ec2.send(new ModifyVpcAttributeCommand({ VpcId: observed.physicalId, EnableDnsSupport: { Value: p.enableDnsSupport } }));
    if (changed('enableDnsHostnames')) await ctx.aws.ec2.send(new ModifyVpcAttributeCommand({ VpcId: observed.physicalId, EnableDnsHostnames: { Value: p.enableDnsHostnames } }));
    await repairTags(ctx.aws.ec2, observed.physicalId, changes, ctx.signal);
    await recordApplied(ctx.aws.ec2, observed.physicalId, p, ctx.signal);
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      await ctx.aws.ec2.send(new DeleteVpcCommand({ VpcId: observed.physicalId }), { abortSignal: ctx.signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      const res = await ctx.aws.ec2.send(new DescribeVpcsCommand({ VpcIds: [observed.physicalId] }));
      const vpc = res.Vpcs?.[0];
      return vpc ? observeOne(ctx.aws.ec2, vpc, observed.id, observed.owned) : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready(observed) {
    return observed.status === 'available' ? true : { waiting: `VPC ${observed.status}` };
  },
});
