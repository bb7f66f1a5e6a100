// One DescribeCluster per cluster name per run, shared by whoever needs the cluster in that run:
// the eks/cluster kind (its state and ownership) and the Kubernetes access (endpoint, CA, whether
// it is reachable). Per run, not per few seconds, so the count does not depend on timing.
import { DescribeClusterCommand, type Cluster } from '@aws-sdk/client-eks';
import type { AwsClients } from './aws.js';
import { isNotFound } from './aws-errors.js';

/** A run's shared reads (KindContext.memo). */
export type RunMemo = <T>(key: string, read: () => Promise<T>) => Promise<T>;

/** The cluster of that name, or undefined when EKS has none (ResourceNotFoundException); once per run. */
export function describeClusterOnce(aws: AwsClients, memo: RunMemo, name: string): Promise<Cluster | undefined> {
  return memo(`eks:cluster:${name}`, async () => {
    try {
      return (await aws.eks.send(new DescribeClusterCommand({ name }))).cluster;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  });
}
