// How a run reaches the platform's cluster. Until the EKS-token access lands this is a hook
// returning no cluster; the kube layer replaces it.
import type { AwsClients } from './aws.js';
import { noKube, type KubeAccess } from './kube.js';
import type { PlatformSpec } from '../spec/types.js';

export function clusterAccessFor(_spec: PlatformSpec, _aws: AwsClients): KubeAccess {
  return noKube;
}
