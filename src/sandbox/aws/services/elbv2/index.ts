// The emulated Elastic Load Balancing v2 service (awsQuery, signing name elasticloadbalancing,
// API 2015-12-01): application load balancers, listeners, rules, target groups, targets, tags.
// Besides the wire API it offers the sandbox three in-process doors: view() for the ALB data
// path, invoke() for the emulated load balancer controller (same handlers and errors as the
// wire, but not recorded in the call log, which belongs to platformd's own calls), and
// setTargetHealth() for a health prober.
import { queryCodec } from '../../protocol/query.js';
import type { ScaledClock } from '../../../clock.js';
import type { AlbViewSource } from '../../../alb-view.js';
import { ServiceError, type EmulatedService, type OperationHandler, type RequestContext } from '../../service.js';
import type { Elbv2Deps, Elbv2Hooks } from './deps.js';
import { loadBalancerOperations } from './ops-load-balancers.js';
import { listenerOperations } from './ops-listeners.js';
import { ruleOperations } from './ops-rules.js';
import { targetGroupOperations } from './ops-target-groups.js';
import { targetOperations } from './ops-targets.js';
import { tagOperations } from './ops-tags.js';
import { Elbv2State } from './state.js';
import { albViewSource } from './view.js';

const ELBV2_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

export interface Elbv2ServiceOptions {
  clock: ScaledClock;
  accountId: string;
  hooks?: Elbv2Hooks;
}

export class Elbv2Service implements EmulatedService {
  readonly name = 'elbv2';
  readonly signingName = 'elasticloadbalancing';
  readonly codec = queryCodec({ flavour: 'aws', xmlns: ELBV2_XMLNS });
  readonly throttle = { code: 'Throttling', status: 400, message: 'Rate exceeded' };
  readonly operations: Record<string, OperationHandler>;
  /** Lookups into other emulated services; sandbox/world.ts fills them. */
  readonly hooks: Elbv2Hooks;
  private readonly states = new Map<string, Elbv2State>();

  constructor(private readonly options: Elbv2ServiceOptions) {
    this.hooks = options.hooks ?? {};
    const deps: Elbv2Deps = { state: (ctx) => this.state(ctx.region, ctx.accountId), hooks: this.hooks };
    this.operations = {
      ...loadBalancerOperations(deps),
      ...listenerOperations(deps),
      ...ruleOperations(deps),
      ...targetGroupOperations(deps),
      ...targetOperations(deps),
      ...tagOperations(deps),
    };
  }

  /** The state of one account and region (created on first use). */
  state(region: string, accountId = this.options.accountId): Elbv2State {
    const key = `${accountId}|${region}`;
    let s = this.states.get(key);
    if (!s) {
      s = new Elbv2State(accountId, region, this.options.clock);
      s.unreachable = (tg, t, lbs) => {
        const hcPort = Number(tg.healthCheck.port);
        const ports = [t.port, ...(Number.isInteger(hcPort) && hcPort !== t.port ? [hcPort] : [])];
        return this.hooks.targetBlocked?.(region, { vpcId: tg.vpcId, ip: t.id, ports, sourceGroups: [...new Set(lbs.flatMap((lb) => lb.securityGroups))] });
      };
      this.states.set(key, s);
    }
    return s;
  }

  /** Read-only view of a region's load balancers for the data path (AlbViewSource). */
  view(region: string, accountId = this.options.accountId): AlbViewSource {
    return albViewSource(this.state(region, accountId));
  }

  /**
   * Call an operation in-process with an SDK-shaped input (numbers, arrays). Throws the same
   * ServiceError the wire would carry. Used by the emulated load balancer controller.
   */
  async invoke<T = any>(operation: string, input: Record<string, unknown>, region: string, accountId = this.options.accountId): Promise<T> {
    const handler = this.operations[operation];
    if (!handler) throw new ServiceError('InvalidAction', `The action ${operation} is not valid for this web service.`, 400);
    const ctx: RequestContext = {
      requestId: 'in-process',
      accountId,
      region,
      accessKeyId: 'in-process',
      clock: this.options.clock,
      host: 'in-process',
    };
    return (await handler(input, ctx)) as T;
  }

  /**
   * Override the health a prober observed for a registered target (state healthy/unhealthy
   * with an ELB reason); `undefined` returns the target to the timed lifecycle.
   */
  setTargetHealth(region: string, tgArn: string, ip: string, port: number, health: { state: string; reason?: string; description?: string } | undefined): void {
    const state = this.state(region);
    const target = state.targetGroups.get(tgArn)?.targets.find((t) => t.id === ip && t.port === port);
    if (!target) return;
    const next = health ? { State: health.state, Reason: health.reason, Description: health.description } : undefined;
    if (JSON.stringify(next) === JSON.stringify(target.override)) return;
    target.override = next;
    state.changed();
  }

  reset(): void {
    for (const s of this.states.values()) s.clear();
  }
}

/** Create the service; register it with AwsEmulator.register(). */
export function createElbv2Service(options: Elbv2ServiceOptions): Elbv2Service {
  return new Elbv2Service(options);
}
