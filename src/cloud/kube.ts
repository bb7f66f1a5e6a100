// Access to the platform's Kubernetes cluster. Implemented by the kube layer (EKS token auth,
// endpoint and CA from DescribeCluster); kinds receive it through KindContext and build clients
// lazily, because the cluster may not exist yet when a reconcile starts.
import type { KubernetesObjectApi } from '@kubernetes/client-node';

export interface KubeAccess {
  /** A generic object client for the cluster; throws PLATFORMD_KUBE_AUTH when unreachable. */
  objects(): Promise<KubernetesObjectApi>;
  /** Whether the cluster can be reached at all (it exists and is ACTIVE). */
  available(): Promise<boolean>;
}

/** A KubeAccess for runs that never reach a cluster (network-only plans). */
export const noKube: KubeAccess = {
  async objects() {
    throw new Error('no Kubernetes cluster is configured for this run');
  },
  async available() {
    return false;
  },
};
