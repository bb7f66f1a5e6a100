// The emulated EC2 service (ec2Query, signing name ec2, API 2016-11-15): the VPC objects the
// network layer manages, with real error codes, lifecycles on the scaled clock, filters and paging.
import { queryCodec } from '../../protocol/query.js';
import type { ScaledClock } from '../../../clock.js';
import { ServiceError, type EmulatedService, type OperationHandler, type RequestContext } from '../../service.js';
import type { Ec2Deps, Ec2Hooks } from './deps.js';
import { Ec2State, newId } from './state.js';
import { vpcOperations } from './ops-vpcs.js';
import { subnetOperations } from './ops-subnets.js';
import { gatewayOperations } from './ops-gateways.js';
import { routeTableOperations } from './ops-route-tables.js';
import { tagOperations } from './ops-tags.js';
import { securityGroupOperations } from './ops-security-groups.js';
import { networkInterfaceOperations } from './ops-network-interfaces.js';

export class Ec2Service implements EmulatedService {
  readonly name = 'ec2';
  readonly signingName = 'ec2';
  readonly codec = queryCodec({ flavour: 'ec2', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/' });
  readonly throttle = { code: 'RequestLimitExceeded', status: 503, message: 'Request limit exceeded.' };
  readonly operations: Record<string, OperationHandler>;
  /** Lookups into other emulated services; their connect files fill them. */
  readonly hooks: Ec2Hooks = {};
  private readonly states = new Map<string, Ec2State>();

  constructor(private readonly options: { clock: ScaledClock; accountId: string }) {
    const deps: Ec2Deps = { state: (ctx) => this.state(ctx.region, ctx.accountId), hooks: this.hooks, syncServiceGroups: (s) => this.syncServiceGroups(s) };
    this.operations = {
      ...vpcOperations(deps),
      ...subnetOperations(deps),
      ...gatewayOperations(deps),
      ...routeTableOperations(deps),
      ...tagOperations(deps),
      ...securityGroupOperations(deps),
      ...networkInterfaceOperations(deps),
    };
  }

  /**
   * Security groups another service owns (the EKS cluster security group, created with the
   * cluster and deleted with it: https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html)
   * appear and disappear with their owner. Its default rule lets members reach each other.
   */
  syncServiceGroups(s: Ec2State): void {
    const wanted = this.hooks.serviceSecurityGroups?.(s.region);
    if (!wanted) return;
    for (const w of wanted) {
      if (s.securityGroups.has(w.groupId)) continue;
      s.securityGroups.set(w.groupId, {
        groupId: w.groupId, groupName: w.groupName, description: w.description, vpcId: w.vpcId, ownerId: s.accountId, managedBy: w.managedBy,
        ingress: [{ ruleId: newId('sgr'), protocol: '-1', fromPort: -1, toPort: -1, source: { groupId: w.groupId } }],
        egress: [{ ruleId: newId('sgr'), protocol: '-1', fromPort: -1, toPort: -1, source: { cidrIpv4: '0.0.0.0/0' } }],
        tags: new Map(Object.entries(w.tags)),
      });
    }
    for (const [id, g] of s.securityGroups) {
      if (!g.managedBy || wanted.some((w) => w.groupId === id)) continue;
      s.securityGroups.delete(id);
      // Rules elsewhere that named it stay as references to a deleted group would on AWS; drop them here.
      for (const o of s.securityGroups.values()) o.ingress = o.ingress.filter((r) => !('groupId' in r.source) || r.source.groupId !== id);
    }
  }

  /**
   * Call an operation in-process with a wire-shaped input (the query names: `TagSpecification`,
   * `Filter`, `IpPermissions[].Groups`), as the emulated load balancer controller does; throws the
   * ServiceError the wire would carry. Not recorded in the call log (platformd's calls only).
   */
  async invoke<T = any>(operation: string, input: Record<string, unknown>, region: string, accountId = this.options.accountId): Promise<T> {
    const handler = this.operations[operation];
    if (!handler) throw new ServiceError('InvalidAction', `The action ${operation} is not valid for this web service.`, 400);
    const ctx: RequestContext = { requestId: 'in-process', accountId, region, accessKeyId: 'in-process', clock: this.options.clock, host: 'in-process' };
    return (await handler(input, ctx)) as T;
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
