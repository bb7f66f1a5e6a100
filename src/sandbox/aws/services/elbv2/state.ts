// ELBv2 state for one account and region: load balancers, listeners, rules, target groups,
// registered targets and tags, kept as plain records. Lifecycles (provisioning → active, target
// initial → healthy) are deadlines on the scaled clock, evaluated when read, so nothing needs a
// timer to advance. Every mutation bumps a version and notifies subscribers (the ALB view).
import { randomBytes } from 'node:crypto';
import type { ScaledClock } from '../../../clock.js';

/** Emulated durations in real-AWS terms (aws-lifecycles-and-errors.md §6). */
export const LB_PROVISIONING_MS = 3 * 60_000;

export interface LoadBalancer {
  arn: string;
  name: string;
  scheme: 'internet-facing' | 'internal';
  type: 'application';
  ipAddressType: string;
  vpcId: string;
  subnets: { subnetId: string; zone: string }[];
  securityGroups: string[];
  dnsName: string;
  canonicalHostedZoneId: string;
  createdAt: Date;
  activeAt: number;
  /** The create call's settings, for the "identical settings → same LB" idempotency rule. */
  createKey: string;
}

export interface Certificate {
  CertificateArn: string;
  IsDefault?: boolean;
}

/** One action in wire shape (Type, TargetGroupArn, ForwardConfig, FixedResponseConfig, Order…). */
export type Action = Record<string, any> & { Type: string };
/** One condition in wire shape (Field, Values, PathPatternConfig…). */
export type Condition = Record<string, any> & { Field: string };

export interface Listener {
  arn: string;
  lbArn: string;
  port: number;
  protocol: string;
  sslPolicy?: string;
  certificates: Certificate[];
  defaultActions: Action[];
  alpnPolicy?: string[];
}

export interface Rule {
  arn: string;
  listenerArn: string;
  /** 1..50000; the default rule is kept on the listener, not here. */
  priority: number;
  conditions: Condition[];
  actions: Action[];
}

export interface HealthCheck {
  enabled: boolean;
  protocol: string;
  port: string;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: { HttpCode?: string; GrpcCode?: string };
}

export interface Target {
  id: string;
  port: number;
  zone?: string;
  registeredAt: number;
  /** Deadline after which the initial health checks have passed. */
  healthyAt: number;
  /** Set by a health prober (the data path) to override the timed lifecycle. */
  override?: { State: string; Reason?: string; Description?: string };
  /** Deregistration in progress: reported as draining until this deadline, then removed. */
  drainingUntil?: number;
}

export interface TargetGroup {
  arn: string;
  name: string;
  protocol: string;
  protocolVersion: string;
  port: number;
  vpcId: string;
  targetType: string;
  ipAddressType: string;
  healthCheck: HealthCheck;
  targets: Target[];
  createKey: string;
}

export class Elbv2State {
  readonly loadBalancers = new Map<string, LoadBalancer>();
  readonly listeners = new Map<string, Listener>();
  readonly rules = new Map<string, Rule>();
  readonly targetGroups = new Map<string, TargetGroup>();
  /** Tags by resource ARN, in insertion order (DescribeTags returns them so). */
  readonly tags = new Map<string, Map<string, string>>();
  private readonly subscribers = new Set<() => void>();
  version = 0;
  /**
   * Why the load balancers using a target group cannot reach a target (its security groups allow
   * no such traffic), or undefined when they can. Elbv2Service fills it from its hooks.
   */
  unreachable?: (tg: TargetGroup, target: Target, lbs: LoadBalancer[]) => string | undefined;

  constructor(
    readonly accountId: string,
    readonly region: string,
    readonly clock: ScaledClock,
  ) {}

  /** Record a mutation and tell subscribers (synchronously; they must not throw). */
  changed(): void {
    this.version++;
    for (const s of [...this.subscribers]) {
      try {
        s();
      } catch {
        // NOTE(subscribers): a broken subscriber must not turn an API call into a 500.
      }
    }
  }

  subscribe(listener: () => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  arn(resource: string): string {
    return `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:${resource}`;
  }

  /** Lifecycle state of a load balancer now. */
  lbState(lb: LoadBalancer): 'provisioning' | 'active' {
    return this.clock.passed(lb.activeAt) ? 'active' : 'provisioning';
  }

  /** Rules of a listener sorted by priority (default rule excluded). */
  rulesOf(listenerArn: string): Rule[] {
    return [...(this.indexed().rulesByListener.get(listenerArn) ?? [])];
  }

  listenersOf(lbArn: string): Listener[] {
    return [...(this.indexed().listenersByLb.get(lbArn) ?? [])];
  }

  /** Non-default rules across every listener of a load balancer (the 100-rule quota counts these). */
  ruleCountOf(lbArn: string): number {
    let n = 0;
    for (const l of this.indexed().listenersByLb.get(lbArn) ?? []) n += this.indexed().rulesByListener.get(l.arn)?.length ?? 0;
    return n;
  }

  /** Target group ARNs an action list forwards to (TargetGroupArn or ForwardConfig). */
  static forwardedGroups(actions: Action[]): string[] {
    const out: string[] = [];
    for (const a of actions) {
      if (a.Type !== 'forward') continue;
      if (typeof a.TargetGroupArn === 'string' && a.TargetGroupArn) out.push(a.TargetGroupArn);
      for (const tg of a.ForwardConfig?.TargetGroups ?? []) if (tg?.TargetGroupArn) out.push(tg.TargetGroupArn);
    }
    return [...new Set(out)];
  }

  /** Load balancers whose listeners or rules forward to a target group. */
  lbsOfTargetGroup(tgArn: string): string[] {
    return [...(this.indexed().lbsByTargetGroup.get(tgArn) ?? [])];
  }

  /**
   * NOTE(index): listeners, rules and target-group users are looked up in loops (every target's
   * health, every DescribeTargetGroups member), so they are indexed once per state version. Every
   * mutation of a listener or rule ends in changed(), which bumps the version; handlers read before
   * they mutate, so an index built inside a handler describes the state its checks are about.
   */
  private index?: { version: number; rulesByListener: Map<string, Rule[]>; listenersByLb: Map<string, Listener[]>; lbsByTargetGroup: Map<string, Set<string>> };

  private indexed(): NonNullable<Elbv2State['index']> {
    if (this.index?.version === this.version) return this.index;
    const rulesByListener = new Map<string, Rule[]>();
    for (const r of this.rules.values()) {
      const list = rulesByListener.get(r.listenerArn);
      if (list) list.push(r);
      else rulesByListener.set(r.listenerArn, [r]);
    }
    for (const list of rulesByListener.values()) list.sort((a, b) => a.priority - b.priority);
    const listenersByLb = new Map<string, Listener[]>();
    const lbsByTargetGroup = new Map<string, Set<string>>();
    const use = (tgArn: string, lbArn: string) => {
      const lbs = lbsByTargetGroup.get(tgArn);
      if (lbs) lbs.add(lbArn);
      else lbsByTargetGroup.set(tgArn, new Set([lbArn]));
    };
    for (const l of this.listeners.values()) {
      const list = listenersByLb.get(l.lbArn);
      if (list) list.push(l);
      else listenersByLb.set(l.lbArn, [l]);
      for (const tgArn of Elbv2State.forwardedGroups(l.defaultActions)) use(tgArn, l.lbArn);
    }
    for (const list of listenersByLb.values()) list.sort((a, b) => a.port - b.port);
    for (const r of this.rules.values()) {
      const l = this.listeners.get(r.listenerArn);
      if (l) for (const tgArn of Elbv2State.forwardedGroups(r.actions)) use(tgArn, l.lbArn);
    }
    this.index = { version: this.version, rulesByListener, listenersByLb, lbsByTargetGroup };
    return this.index;
  }

  /** Health of a registered target now, as DescribeTargetHealth reports it. */
  targetHealth(tg: TargetGroup, target: Target): { State: string; Reason?: string; Description?: string } {
    if (target.drainingUntil !== undefined) {
      return { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' };
    }
    if (this.lbsOfTargetGroup(tg.arn).length === 0) {
      return { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' };
    }
    if (target.override) return target.override;
    if (!this.clock.passed(target.healthyAt)) {
      return { State: 'initial', Reason: 'Elb.InitialHealthChecking', Description: 'Initial health checks in progress' };
    }
    // Health checks the target's security groups drop never get an answer: Target.Timeout
    // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html#target-health-reason-codes).
    const lbs = this.lbsOfTargetGroup(tg.arn).flatMap((arn) => this.loadBalancers.get(arn) ?? []);
    const why = this.unreachable?.(tg, target, lbs);
    if (why) return { State: 'unhealthy', Reason: 'Target.Timeout', Description: `Request timed out (sandbox: ${why})` };
    return { State: 'healthy' };
  }

  /** Drop targets whose deregistration delay has passed (called before reads). */
  sweepDraining(): void {
    let swept = false;
    for (const tg of this.targetGroups.values()) {
      const keep = tg.targets.filter((t) => t.drainingUntil === undefined || !this.clock.passed(t.drainingUntil));
      if (keep.length !== tg.targets.length) {
        tg.targets = keep;
        swept = true;
      }
    }
    if (swept) this.changed();
  }

  clear(): void {
    this.loadBalancers.clear();
    this.listeners.clear();
    this.rules.clear();
    this.targetGroups.clear();
    this.tags.clear();
    this.changed();
  }
}

/** 16 hex characters, the id tail of ELBv2 ARNs. */
export function hexId(): string {
  return randomBytes(8).toString('hex');
}

/** The digits ELB appends to DNS names (`my-alb-1234567890.region.elb.amazonaws.com`). */
export function dnsSuffix(): string {
  return String(1_000_000_000 + (randomBytes(4).readUInt32BE(0) % 999_999_999));
}
