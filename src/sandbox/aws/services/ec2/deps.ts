// What EC2 operation handlers get: the state of the caller's account and region.
import type { RequestContext } from '../../service.js';
import type { Ec2State } from './state.js';

export interface Ec2Deps {
  state(ctx: RequestContext): Ec2State;
}
