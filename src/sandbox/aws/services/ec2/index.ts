// The emulated EC2 service (ec2Query, signing name ec2, API 2016-11-15): the VPC objects the
// network layer manages, with real error codes, lifecycles on the scaled clock, filters and paging.
import { queryCodec } from '../../protocol/query.js';
import type { ScaledClock } from '../../../clock.js';
import type { EmulatedService, OperationHandler } from '../../service.js';
import type { Ec2Deps } from './deps.js';
import { Ec2State } from './state.js';
import { vpcOperations } from './ops-vpcs.js';
import { subnetOperations } from './ops-subnets.js';
import { gatewayOperations } from './ops-gateways.js';
import { routeTableOperations } from './ops-route-tables.js';
import { tagOperations } from './ops-tags.js';

export class Ec2Service implements EmulatedService {
  readonly name = 'ec2';
  readonly signingName = 'ec2';
  readonly codec = queryCodec({ flavour: 'ec2', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/' });
  readonly throttle = { code: 'RequestLimitExceeded', status: 503, message: 'Request limit exceeded.' };
  readonly operations: Record<string, OperationHandler>;
  private readonly states = new Map<string, Ec2State>();

  constructor(private readonly options: { clock: ScaledClock; accountId: string }) {
    const deps: Ec2Deps = { state: (ctx) => this.state(ctx.region, ctx.accountId) };
    this.operations = {
      ...vpcOperations(deps),
      ...subnetOperations(deps),
      ...gatewayOperations(deps),
      ...routeTableOperations(deps),
      ...tagOperations(deps),
    };
  }

  /** The state of one account and region (created on first use); the sandbox's other parts read it. */
  state(region: string, accountId = this.options.accountId): Ec2State {
    const key = `${accountId}|${region}`;
    let s = this.states.get(key);
    if (!s) {
      s = new Ec2State(accountId, region, this.options.clock);
      this.states.set(key, s);
    }
    return s;
  }

  reset(): void {
    this.states.clear();
  }
}

export function createEc2Service(options: { clock: ScaledClock; accountId: string }): Ec2Service {
  return new Ec2Service(options);
}
