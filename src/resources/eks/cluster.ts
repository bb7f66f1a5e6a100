// eks/cluster: the control plane in the private subnets, API_AND_CONFIG_MAP authentication with
// the creator as bootstrap admin, endpoint access as the spec says. Version bumps and endpoint
// changes are in-place updates; other changes (subnets, role) need a replacement.
// NOTE(one-step-updates): EKS runs one update at a time, each only while the cluster is ACTIVE.
// update() sends the first pending step and returns; the engine waits for ready(), diffs again
// and calls update() for the next step (apply/converge-update.ts).
import { CreateClusterCommand, DeleteClusterCommand, DescribeClusterCommand, UpdateClusterConfigCommand, UpdateClusterVersionCommand, type Cluster } from '@aws-sdk/client-eks';
import { isNotFound } from '../../cloud/aws-errors.js';
import { ownedId, ownershipTagMap } from '../ownership.js';
import { defineKind, type Observed } from '../kind.js';
import { diffProps } from '../network/ec2-common.js';
import { accountClusters } from './clusters-read.js';
import { createTags, eksRecordedDigest, recordEksApplied } from './eks-digest.js';
import { withOrigins } from '../applied-digest.js';

export interface ClusterProps {
  name: string;
  version: string;
  roleArn: string;
  subnetIds: string[];
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  publicAccessCidrs: string[];
  authenticationMode: 'API_AND_CONFIG_MAP' | 'API';
  /** UpgradePolicyRequest.supportType: STANDARD upgrades at the end of standard support, EXTENDED stays (billed). */
  upgradePolicy: 'STANDARD' | 'EXTENDED';
}

function toObserved(c: Cluster, id: string): Observed<ClusterProps> {
  const v = c.resourcesVpcConfig ?? {};
  return {
    id, kind: clusterKind.kind, physicalId: c.name!, owned: true, status: c.status,
    state: { name: c.name!, version: c.version!, roleArn: c.roleArn!, subnetIds: [...(v.subnetIds ?? [])].sort(), endpointPublicAccess: v.endpointPublicAccess ?? false,
      endpointPrivateAccess: v.endpointPrivateAccess ?? false, publicAccessCidrs: v.publicAccessCidrs ?? [], authenticationMode: (c.accessConfig?.authenticationMode ?? 'CONFIG_MAP') as ClusterProps['authenticationMode'],
      // EKS's default when a cluster was created without one is EXTENDED (UpgradePolicyRequest).
      upgradePolicy: (c.upgradePolicy?.supportType ?? 'EXTENDED') as ClusterProps['upgradePolicy'] },
    outputs: { name: c.name, arn: c.arn, endpoint: c.endpoint, certificateAuthorityData: c.certificateAuthority?.data, oidcIssuer: c.identity?.oidc?.issuer, version: c.version,
      vpcId: v.vpcId, health: (c.health?.issues ?? []).map((i) => `${i.code}: ${i.message}`).join('; ') },
    appliedDigest: eksRecordedDigest(c.tags),
  };
}

/** The update steps, in the order update() sends them (NOTE(one-step-updates)). */
const UPDATE_STEPS: (keyof ClusterProps)[][] = [['version'], ['endpointPublicAccess', 'endpointPrivateAccess', 'publicAccessCidrs'], ['upgradePolicy'], ['authenticationMode']];

/** The properties in the shape diff compares (subnets as a sorted set): what the applied-digest records. */
const comparable = (p: ClusterProps): ClusterProps => ({ ...p, subnetIds: [...p.subnetIds].sort() });

export const clusterKind = defineKind<ClusterProps, ClusterProps>({
  kind: 'eks/cluster',
  deletionCategory: 'cluster',
  // Real clusters take 10–15 minutes to create and up to ~10 to delete.
  readyTimeoutMs: 40 * 60_000,
  deleteTimeoutMs: 30 * 60_000,
  async observeAll(ctx, desired) {
    const wanted = new Set(desired.map((d) => d.properties.name));
    const out: Observed<ClusterProps>[] = [];
    for (const c of await accountClusters(ctx, [...wanted])) {
      const id = ownedId(c.tags, ctx.platform);
      if (id) out.push(toObserved(c, id));
      else if (wanted.has(c.name!)) ctx.progress(`cluster ${c.name} exists but is not tagged as this platform's: left alone`);
    }
    return out;
  },
  diff(desired, observed) {
    const want = comparable(desired);
    return withOrigins(diffProps(want, observed.state, ['name', 'roleArn', 'subnetIds']), want, observed.appliedDigest);
  },
  async create(ctx, desired) {
    const p = desired.properties;
    const c = (await ctx.aws.eks.send(new CreateClusterCommand({
      name: p.name, version: p.version, roleArn: p.roleArn,
      resourcesVpcConfig: { subnetIds: p.subnetIds, endpointPublicAccess: p.endpointPublicAccess, endpointPrivateAccess: p.endpointPrivateAccess, publicAccessCidrs: p.publicAccessCidrs },
      // Set explicitly: API-created clusters default to CONFIG_MAP, and the creator must stay admin.
      accessConfig: { authenticationMode: p.authenticationMode, bootstrapClusterCreatorAdminPermissions: true },
      // Always sent: EKS defaults to EXTENDED, the spec to STANDARD.
      upgradePolicy: { supportType: p.upgradePolicy },
      tags: createTags(ownershipTagMap(ctx.platform, desired.id), comparable(p)),
    }), { abortSignal: ctx.signal })).cluster!;
    return toObserved(c, desired.id);
  },
  async update(ctx, desired, observed, changes) {
    const p = desired.properties;
    const eks = ctx.aws.eks;
    const changed = (...paths: string[]) => changes.fields.some((f) => paths.includes(f.path));
    const lastStep = UPDATE_STEPS.filter((step) => changed(...step)).length <= 1;
    // One step per call, in this order (see NOTE(one-step-updates) at the top).
    if (changed('version')) {
      await eks.send(new UpdateClusterVersionCommand({ name: p.name, version: p.version }));
    } else if (changed('endpointPublicAccess', 'endpointPrivateAccess', 'publicAccessCidrs')) {
      await eks.send(new UpdateClusterConfigCommand({ name: p.name, resourcesVpcConfig: { endpointPublicAccess: p.endpointPublicAccess, endpointPrivateAccess: p.endpointPrivateAccess, publicAccessCidrs: p.publicAccessCidrs } }));
    } else if (changed('upgradePolicy')) {
      // After a version change: a cluster can leave EXTENDED only once it is back on a version in
      // standard support (https://docs.aws.amazon.com/eks/latest/userguide/disable-extended-support.html).
      await eks.send(new UpdateClusterConfigCommand({ name: p.name, upgradePolicy: { supportType: p.upgradePolicy } }));
    } else if (changed('authenticationMode')) {
      await eks.send(new UpdateClusterConfigCommand({ name: p.name, accessConfig: { authenticationMode: p.authenticationMode } }));
    }
    if (lastStep) await recordEksApplied(eks, String(observed.outputs.arn), comparable(p), ctx.signal);
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      await ctx.aws.eks.send(new DeleteClusterCommand({ name: observed.physicalId }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      return toObserved((await ctx.aws.eks.send(new DescribeClusterCommand({ name: observed.physicalId }))).cluster!, observed.id);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready(observed) {
    if (observed.status === 'ACTIVE') return true;
    if (observed.status === 'FAILED') return { failed: `EKS cluster FAILED: ${observed.outputs.health || 'no health issues reported'}` };
    return { waiting: `EKS cluster ${observed.status}` };
  },
});
