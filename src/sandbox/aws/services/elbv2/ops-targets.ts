// RegisterTargets, DeregisterTargets, DescribeTargetHealth. A registered target is `initial`
// until interval × healthy-threshold has passed on the scaled clock, then `healthy` (unless a
// health prober has said otherwise); deregistered targets drain for the deregistration delay.
import { isIP } from 'node:net';
import { ServiceError, type OperationHandler } from '../../service.js';
import { notFoundFor, type Elbv2Deps } from './deps.js';
import { list, num, required, str } from './input.js';
import type { Elbv2State, TargetGroup } from './state.js';

/** Default deregistration_delay.timeout_seconds of a target group. */
const DEREGISTRATION_DELAY_MS = 300_000;
/** ALB quota: targets per load balancer (counted over its target groups). */
const MAX_TARGETS_PER_LB = 1000;

export function targetOperations(deps: Elbv2Deps): Record<string, OperationHandler> {
  return {
    RegisterTargets(input, ctx) {
      const state = deps.state(ctx);
      state.sweepDraining();
      const tg = getGroup(state, input.TargetGroupArn);
      const targets = targetsOf(input.Targets, tg);
      for (const t of targets) {
        if (tg.targetType === 'ip' && !isIP(t.id)) throw new ServiceError('InvalidTarget', `The IP address '${t.id}' is not a valid IPv4 address`, 400);
        if (tg.targetType === 'instance' && !/^i-[0-9a-f]+$/.test(t.id)) throw new ServiceError('InvalidTarget', `The following targets are not valid instances: '${t.id}'`, 400);
      }
      const count = state.lbsOfTargetGroup(tg.arn).reduce((n, lb) => n + targetsOfLb(state, lb), 0);
      if (count + targets.length > MAX_TARGETS_PER_LB) throw new ServiceError('TooManyTargets', 'You have reached the limit on the number of targets', 400);
      const now = ctx.clock.now();
      for (const t of targets) {
        const existing = tg.targets.find((x) => x.id === t.id && x.port === t.port);
        if (existing && existing.drainingUntil === undefined) continue;
        if (existing) tg.targets.splice(tg.targets.indexOf(existing), 1);
        const checks = tg.healthCheck.intervalSeconds * tg.healthCheck.healthyThreshold * 1000;
        tg.targets.push({ id: t.id, port: t.port, zone: t.zone, registeredAt: now, healthyAt: ctx.clock.deadline(checks) });
      }
      state.changed();
      return {};
    },

    DeregisterTargets(input, ctx) {
      const state = deps.state(ctx);
      state.sweepDraining();
      const tg = getGroup(state, input.TargetGroupArn);
      for (const t of targetsOf(input.Targets, tg)) {
        const existing = tg.targets.find((x) => x.id === t.id && x.port === t.port);
        if (!existing) throw new ServiceError('InvalidTarget', `The target '${t.id}:${t.port}' is not registered`, 400);
        existing.drainingUntil = ctx.clock.deadline(DEREGISTRATION_DELAY_MS);
      }
      state.changed();
      state.sweepDraining();
      return {};
    },

    DescribeTargetHealth(input, ctx) {
      const state = deps.state(ctx);
      state.sweepDraining();
      const tg = getGroup(state, input.TargetGroupArn);
      const asked = list(input.Targets).length > 0 ? targetsOf(input.Targets, tg) : undefined;
      const described = asked
        ? asked.map((a) => ({ a, t: tg.targets.find((x) => x.id === a.id && x.port === a.port) }))
        : tg.targets.map((t) => ({ a: { id: t.id, port: t.port, zone: t.zone }, t }));
      return {
        TargetHealthDescriptions: described.map(({ a, t }) => ({
          Target: { Id: a.id, Port: a.port, AvailabilityZone: a.zone },
          HealthCheckPort: tg.healthCheck.port === 'traffic-port' ? String(a.port) : tg.healthCheck.port,
          TargetHealth: t ? state.targetHealth(tg, t)
            : { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
        })),
      };
    },
  };
}

function getGroup(state: Elbv2State, arnInput: unknown): TargetGroup {
  const arn = required(arnInput, 'TargetGroupArn');
  const tg = state.targetGroups.get(arn);
  if (!tg) throw notFoundFor(arn);
  return tg;
}

function targetsOf(v: unknown, tg: TargetGroup): { id: string; port: number; zone?: string }[] {
  const raws = list<Record<string, any>>(v);
  if (raws.length === 0) throw new ServiceError('ValidationError', 'At least one target must be specified', 400);
  return raws.map((r) => {
    const port = num(r.Port, 'Port') ?? tg.port;
    if (port < 1 || port > 65535) throw new ServiceError('ValidationError', `1 validation error detected: Value '${port}' at 'targets.member.port' failed to satisfy constraint: Member must have value between 1 and 65535`, 400);
    return { id: required(r.Id, 'Id'), port, zone: str(r.AvailabilityZone) };
  });
}

function targetsOfLb(state: Elbv2State, lbArn: string): number {
  let n = 0;
  for (const g of state.targetGroups.values()) if (state.lbsOfTargetGroup(g.arn).includes(lbArn)) n += g.targets.length;
  return n;
}
