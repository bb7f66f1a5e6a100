// eks/access-entry: cluster-admin for each admin the spec lists (an access entry plus
// AmazonEKSClusterAdminPolicy at cluster scope), so "created it in the console, now my machine
// cannot reach it" cannot happen.
import {
  AssociateAccessPolicyCommand, CreateAccessEntryCommand, DeleteAccessEntryCommand, DescribeAccessEntryCommand, ListAccessEntriesCommand, ListAssociatedAccessPoliciesCommand,
  type EKSClient,
} from '@aws-sdk/client-eks';
import { errorName, isNotFound } from '../../cloud/aws-errors.js';
import { ownedId, ownershipTagMap } from '../ownership.js';
import { defineKind, type Observed } from '../kind.js';
import { clustersToScan } from './clusters-read.js';

export const CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

export interface AccessEntryProps {
  clusterName: string;
  principalArn: string;
  policyArns: string[];
}

async function describe(eks: EKSClient, platform: string, cluster: string, principal: string): Promise<Observed<AccessEntryProps> | undefined> {
  const e = (await eks.send(new DescribeAccessEntryCommand({ clusterName: cluster, principalArn: principal }))).accessEntry!;
  const id = ownedId(e.tags, platform);
  if (!id) return undefined;
  const policies = (await eks.send(new ListAssociatedAccessPoliciesCommand({ clusterName: cluster, principalArn: principal }))).associatedAccessPolicies ?? [];
  return { id, kind: accessEntryKind.kind, physicalId: `${cluster}/${principal}`, owned: true, status: 'ACTIVE',
    state: { clusterName: cluster, principalArn: principal, policyArns: policies.map((p) => p.policyArn!).sort() }, outputs: { arn: e.accessEntryArn } };
}

export const accessEntryKind = defineKind<AccessEntryProps, AccessEntryProps>({
  kind: 'eks/access-entry',
  observeAfter: ['eks/cluster'],
  async observeAll(ctx, desired) {
    // Inside every cluster of ours, named in the spec or not: a teardown must find them.
    const perCluster = await Promise.all((await clustersToScan(ctx, desired.map((d) => d.properties.clusterName))).map(async (cluster) => {
      try {
        // Entries are listed by principal only; their tags (ownership) need one describe each.
        const principals = (await ctx.aws.eks.send(new ListAccessEntriesCommand({ clusterName: cluster }))).accessEntries ?? [];
        const found = await Promise.all(principals.map((p) => describe(ctx.aws.eks, ctx.platform, cluster, p)));
        return found.filter((x): x is Observed<AccessEntryProps> => x !== undefined);
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    }));
    return perCluster.flat();
  },
  diff(desired, observed) {
    const want = [...desired.policyArns].sort();
    const missing = want.filter((p) => !observed.state.policyArns.includes(p));
    return { fields: missing.length ? [{ path: 'policyArns', old: observed.state.policyArns, new: want }] : [], replaces: [] };
  },
  async create(ctx, desired) {
    const p = desired.properties;
    try {
      await ctx.aws.eks.send(new CreateAccessEntryCommand({ clusterName: p.clusterName, principalArn: p.principalArn, type: 'STANDARD', tags: ownershipTagMap(ctx.platform, desired.id) }));
    } catch (err) {
      // A re-run after a crash finds its own entry; anyone else's entry for the principal is an error.
      if (errorName(err) !== 'ResourceInUseException' || !(await describe(ctx.aws.eks, ctx.platform, p.clusterName, p.principalArn))) throw err;
    }
    for (const policyArn of p.policyArns) {
      await ctx.aws.eks.send(new AssociateAccessPolicyCommand({ clusterName: p.clusterName, principalArn: p.principalArn, policyArn, accessScope: { type: 'cluster' } }));
    }
    return (await describe(ctx.aws.eks, ctx.platform, p.clusterName, p.principalArn))!;
  },
  async update(ctx, desired, observed) {
    const p = desired.properties;
    for (const policyArn of p.policyArns.filter((x) => !observed.state.policyArns.includes(x))) {
      await ctx.aws.eks.send(new AssociateAccessPolicyCommand({ clusterName: p.clusterName, principalArn: p.principalArn, policyArn, accessScope: { type: 'cluster' } }));
    }
    return (await this.refresh(ctx, observed))!;
  },
  async delete(ctx, observed) {
    try {
      await ctx.aws.eks.send(new DeleteAccessEntryCommand({ clusterName: observed.state.clusterName, principalArn: observed.state.principalArn }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
  async refresh(ctx, observed) {
    try {
      return await describe(ctx.aws.eks, ctx.platform, observed.state.clusterName, observed.state.principalArn);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  ready: () => true,
});
