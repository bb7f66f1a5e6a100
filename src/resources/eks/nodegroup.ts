// eks/nodegroup: managed node groups in the private subnets. Scaling, labels and taints change in
// place (UpdateNodegroupConfig); the Kubernetes version follows the control plane
// (UpdateNodegroupVersion); instance types, subnets and the role need a replacement. One update
// runs at a time: update() sends the version step first and returns, and the engine calls it
// again for the config step once the group is ACTIVE (apply/converge-update.ts).
import { CreateNodegroupCommand, DeleteNodegroupCommand, DescribeNodegroupCommand, ListNodegroupsCommand, UpdateNodegroupConfigCommand, UpdateNodegroupVersionCommand, type Nodegroup } from '@aws-sdk/client-eks';
import { isNotFound } from '../../cloud/aws-errors.js';
import { ownedId, ownershipTagMap } from '../ownership.js';
import { defineKind, type DiffResult, type Observed } from '../kind.js';
import { diffProps } from '../network/ec2-common.js';
import { clustersToScan } from './clusters-read.js';
import { createTags, eksRecordedDigest, recordEksApplied } from './eks-digest.js';
import { withOrigins } from '../applied-digest.js';

export interface NodegroupProps {
  clusterName: string;
  name: string;
  version: string;
  nodeRole: string;
  subnets: string[];
  instanceTypes: string[];
  scaling: { minSize: number; desiredSize: number; maxSize: number };
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
  diskSize: number;
  /** AL2023_x86_64_STANDARD or AL2023_ARM_64_STANDARD, from the instance types (platform-spec/instance-architecture.ts). */
  amiType: string;
}

function toObserved(n: Nodegroup, id: string): Observed<NodegroupProps> {
  return { id, kind: nodegroupKind.kind, physicalId: `${n.clusterName}/${n.nodegroupName}`, owned: true, status: n.status,
    state: { clusterName: n.clusterName!, name: n.nodegroupName!, version: n.version!, nodeRole: n.nodeRole!, subnets: [...(n.subnets ?? [])].sort(), instanceTypes: n.instanceTypes ?? [],
      scaling: { minSize: n.scalingConfig?.minSize ?? 0, desiredSize: n.scalingConfig?.desiredSize ?? 0, maxSize: n.scalingConfig?.maxSize ?? 0 },
      labels: n.labels ?? {}, taints: (n.taints ?? []).map((t) => ({ key: t.key!, ...(t.value ? { value: t.value } : {}), effect: t.effect! })), diskSize: n.diskSize ?? 20,
      amiType: n.amiType ?? '' },
    outputs: { name: n.nodegroupName, arn: n.nodegroupArn, health: (n.health?.issues ?? []).map((i) => `${i.code}: ${i.message}`).join('; ') },
    appliedDigest: eksRecordedDigest(n.tags) };
}

/** The properties in the shape diff compares (subnets as a sorted set): what the applied-digest records. */
const comparable = (p: NodegroupProps): NodegroupProps => ({ ...p, subnets: [...p.subnets].sort() });

export const nodegroupKind = defineKind<NodegroupProps, NodegroupProps>({
  kind: 'eks/nodegroup',
  deletionCategory: 'nodeGroups',
  readyTimeoutMs: 30 * 60_000,
  deleteTimeoutMs: 30 * 60_000,
  observeAfter: ['eks/cluster'],
  async observeAll(ctx, desired) {
    // Inside every cluster of ours, named in the spec or not: a teardown must find them.
    const perCluster = await Promise.all((await clustersToScan(ctx, desired.map((d) => d.properties.clusterName))).map(async (cluster) => {
      try {
        // No batch describe: one DescribeNodegroup per node group of the cluster.
        const names = (await ctx.aws.eks.send(new ListNodegroupsCommand({ clusterName: cluster }))).nodegroups ?? [];
        const groups = await Promise.all(names.map(async (n) => (await ctx.aws.eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: n }))).nodegroup!));
        return groups.flatMap((g) => {
          const id = ownedId(g.tags, ctx.platform);
          return id ? [toObserved(g, id)] : [];
        });
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    }));
    return perCluster.flat();
  },
  diff(desired, observed): DiffResult {
    const want = comparable(desired);
    return withOrigins(diffProps(want, observed.state, ['name', 'clusterName', 'nodeRole', 'subnets', 'instanceTypes', 'diskSize', 'amiType']), want, observed.appliedDigest);
  },
  async create(ctx, desired) {
    const p = desired.properties;
    const n = (await ctx.aws.eks.send(new CreateNodegroupCommand({
      clusterName: p.clusterName, nodegroupName: p.name, version: p.version, nodeRole: p.nodeRole, subnets: p.subnets, instanceTypes: p.instanceTypes,
      scalingConfig: p.scaling, labels: p.labels, taints: p.taints as never, diskSize: p.diskSize, amiType: p.amiType as never, capacityType: 'ON_DEMAND',
      tags: createTags(ownershipTagMap(ctx.platform, desired.id), comparable(p)),
    }))).nodegroup!;
    return toObserved(n, desired.id);
  },
  async update(ctx, desired, observed, changes) {
    const p = desired.properties;
    const eks = ctx.aws.eks;
    const has = (prefix: string) => changes.fields.some((f) => f.path === prefix || f.path.startsWith(`${prefix}.`));
    // The version step first, then the config step; the record is written with the last one sent.
    const lastStep = !(has('version') && (has('scaling') || has('labels') || has('taints')));
    if (has('version')) {
      await eks.send(new UpdateNodegroupVersionCommand({ clusterName: p.clusterName, nodegroupName: p.name, version: p.version }));
    } else if (has('scaling') || has('labels') || has('taints')) {
      const removeLabels = Object.keys(observed.state.labels).filter((k) => !(k in p.labels));
      const removeTaints = observed.state.taints.filter((t) => !p.taints.some((d) => d.key === t.key));
      await eks.send(new UpdateNodegroupConfigCommand({
        clusterName: p.clusterName, nodegroupName: p.name,
        ...(has('scaling') ? { scalingConfig: p.scaling } : {}),
        ...(has('labels') ? { labels: { addOrUpdateLabels: p.labels, ...(removeLabels.length ? { removeLabels } : {}) } } : {}),
        ...(has('taints') ? { taints: { addOrUpdateTaints: p.taints as never, ...(removeTaints.length ? { removeTaints: removeTaints as never } : {}) } } : {}),
      }));
    }
    if (lastStep) await recordEksApplied(eks, String(observed.outputs.arn), comparable(p), ctx.signal);
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      await ctx.aws.eks.send(new DeleteNodegroupCommand({ clusterName: observed.state.clusterName, nodegroupName: observed.state.name }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      return toObserved((await ctx.aws.eks.send(new DescribeNodegroupCommand({ clusterName: observed.state.clusterName, nodegroupName: observed.state.name }))).nodegroup!, observed.id);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready(observed) {
    if (observed.status === 'ACTIVE') return true;
    if (observed.status === 'CREATE_FAILED' || observed.status === 'DEGRADED' || observed.status === 'DELETE_FAILED') {
      return { failed: `node group ${observed.state.name} ${observed.status}: ${observed.outputs.health || 'no health issues reported'}` };
    }
    return { waiting: `node group ${observed.state.name} ${observed.status}` };
  },
});
