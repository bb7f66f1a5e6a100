// State records → the member shapes ELBv2 puts on the wire (awsQuery XML; the codec wraps
// arrays in <member>). Element names are exactly the API's (LoadBalancerArn, DNSName, State/Code…).
import type { Elbv2State, Listener, LoadBalancer, Rule, TargetGroup } from './state.js';

export function wireLoadBalancer(state: Elbv2State, lb: LoadBalancer): Record<string, unknown> {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: lb.canonicalHostedZoneId,
    CreatedTime: lb.createdAt,
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: state.lbState(lb) },
    Type: lb.type,
    AvailabilityZones: lb.subnets.map((s) => ({ ZoneName: s.zone, SubnetId: s.subnetId, LoadBalancerAddresses: [] })),
    SecurityGroups: lb.securityGroups,
    IpAddressType: lb.ipAddressType,
  };
}

export function wireListener(l: Listener): Record<string, unknown> {
  return {
    ListenerArn: l.arn,
    LoadBalancerArn: l.lbArn,
    Port: l.port,
    Protocol: l.protocol,
    // DescribeListeners reports only the default certificate (the others via DescribeListenerCertificates).
    Certificates: l.certificates.length > 0 ? [{ CertificateArn: l.certificates[0]!.CertificateArn }] : undefined,
    SslPolicy: l.sslPolicy,
    DefaultActions: l.defaultActions.map(wireAction),
    AlpnPolicy: l.alpnPolicy,
  };
}

export function wireRule(r: Rule): Record<string, unknown> {
  return {
    RuleArn: r.arn,
    Priority: String(r.priority),
    Conditions: r.conditions.map(wireCondition),
    Actions: r.actions.map(wireAction),
    IsDefault: false,
  };
}

/** The listener's default rule as DescribeRules shows it (priority "default"). */
export function wireDefaultRule(l: Listener): Record<string, unknown> {
  return {
    RuleArn: l.arn.replace(':listener/', ':listener-rule/') + '/default',
    Priority: 'default',
    Conditions: [],
    Actions: l.defaultActions.map(wireAction),
    IsDefault: true,
  };
}

function wireCondition(c: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = { Field: c.Field };
  // ALB echoes both the legacy Values and the typed config for path-pattern and host-header.
  const values: string[] | undefined = c.PathPatternConfig?.Values ?? c.HostHeaderConfig?.Values ?? c.Values;
  if (values) out.Values = values;
  if (c.Field === 'path-pattern') out.PathPatternConfig = { Values: values ?? [] };
  if (c.Field === 'host-header') out.HostHeaderConfig = { Values: values ?? [] };
  if (c.HttpHeaderConfig) out.HttpHeaderConfig = c.HttpHeaderConfig;
  if (c.HttpRequestMethodConfig) out.HttpRequestMethodConfig = c.HttpRequestMethodConfig;
  return out;
}

function wireAction(a: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = { Type: a.Type };
  if (a.Order !== undefined) out.Order = a.Order;
  if (a.Type === 'forward') {
    const groups: { TargetGroupArn: string; Weight?: number }[] = a.ForwardConfig?.TargetGroups
      ?? (a.TargetGroupArn ? [{ TargetGroupArn: a.TargetGroupArn, Weight: 1 }] : []);
    // With a single group ALB reports it both as TargetGroupArn and inside ForwardConfig.
    if (groups.length === 1) out.TargetGroupArn = groups[0]!.TargetGroupArn;
    out.ForwardConfig = {
      TargetGroups: groups.map((g) => ({ TargetGroupArn: g.TargetGroupArn, Weight: g.Weight ?? 1 })),
      TargetGroupStickinessConfig: { Enabled: false },
    };
  }
  if (a.Type === 'fixed-response') out.FixedResponseConfig = a.FixedResponseConfig;
  if (a.Type === 'redirect') out.RedirectConfig = a.RedirectConfig;
  return out;
}

export function wireTargetGroup(state: Elbv2State, tg: TargetGroup): Record<string, unknown> {
  const hc = tg.healthCheck;
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: hc.protocol,
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    HealthCheckPath: hc.path,
    Matcher: hc.matcher,
    LoadBalancerArns: state.lbsOfTargetGroup(tg.arn),
    TargetType: tg.targetType,
    ProtocolVersion: tg.protocolVersion,
    IpAddressType: tg.ipAddressType,
  };
}

/** Tag map → [{Key, Value}] in insertion order. */
export function wireTags(tags: Map<string, string> | undefined): { Key: string; Value: string }[] {
  return [...(tags ?? new Map<string, string>()).entries()].map(([Key, Value]) => ({ Key, Value }));
}
