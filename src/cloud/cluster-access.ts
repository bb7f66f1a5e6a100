// How a run reaches the platform's cluster: the EKS cluster the spec names, through EKS token auth.
import type { AwsClients } from './aws.js';
import { eksKubeAccess, noKube, type KubeAccess } from './kube.js';
import type { PlatformSpec } from '../spec/types.js';

const cache = new WeakMap<AwsClients, Map<string, KubeAccess>>();

/** One access per cluster per process (tokens and clients are reused until they near expiry). */
export function clusterAccessFor(spec: PlatformSpec, aws: AwsClients): KubeAccess {
  if (!spec.cluster) return noKube;
  let perClients = cache.get(aws);
  if (!perClients) cache.set(aws, (perClients = new Map()));
  let access = perClients.get(spec.cluster.name);
  if (!access) {
    access = eksKubeAccess(aws, spec.cluster.name);
    perClients.set(spec.cluster.name, access);
  }
  return access;
}
