// Checks ALB makes when a listener or rule starts forwarding to target groups: same VPC as the
// load balancer, a target group serves one load balancer only, and a GRPC target group needs an
// HTTPS listener (gRPC rides HTTP/2 over TLS from client to ALB — alb-grpc.md §5).
import { ServiceError } from '../../service.js';
import { Elbv2State, type Action } from './state.js';

/** Throws the error ALB returns when `actions` cannot be used on a listener of `lbArn`. */
export function checkForwardTargets(state: Elbv2State, lbArn: string, listenerProtocol: string, actions: Action[]): void {
  const lb = state.loadBalancers.get(lbArn);
  for (const tgArn of Elbv2State.forwardedGroups(actions)) {
    const tg = state.targetGroups.get(tgArn);
    if (!tg) throw new ServiceError('TargetGroupNotFound', `Target group '${tgArn}' not found`, 400);
    if (lb && tg.vpcId !== lb.vpcId) {
      throw new ServiceError('InvalidConfigurationRequest', `Target group '${tgArn}' is in VPC '${tg.vpcId}', not in the load balancer's VPC '${lb.vpcId}'`, 400);
    }
    const others = state.lbsOfTargetGroup(tgArn).filter((a) => a !== lbArn);
    if (others.length > 0) {
      throw new ServiceError('TargetGroupAssociationLimit', `The following target groups cannot be associated with more than one load balancer: ${tgArn}`, 400);
    }
    if (tg.protocolVersion === 'GRPC' && listenerProtocol !== 'HTTPS') {
      throw new ServiceError('UnsupportedProtocol', `Listener protocol '${listenerProtocol}' is not supported with a target group with the protocol-version 'GRPC'`, 400);
    }
  }
}
