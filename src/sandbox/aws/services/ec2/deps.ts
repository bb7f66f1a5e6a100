// What EC2 operation handlers get: the state of the caller's account and region, and lookups into
// other emulated services (seams wired by their connect files, so EC2 imports none of them).
import type { RequestContext } from '../../service.js';
import type { Ec2State } from './state.js';

/** A security group another service creates and deletes on its own (the EKS cluster security group). */
export interface ServiceSecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  tags: Record<string, string>;
  /** Who owns it (e.g. `eks:<cluster>`): it disappears from EC2 when that owner no longer lists it. */
  managedBy: string;
}

export interface Ec2Hooks {
  /** The ARN of what a security group is attached to (a load balancer), or undefined. */
  securityGroupUser?: (region: string, groupId: string) => string | undefined;
  /** Security groups other services keep in a region right now. */
  serviceSecurityGroups?: (region: string) => ServiceSecurityGroup[];
}

export interface Ec2Deps {
  state(ctx: RequestContext): Ec2State;
  hooks: Ec2Hooks;
  /** Bring the service-managed security groups of a state up to date (before any security group call). */
  syncServiceGroups?: (state: Ec2State) => void;
}
