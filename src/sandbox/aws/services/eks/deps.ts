// What EKS handlers get: their state and lookups into the other emulated services.
import type { RequestContext } from '../../service.js';
import type { EksState } from './state.js';

export interface EksHooks {
  /** Whether an IAM role exists (CreateCluster/CreateNodegroup validate their roles). */
  roleExists?: (accountId: string, roleArn: string) => boolean;
  /** Zones (and VPC) of existing subnets; missing ids are left out. */
  subnetZones?: (region: string, subnetIds: string[]) => { subnetId: string; zone: string; vpcId: string }[];
}

export interface EksDeps {
  state(ctx: RequestContext): EksState;
  hooks: EksHooks;
}
