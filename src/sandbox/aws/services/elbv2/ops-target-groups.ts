// CreateTargetGroup, ModifyTargetGroup, DeleteTargetGroup, DescribeTargetGroups. Health-check
// defaults follow the API: path `/` and HttpCode 200 for HTTP1/HTTP2, `/AWS.ALB/healthcheck`
// and GrpcCode 12 for GRPC (alb-grpc.md §2, §5). Deleting a group still used by a listener or
// rule fails with ResourceInUse.
import { ServiceError, type OperationHandler } from '../../service.js';
import { notFoundFor, type Elbv2Deps } from './deps.js';
import { bool, list, num, page, required, str, tagsInput, validation } from './input.js';
import { hexId, type HealthCheck, type TargetGroup } from './state.js';
import { wireTargetGroup } from './wire.js';

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

export function targetGroupOperations(deps: Elbv2Deps): Record<string, OperationHandler> {
  return {
    CreateTargetGroup(input, ctx) {
      const state = deps.state(ctx);
      const name = required(input.Name, 'Name');
      if (!NAME.test(name)) throw validation(`Target group name '${name}' must have at most 32 alphanumeric characters or hyphens, and must not begin or end with a hyphen`);
      const targetType = str(input.TargetType) ?? 'instance';
      if (!['instance', 'ip', 'lambda', 'alb'].includes(targetType)) throw validation(`Target type '${targetType}' is not valid`);
      if (targetType === 'lambda') throw validation('Lambda target groups are not supported by this emulator');
      const protocol = required(input.Protocol, 'Protocol');
      if (protocol !== 'HTTP' && protocol !== 'HTTPS') throw new ServiceError('UnsupportedProtocol', `Protocol '${protocol}' is not supported for application load balancer target groups`, 400);
      const protocolVersion = str(input.ProtocolVersion) ?? 'HTTP1';
      if (!['HTTP1', 'HTTP2', 'GRPC'].includes(protocolVersion)) throw validation(`Protocol version '${protocolVersion}' is not valid`);
      const port = num(input.Port, 'Port');
      if (port === undefined || port < 1 || port > 65535) throw validation('A port between 1 and 65535 must be specified');
      const vpcId = required(input.VpcId, 'VpcId');
      const healthCheck = healthCheckOf(input, protocol, protocolVersion);
      const ipAddressType = str(input.IpAddressType) ?? 'ipv4';
      const createKey = JSON.stringify([protocol, protocolVersion, port, vpcId, targetType, healthCheck, ipAddressType]);
      const existing = [...state.targetGroups.values()].find((tg) => tg.name === name);
      if (existing) {
        // Identical settings return the existing group (CreateTargetGroup is idempotent by name).
        if (existing.createKey !== createKey) throw new ServiceError('DuplicateTargetGroupName', `A target group with the same name '${name}' exists, but with different settings`, 400);
        return { TargetGroups: [wireTargetGroup(state, existing)] };
      }
      const tg: TargetGroup = {
        arn: state.arn(`targetgroup/${name}/${hexId()}`),
        name,
        protocol,
        protocolVersion,
        port,
        vpcId,
        targetType,
        ipAddressType,
        healthCheck,
        targets: [],
        createKey,
      };
      state.targetGroups.set(tg.arn, tg);
      state.tags.set(tg.arn, new Map(tagsInput(input.Tags)));
      state.changed();
      return { TargetGroups: [wireTargetGroup(state, tg)] };
    },

    ModifyTargetGroup(input, ctx) {
      const state = deps.state(ctx);
      const arn = required(input.TargetGroupArn, 'TargetGroupArn');
      const tg = state.targetGroups.get(arn);
      if (!tg) throw notFoundFor(arn);
      tg.healthCheck = healthCheckOf(input, tg.protocol, tg.protocolVersion, tg.healthCheck);
      state.changed();
      return { TargetGroups: [wireTargetGroup(state, tg)] };
    },

    DeleteTargetGroup(input, ctx) {
      const state = deps.state(ctx);
      const arn = required(input.TargetGroupArn, 'TargetGroupArn');
      if (!state.targetGroups.has(arn)) return {};
      const users = state.lbsOfTargetGroup(arn);
      if (users.length > 0) {
        throw new ServiceError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`, 400);
      }
      state.targetGroups.delete(arn);
      state.tags.delete(arn);
      state.changed();
      return {};
    },

    DescribeTargetGroups(input, ctx) {
      const state = deps.state(ctx);
      const lbArn = str(input.LoadBalancerArn);
      const arns = list<string>(input.TargetGroupArns);
      const names = list<string>(input.Names);
      if ([lbArn !== undefined, arns.length > 0, names.length > 0].filter(Boolean).length > 1) {
        throw validation('Only one of load balancer ARN, target group ARNs or names can be specified');
      }
      let groups = [...state.targetGroups.values()];
      if (lbArn) {
        if (!state.loadBalancers.has(lbArn)) throw notFoundFor(lbArn);
        groups = groups.filter((g) => state.lbsOfTargetGroup(g.arn).includes(lbArn));
      } else if (arns.length > 0) {
        groups = arns.map((a) => {
          const g = state.targetGroups.get(a);
          if (!g) throw notFoundFor(a);
          return g;
        });
      } else if (names.length > 0) {
        groups = names.map((n) => {
          const g = groups.find((x) => x.name === n);
          if (!g) throw new ServiceError('TargetGroupNotFound', `One or more target groups not found`, 400);
          return g;
        });
      }
      const p = page(groups, input);
      return { TargetGroups: p.items.map((g) => wireTargetGroup(state, g)), NextMarker: p.NextMarker };
    },
  };
}

/** Health-check settings from a Create/ModifyTargetGroup input over the defaults (or `base`). */
function healthCheckOf(input: Record<string, any>, protocol: string, protocolVersion: string, base?: HealthCheck): HealthCheck {
  const grpc = protocolVersion === 'GRPC';
  const d: HealthCheck = base ?? {
    enabled: true,
    protocol,
    port: 'traffic-port',
    path: grpc ? '/AWS.ALB/healthcheck' : '/',
    intervalSeconds: 30,
    timeoutSeconds: 5,
    healthyThreshold: 5,
    unhealthyThreshold: 2,
    matcher: grpc ? { GrpcCode: '12' } : { HttpCode: '200' },
  };
  const matcher = input.Matcher ? { HttpCode: str(input.Matcher.HttpCode), GrpcCode: str(input.Matcher.GrpcCode) } : d.matcher;
  if (grpc && matcher.HttpCode) throw validation('You must specify a gRPC code, not an HTTP code, for a GRPC target group matcher');
  if (!grpc && matcher.GrpcCode) throw validation('A gRPC code matcher is only valid for GRPC target groups');
  if (matcher.GrpcCode && !/^\d{1,2}(?:-\d{1,2})?(?:,\d{1,2}(?:-\d{1,2})?)*$/.test(matcher.GrpcCode)) {
    throw validation(`gRPC success codes '${matcher.GrpcCode}' must be values or ranges between 0 and 99`);
  }
  const hc: HealthCheck = {
    enabled: bool(input.HealthCheckEnabled) ?? d.enabled,
    protocol: str(input.HealthCheckProtocol) ?? d.protocol,
    port: str(input.HealthCheckPort) ?? d.port,
    path: str(input.HealthCheckPath) ?? d.path,
    intervalSeconds: num(input.HealthCheckIntervalSeconds, 'HealthCheckIntervalSeconds') ?? d.intervalSeconds,
    timeoutSeconds: num(input.HealthCheckTimeoutSeconds, 'HealthCheckTimeoutSeconds') ?? d.timeoutSeconds,
    healthyThreshold: num(input.HealthyThresholdCount, 'HealthyThresholdCount') ?? d.healthyThreshold,
    unhealthyThreshold: num(input.UnhealthyThresholdCount, 'UnhealthyThresholdCount') ?? d.unhealthyThreshold,
    matcher: matcher.GrpcCode ? { GrpcCode: matcher.GrpcCode } : { HttpCode: matcher.HttpCode ?? '200' },
  };
  if (hc.intervalSeconds < 5 || hc.intervalSeconds > 300) throw validation('Health check interval must be between 5 and 300 seconds');
  if (hc.timeoutSeconds < 2 || hc.timeoutSeconds > 120) throw validation('Health check timeout must be between 2 and 120 seconds');
  if (hc.timeoutSeconds >= hc.intervalSeconds) throw new ServiceError('InvalidConfigurationRequest', 'Health check timeout must be smaller than the interval', 400);
  if (hc.healthyThreshold < 2 || hc.healthyThreshold > 10 || hc.unhealthyThreshold < 2 || hc.unhealthyThreshold > 10) {
    throw validation('Health check thresholds must be between 2 and 10');
  }
  return hc;
}
