// What the ELBv2 handlers need beyond their own state: the state of the caller's account and
// region, and lookups into other emulated services (EC2 subnets for CreateLoadBalancer, ACM
// certificates for HTTPS listeners). The lookups are seams wired by sandbox/world.ts so the
// ELBv2 emulator does not import the EC2 or ACM emulators.
import type { RequestContext } from '../../service.js';
import { ServiceError } from '../../service.js';
import type { Elbv2State } from './state.js';

export interface SubnetInfo {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
}

export interface Elbv2Hooks {
  /** A subnet of the emulated EC2 state, or undefined when it does not exist. */
  subnet?: (region: string, subnetId: string) => SubnetInfo | undefined;
  /** An ACM certificate's status (ISSUED, PENDING_VALIDATION…), or undefined when it does not exist. */
  certificateStatus?: (arn: string) => string | undefined;
  /**
   * Why traffic from load balancers with `sourceGroups` cannot reach `ip`:`port` in `vpcId` (the
   * target's security groups allow none), or undefined when it can or the target's groups are unknown.
   */
  targetBlocked?: (region: string, q: { vpcId: string; ip: string; ports: number[]; sourceGroups: string[] }) => string | undefined;
}

export interface Elbv2Deps {
  state(ctx: Pick<RequestContext, 'accountId' | 'region' | 'clock'>): Elbv2State;
  hooks: Elbv2Hooks;
}

/** The NotFound error ELBv2 returns for an ARN, chosen by the ARN's resource type. */
export function notFoundFor(arn: string): ServiceError {
  if (arn.includes(':loadbalancer/')) return new ServiceError('LoadBalancerNotFound', `Load balancer '${arn}' not found`, 400);
  if (arn.includes(':targetgroup/')) return new ServiceError('TargetGroupNotFound', `Target groups '${arn}' not found`, 400);
  if (arn.includes(':listener-rule/')) return new ServiceError('RuleNotFound', `One or more rules not found`, 400);
  if (arn.includes(':listener/')) return new ServiceError('ListenerNotFound', `One or more listeners not found`, 400);
  return new ServiceError('ValidationError', `'${arn}' is not a valid load balancer resource ARN`, 400);
}
