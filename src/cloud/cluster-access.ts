// How a run reaches the platform's cluster: the EKS cluster the spec names, through EKS token
// auth — or, once the spec no longer names one, the cluster tagged as the platform's, so that a
// teardown can still prune its Kubernetes objects (an Ingress must go before its ALB can).
import { DescribeClusterCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import type { AwsClients } from './aws.js';
import { eksKubeAccess, noKube, type KubeAccess, type KubeAccessOptions } from './kube.js';
import type { WatchedLists } from './kube-watch.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import { TAG_ID, TAG_PLATFORM } from '../resources/ownership.js';
import { CLUSTER } from '../graph/ids.js';

const cache = new WeakMap<AwsClients, Map<string, KubeAccess>>();

function accessByName(aws: AwsClients, name: string, options: KubeAccessOptions = {}): KubeAccess {
  let perClients = cache.get(aws);
  if (!perClients) cache.set(aws, (perClients = new Map()));
  const key = `${name}|${options.watch ? 'watch' : 'list'}`;
  let access = perClients.get(key);
  if (!access) {
    access = eksKubeAccess(aws, name, options);
    perClients.set(key, access);
    if (access.watched) watching.add(access.watched);
  }
  return access;
}

/** Every watched list of the process, to stop when the daemon stops (open watches keep it alive). */
const watching = new Set<WatchedLists>();

/** Close every watch of the process; the accesses list from then on. */
export function stopWatches(): void {
  for (const w of watching) w.close();
  watching.clear();
}

/** The name of the cluster tagged as this platform's cluster (logical id CLUSTER), if one exists. */
async function findOwnedCluster(aws: AwsClients, platform: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await aws.eks.send(new ListClustersCommand({ nextToken }));
    for (const name of page.clusters ?? []) {
      const tags = (await aws.eks.send(new DescribeClusterCommand({ name })).catch(() => undefined))?.cluster?.tags ?? {};
      if (tags[TAG_PLATFORM] === platform && tags[TAG_ID] === CLUSTER) return name;
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/** Access to the platform's own cluster, looked up by its tags when first needed (a few seconds' cache). */
function ownedClusterAccess(aws: AwsClients, platform: string): KubeAccess {
  let lookup: { at: number; p: Promise<KubeAccess> } | undefined;
  const resolve = () => {
    if (!lookup || Date.now() - lookup.at > 5_000) {
      const p = findOwnedCluster(aws, platform).then((name) => (name ? accessByName(aws, name) : noKube));
      lookup = { at: Date.now(), p };
      p.catch(() => { lookup = undefined; });
    }
    return lookup.p;
  };
  return {
    async available() {
      return (await resolve().catch(() => noKube)).available();
    },
    async objects() {
      return (await resolve()).objects();
    },
    invalidate() {
      void resolve().then((a) => a.invalidate?.(), () => {});
    },
  };
}

/**
 * One access per cluster per process (tokens and clients are reused until they near expiry).
 * `watch` (the daemon): the managed kinds' lists are kept current by watches (kube-watch.ts); a
 * teardown's access to a cluster found by its tags always lists.
 */
export function clusterAccessFor(spec: ResolvedSpec, aws: AwsClients, options: KubeAccessOptions = {}): KubeAccess {
  return spec.cluster ? accessByName(aws, spec.cluster.name, options) : ownedClusterAccess(aws, spec.metadata.name);
}
