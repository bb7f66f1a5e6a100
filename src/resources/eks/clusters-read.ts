// The account's EKS clusters, read once per run and shared: the cluster kind observes the ones
// this platform owns, and the kinds that live inside a cluster (node groups, add-ons, access
// entries) look inside every owned cluster — also once the spec no longer names it, so a
// teardown finds what must go before the cluster can.
import { DescribeClusterCommand, ListClustersCommand, type Cluster } from '@aws-sdk/client-eks';
import { isNotFound } from '../../cloud/aws-errors.js';
import { ownedId } from '../ownership.js';
import type { KindContext } from '../kind.js';

/**
 * Every cluster of the account, described. ListClusters returns names only and EKS has no batch
 * describe: one DescribeCluster per cluster (an account holds a few), shared through ctx.memo.
 */
export function accountClusters(ctx: KindContext): Promise<Cluster[]> {
  return ctx.memo('eks:clusters', async () => {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const res = await ctx.aws.eks.send(new ListClustersCommand({ nextToken }));
      names.push(...(res.clusters ?? []));
      nextToken = res.nextToken;
    } while (nextToken);
    const found = await Promise.all(names.map(async (name) => {
      try {
        return (await ctx.aws.eks.send(new DescribeClusterCommand({ name }))).cluster;
      } catch (err) {
        if (isNotFound(err)) return undefined; // deleted between the list and the describe
        throw err;
      }
    }));
    return found.filter((c): c is Cluster => c !== undefined);
  });
}

/**
 * Names of the clusters to look inside for this platform's node groups, add-ons and access
 * entries: every cluster tagged as this platform's, plus the ones the desired nodes name (their
 * objects carry their own ownership tags, which the kinds check). Kinds pass their own inputs;
 * they never read the spec.
 */
export async function clustersToScan(ctx: KindContext, named: readonly string[]): Promise<string[]> {
  const owned = (await accountClusters(ctx)).filter((c) => ownedId(c.tags, ctx.platform) !== undefined).map((c) => c.name!);
  return [...new Set([...named, ...owned])];
}
