// The account's EKS clusters, read once per run and shared: the cluster kind observes the ones
// this platform owns, and the kinds that live inside a cluster (node groups, add-ons, access
// entries) look inside every owned cluster — also once the spec no longer names it, so a
// teardown finds what must go before the cluster can.
import { ListClustersCommand, type Cluster } from '@aws-sdk/client-eks';
import { describeClusterOnce } from '../../cloud/eks-cluster-read.js';
import { ownedId } from '../ownership.js';
import type { KindContext } from '../kind.js';

/**
 * The clusters this run looks at, described, shared through ctx.memo (the first caller's names
 * decide; the eks/cluster kind observes first). When the desired cluster exists and is ours, only
 * it: one DescribeCluster by name, whatever else the account holds. Otherwise (nothing named — a
 * teardown —, the named one not created yet or not ours, or renamed) every cluster of the account:
 * ListClusters returns names only and EKS has no batch describe, so one DescribeCluster each.
 */
export function accountClusters(ctx: KindContext, named: readonly string[] = []): Promise<Cluster[]> {
  return ctx.memo('eks:clusters', async () => {
    const namedClusters = await Promise.all(named.map((name) => describeClusterOnce(ctx.aws, ctx.memo, name)));
    if (named.length > 0 && namedClusters.every((c) => c !== undefined && ownedId(c.tags, ctx.platform) !== undefined)) {
      return namedClusters.filter((c): c is Cluster => c !== undefined);
    }
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const res = await ctx.aws.eks.send(new ListClustersCommand({ nextToken }));
      names.push(...(res.clusters ?? []));
      nextToken = res.nextToken;
    } while (nextToken);
    // describeClusterOnce: the named ones are not described twice; a cluster deleted between the
    // list and the describe is undefined.
    const found = await Promise.all(names.map((name) => describeClusterOnce(ctx.aws, ctx.memo, name)));
    return found.filter((c): c is Cluster => c !== undefined);
  });
}

/**
 * Names of the clusters to look inside for this platform's node groups, add-ons and access
 * entries: every cluster tagged as this platform's, plus the ones the desired nodes name (their
 * objects carry their own ownership tags, which the kinds check). Kinds pass their own inputs;
 * they never read the spec.
 */
export async function clustersToScan(ctx: KindContext, named: readonly unknown[]): Promise<string[]> {
  // A desired node's cluster name is an output reference until the cluster exists: only plain
  // names are names (a reference once made a call per kind for a cluster called "[object Object]").
  const names = named.filter((n): n is string => typeof n === 'string');
  const owned = (await accountClusters(ctx, names)).filter((c) => ownedId(c.tags, ctx.platform) !== undefined).map((c) => c.name!);
  return [...new Set([...names, ...owned])];
}
