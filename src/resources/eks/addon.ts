// eks/addon: vpc-cni (with its IRSA role), kube-proxy, coredns, eks-pod-identity-agent — each
// pinned in the spec or at the version EKS recommends for the cluster's Kubernetes version.
import { CreateAddonCommand, DeleteAddonCommand, DescribeAddonCommand, DescribeAddonVersionsCommand, ListAddonsCommand, UpdateAddonCommand, type Addon, type EKSClient } from '@aws-sdk/client-eks';
import { isNotFound } from '../../cloud/aws-errors.js';
import { ownedId, ownershipTagMap } from '../ownership.js';
import { defineKind, type Observed } from '../kind.js';
import { clustersToScan } from './clusters-read.js';
import { createTags, eksRecordedDigest, recordEksApplied } from './eks-digest.js';
import { withOrigins } from '../applied-digest.js';

export interface AddonProps {
  clusterName: string;
  name: string;
  /** Pinned version; absent = EKS's default for `kubernetesVersion`. */
  version?: string;
  kubernetesVersion: string;
  serviceAccountRoleArn?: string;
}
interface AddonState {
  clusterName: string; name: string; version: string; serviceAccountRoleArn?: string;
  /** EKS's default version for the desired Kubernetes version, when the spec pins none (read by observeAll). */
  defaultVersion?: string;
}

// Versions EKS offers are immutable facts per (add-on, Kubernetes version): cache them per process.
const defaultVersions = new Map<string, Promise<string>>();

/** EKS's default version of an add-on for a Kubernetes version (DescribeAddonVersions, cached). */
export function defaultAddonVersion(eks: EKSClient, addon: string, k8s: string): Promise<string> {
  const key = `${addon}@${k8s}`;
  let hit = defaultVersions.get(key);
  if (!hit) {
    hit = eks.send(new DescribeAddonVersionsCommand({ addonName: addon, kubernetesVersion: k8s })).then((res) => {
      const versions = res.addons?.[0]?.addonVersions ?? [];
      const def = versions.find((v) => v.compatibilities?.some((c) => c.clusterVersion === k8s && c.defaultVersion)) ?? versions[0];
      if (!def?.addonVersion) throw new Error(`EKS offers no version of ${addon} for Kubernetes ${k8s}`);
      return def.addonVersion;
    });
    hit.catch(() => defaultVersions.delete(key));
    defaultVersions.set(key, hit);
  }
  return hit;
}

function toObserved(a: Addon, id: string, defaultVersion?: string): Observed<AddonState> {
  return { id, kind: addonKind.kind, physicalId: `${a.clusterName}/${a.addonName}`, owned: true, status: a.status,
    state: { clusterName: a.clusterName!, name: a.addonName!, version: a.addonVersion!, ...(a.serviceAccountRoleArn ? { serviceAccountRoleArn: a.serviceAccountRoleArn } : {}),
      ...(defaultVersion ? { defaultVersion } : {}) },
    outputs: { arn: a.addonArn, version: a.addonVersion, health: (a.health?.issues ?? []).map((i) => `${i.code}: ${i.message}`).join('; '), issues: (a.health?.issues ?? []).map((i) => i.code) },
    appliedDigest: eksRecordedDigest(a.tags) };
}

/** What diff compares, as the applied-digest records it: the version (pinned, or EKS's default) and the IRSA role. */
const comparable = (version: string | undefined, p: AddonProps) => ({ version: version ?? null, serviceAccountRoleArn: p.serviceAccountRoleArn ?? null });

async function resolvedVersion(eks: EKSClient, p: AddonProps): Promise<string> {
  return p.version ?? defaultAddonVersion(eks, p.name, p.kubernetesVersion);
}

export const addonKind = defineKind<AddonProps, AddonState>({
  kind: 'eks/addon',
  readyTimeoutMs: 20 * 60_000,
  observeAfter: ['eks/cluster'],
  async observeAll(ctx, desired) {
    // Resolve EKS's defaults now (cached) so the pure diff can compare against them. They go into
    // the observed state; the desired graph is never written to.
    const defaults = new Map(await Promise.all(desired.filter((d) => !d.properties.version)
      .map(async (d) => [d.id, await defaultAddonVersion(ctx.aws.eks, d.properties.name, d.properties.kubernetesVersion)] as const)));
    // Inside every cluster of ours, named in the spec or not: a teardown must find them.
    const perCluster = await Promise.all((await clustersToScan(ctx, desired.map((d) => d.properties.clusterName))).map(async (cluster) => {
      try {
        // No batch describe: one DescribeAddon per installed add-on (four at most here).
        const names = (await ctx.aws.eks.send(new ListAddonsCommand({ clusterName: cluster }))).addons ?? [];
        const addons = await Promise.all(names.map(async (n) => (await ctx.aws.eks.send(new DescribeAddonCommand({ clusterName: cluster, addonName: n }))).addon!));
        return addons.flatMap((a) => {
          const id = ownedId(a.tags, ctx.platform);
          return id ? [toObserved(a, id, defaults.get(id))] : [];
        });
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    }));
    return perCluster.flat();
  },
  diff(desired, observed) {
    const fields = [];
    const version = desired.version ?? observed.state.defaultVersion;
    if (version && version !== observed.state.version) fields.push({ path: 'version', old: observed.state.version, new: version });
    if ((desired.serviceAccountRoleArn ?? null) !== (observed.state.serviceAccountRoleArn ?? null)) {
      fields.push({ path: 'serviceAccountRoleArn', old: observed.state.serviceAccountRoleArn ?? null, new: desired.serviceAccountRoleArn ?? null });
    }
    return withOrigins({ fields, replaces: [] }, comparable(version, desired), observed.appliedDigest);
  },
  async create(ctx, desired) {
    const p = desired.properties;
    const version = await resolvedVersion(ctx.aws.eks, p);
    const a = (await ctx.aws.eks.send(new CreateAddonCommand({ clusterName: p.clusterName, addonName: p.name, addonVersion: version,
      serviceAccountRoleArn: p.serviceAccountRoleArn, resolveConflicts: 'OVERWRITE', tags: createTags(ownershipTagMap(ctx.platform, desired.id), comparable(version, p)) }))).addon!;
    return toObserved(a, desired.id);
  },
  async update(ctx, desired, observed) {
    const p = desired.properties;
    const version = await resolvedVersion(ctx.aws.eks, p);
    await ctx.aws.eks.send(new UpdateAddonCommand({ clusterName: p.clusterName, addonName: p.name, addonVersion: version,
      serviceAccountRoleArn: p.serviceAccountRoleArn, resolveConflicts: 'OVERWRITE' }));
    await recordEksApplied(ctx.aws.eks, String(observed.outputs.arn), comparable(version, p), ctx.signal);
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      await ctx.aws.eks.send(new DeleteAddonCommand({ clusterName: observed.state.clusterName, addonName: observed.state.name }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      return toObserved((await ctx.aws.eks.send(new DescribeAddonCommand({ clusterName: observed.state.clusterName, addonName: observed.state.name }))).addon!, observed.id,
        observed.state.defaultVersion);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready(observed) {
    if (observed.status === 'ACTIVE') return true;
    // DEGRADED fails, as the AddonActive waiter does: the add-ons that need nodes (coredns) come
    // after the node groups, so a DEGRADED one (InsufficientNumberOfReplicas) has no Ready nodes
    // to run on — a node group scaled to zero or whose nodes never joined — and says so.
    const health = observed.outputs.health ? `: ${String(observed.outputs.health)}` : '';
    if (['CREATE_FAILED', 'UPDATE_FAILED', 'DEGRADED', 'DELETE_FAILED'].includes(observed.status ?? '')) {
      return { failed: `add-on ${observed.state.name} ${observed.status}${health || ': no health issues reported'}` };
    }
    return { waiting: `add-on ${observed.state.name} ${observed.status}${health}` };
  },
});
