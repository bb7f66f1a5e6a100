// Deploy a built stack into ELBv2 the way the controller's stack deployer does: find what the
// stack already owns by its tags, then create/modify/delete target groups, the load balancer,
// listeners, rules and target registrations until ELBv2 matches the model. A preflight refuses,
// before any write, what ELBv2 would refuse half-way (rule quota, GRPC without HTTPS), so a
// rejected change leaves the ALB as it was. Errors become FailedDeployModel events.
import { MAX_CONDITION_VALUES } from '../../aws/services/elbv2/rule-model.js';
import { MAX_RULES_PER_LB } from '../../aws/services/elbv2/ops-rules.js';
import { TAG_STACK, TAG_RESOURCE, type ListenerModel, type RuleModel, type StackModel, type TargetGroupModel } from './model.js';
import { findStack, type ElbCall, type FoundStack } from './find.js';

/** A deploy failure with the ELBv2 error code that caused it. */
export class DeployError extends Error {
  override readonly name = 'DeployError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Sync ELBv2 with the model; returns the load balancer's DNS name. Idempotent. */
export async function deployStack(call: ElbCall, target: { clusterName: string; vpcId: string; securityGroups?: string[] }, stack: StackModel): Promise<{ dnsName: string; arn: string; targetGroupArns: Map<string, string> }> {
  preflight(stack);
  const found = await findStack(call, target.clusterName, stack.stackId);
  const tgArns = await syncTargetGroups(call, stack, found, target.vpcId);
  const lb = await syncLoadBalancer(call, stack, found, target.securityGroups);
  const listeners = (await call('DescribeListeners', { LoadBalancerArn: lb.arn })).Listeners as any[];
  for (const lm of stack.listeners) {
    const existing = listeners.find((l) => l.Port === lm.port);
    const listenerArn = await syncListener(call, lb.arn, lm, existing, tgArns, stack.tags);
    await syncRules(call, listenerArn, lm, tgArns, stack.tags);
  }
  for (const l of listeners) {
    if (!stack.listeners.some((lm) => lm.port === l.Port)) await call('DeleteListener', { ListenerArn: l.ListenerArn });
  }
  for (const tg of stack.targetGroups) await syncTargets(call, tgArns.get(tg.resourceId)!, tg);
  for (const old of found.targetGroups) {
    if (![...tgArns.values()].includes(old.arn)) await call('DeleteTargetGroup', { TargetGroupArn: old.arn });
  }
  return { dnsName: lb.dnsName, arn: lb.arn, targetGroupArns: tgArns };
}

/** Delete everything a stack owns (load balancer first, so its target groups are free). */
export async function deleteStack(call: ElbCall, clusterName: string, stackId: string): Promise<void> {
  const found = await findStack(call, clusterName, stackId);
  for (const lb of found.loadBalancers) await call('DeleteLoadBalancer', { LoadBalancerArn: lb.arn });
  for (const tg of found.targetGroups) await call('DeleteTargetGroup', { TargetGroupArn: tg.arn });
}

function preflight(stack: StackModel): void {
  const rules = stack.listeners.reduce((n, l) => n + l.rules.length, 0);
  if (rules > MAX_RULES_PER_LB) {
    throw new DeployError('TooManyRules', `You've reached the limit on the number of rules per load balancer: the stack needs ${rules} rules, the quota is ${MAX_RULES_PER_LB}`);
  }
  const grpc = new Set(stack.targetGroups.filter((t) => t.protocolVersion === 'GRPC').map((t) => t.resourceId));
  for (const l of stack.listeners) {
    const used = [...l.rules.map((r) => r.targetGroup), ...(l.defaultTargetGroup ? [l.defaultTargetGroup] : [])];
    if (l.protocol !== 'HTTPS' && used.some((u) => grpc.has(u))) {
      throw new DeployError('UnsupportedProtocol', `Listener protocol '${l.protocol}' is not supported with a target group with the protocol-version 'GRPC'`);
    }
    for (const r of l.rules) {
      if (r.pathValues.length + r.hosts.length > MAX_CONDITION_VALUES) {
        throw new DeployError('InvalidConfigurationRequest', `A rule can only have '${MAX_CONDITION_VALUES}' condition values`);
      }
    }
  }
}

function tagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

async function syncTargetGroups(call: ElbCall, stack: StackModel, found: FoundStack, vpcId: string): Promise<Map<string, string>> {
  const arns = new Map<string, string>();
  for (const tg of stack.targetGroups) {
    const hc = {
      HealthCheckEnabled: true,
      HealthCheckProtocol: tg.healthCheck.protocol,
      HealthCheckPort: tg.healthCheck.port,
      HealthCheckPath: tg.healthCheck.path,
      HealthCheckIntervalSeconds: tg.healthCheck.intervalSeconds,
      HealthCheckTimeoutSeconds: tg.healthCheck.timeoutSeconds,
      HealthyThresholdCount: tg.healthCheck.healthyThreshold,
      UnhealthyThresholdCount: tg.healthCheck.unhealthyThreshold,
      Matcher: tg.protocolVersion === 'GRPC' ? { GrpcCode: tg.healthCheck.successCodes } : { HttpCode: tg.healthCheck.successCodes },
    };
    const existing = found.targetGroups.find((f) => f.name === tg.name);
    if (existing) {
      const live = existing.raw;
      const same = live.HealthCheckPath === hc.HealthCheckPath && JSON.stringify(live.Matcher) === JSON.stringify(hc.Matcher)
        && live.HealthCheckIntervalSeconds === hc.HealthCheckIntervalSeconds && live.HealthCheckTimeoutSeconds === hc.HealthCheckTimeoutSeconds
        && live.HealthyThresholdCount === hc.HealthyThresholdCount && live.UnhealthyThresholdCount === hc.UnhealthyThresholdCount
        && live.HealthCheckProtocol === hc.HealthCheckProtocol && String(live.HealthCheckPort) === hc.HealthCheckPort;
      if (!same) await call('ModifyTargetGroup', { TargetGroupArn: existing.arn, ...hc });
      arns.set(tg.resourceId, existing.arn);
      continue;
    }
    const out = await call('CreateTargetGroup', {
      Name: tg.name, Protocol: tg.backendProtocol, ProtocolVersion: tg.protocolVersion, Port: tg.port,
      VpcId: vpcId, TargetType: tg.targetType, ...hc,
      Tags: tagList({ ...stackTagsOf(stack), [TAG_RESOURCE]: tg.resourceId }),
    });
    arns.set(tg.resourceId, out.TargetGroups[0].TargetGroupArn);
  }
  return arns;
}

function stackTagsOf(stack: StackModel): Record<string, string> {
  return { ...stack.tags, [TAG_STACK]: stack.stackId };
}

async function syncLoadBalancer(call: ElbCall, stack: StackModel, found: FoundStack, securityGroups: string[] | undefined): Promise<{ arn: string; dnsName: string }> {
  const m = stack.loadBalancer;
  for (const lb of found.loadBalancers) {
    // Scheme and name cannot change in place: the controller replaces the load balancer.
    if (lb.raw.Scheme === m.scheme && lb.raw.LoadBalancerName === m.name) {
      const missing = Object.entries(m.tags).filter(([k, v]) => lb.tags[k] !== v);
      if (missing.length > 0) await call('AddTags', { ResourceArns: [lb.arn], Tags: missing.map(([Key, Value]) => ({ Key, Value })) });
      return { arn: lb.arn, dnsName: lb.raw.DNSName };
    }
  }
  for (const lb of found.loadBalancers) await call('DeleteLoadBalancer', { LoadBalancerArn: lb.arn });
  const out = await call('CreateLoadBalancer', {
    Name: m.name, Type: 'application', Scheme: m.scheme, IpAddressType: m.ipAddressType, Subnets: m.subnets, Tags: tagList(m.tags),
    // The managed frontend group and the shared backend group (security-groups.ts).
    ...(securityGroups ? { SecurityGroups: securityGroups } : {}),
  });
  const lb = out.LoadBalancers[0];
  return { arn: lb.LoadBalancerArn, dnsName: lb.DNSName };
}

function defaultActions(lm: ListenerModel, tgArns: Map<string, string>): Record<string, unknown>[] {
  if (lm.defaultTargetGroup) return [{ Type: 'forward', TargetGroupArn: tgArns.get(lm.defaultTargetGroup) }];
  return [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } }];
}

async function syncListener(call: ElbCall, lbArn: string, lm: ListenerModel, existing: any, tgArns: Map<string, string>, tags: Record<string, string>): Promise<string> {
  const certificates = lm.certificateArns.slice(0, 1).map((CertificateArn) => ({ CertificateArn }));
  const actions = defaultActions(lm, tgArns);
  if (!existing) {
    const out = await call('CreateListener', {
      LoadBalancerArn: lbArn, Protocol: lm.protocol, Port: lm.port, Certificates: certificates, SslPolicy: lm.sslPolicy,
      DefaultActions: actions, Tags: tagList({ ...tags, [TAG_RESOURCE]: String(lm.port) }),
    });
    return out.Listeners[0].ListenerArn;
  }
  const liveCert = existing.Certificates?.[0]?.CertificateArn;
  const liveAction = existing.DefaultActions?.[0];
  const wantAction = actions[0] as any;
  const sameAction = liveAction?.Type === wantAction.Type
    && (wantAction.Type === 'forward' ? liveAction.TargetGroupArn === wantAction.TargetGroupArn : liveAction.FixedResponseConfig?.StatusCode === '404');
  if (existing.Protocol !== lm.protocol || liveCert !== lm.certificateArns[0] || !sameAction || (lm.sslPolicy && existing.SslPolicy !== lm.sslPolicy)) {
    await call('ModifyListener', { ListenerArn: existing.ListenerArn, Protocol: lm.protocol, Certificates: certificates, SslPolicy: lm.sslPolicy, DefaultActions: actions });
  }
  return existing.ListenerArn;
}

function ruleInput(r: RuleModel, tgArns: Map<string, string>): { Conditions: Record<string, unknown>[]; Actions: Record<string, unknown>[] } {
  const conditions: Record<string, unknown>[] = [];
  if (r.hosts.length > 0) conditions.push({ Field: 'host-header', HostHeaderConfig: { Values: r.hosts } });
  conditions.push({ Field: 'path-pattern', PathPatternConfig: { Values: r.pathValues } });
  return {
    Conditions: conditions,
    Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: tgArns.get(r.targetGroup) }] } }],
  };
}

function sameRule(live: any, want: ReturnType<typeof ruleInput>): boolean {
  const paths = live.Conditions?.find((c: any) => c.Field === 'path-pattern')?.PathPatternConfig?.Values ?? [];
  const hosts = live.Conditions?.find((c: any) => c.Field === 'host-header')?.HostHeaderConfig?.Values ?? [];
  const wantPaths = (want.Conditions.find((c: any) => c.Field === 'path-pattern') as any).PathPatternConfig.Values;
  const wantHosts = (want.Conditions.find((c: any) => c.Field === 'host-header') as any)?.HostHeaderConfig.Values ?? [];
  const tg = live.Actions?.[0]?.ForwardConfig?.TargetGroups?.map((g: any) => g.TargetGroupArn) ?? [live.Actions?.[0]?.TargetGroupArn];
  return JSON.stringify(paths) === JSON.stringify(wantPaths) && JSON.stringify(hosts) === JSON.stringify(wantHosts)
    && JSON.stringify(tg) === JSON.stringify([(want.Actions[0] as any).ForwardConfig.TargetGroups[0].TargetGroupArn]);
}

async function syncRules(call: ElbCall, listenerArn: string, lm: ListenerModel, tgArns: Map<string, string>, tags: Record<string, string>): Promise<void> {
  const live = ((await call('DescribeRules', { ListenerArn: listenerArn })).Rules as any[]).filter((r) => !r.IsDefault);
  const byPriority = new Map(live.map((r) => [Number(r.Priority), r]));
  // Deletions first: they free quota and priorities for the creates below.
  for (const r of live) {
    if (!lm.rules.some((m) => m.priority === Number(r.Priority))) await call('DeleteRule', { RuleArn: r.RuleArn });
  }
  for (const m of lm.rules) {
    const want = ruleInput(m, tgArns);
    const existing = byPriority.get(m.priority);
    if (existing && sameRule(existing, want)) continue;
    if (existing) await call('ModifyRule', { RuleArn: existing.RuleArn, ...want });
    else await call('CreateRule', { ListenerArn: listenerArn, Priority: m.priority, ...want, Tags: tagList({ ...tags, [TAG_RESOURCE]: `${lm.port}:${m.priority}` }) });
  }
}

/** Register the model's targets and deregister the rest (the TargetGroupBinding reconciler's job). */
export async function syncTargets(call: ElbCall, tgArn: string, tg: TargetGroupModel): Promise<void> {
  const health = (await call('DescribeTargetHealth', { TargetGroupArn: tgArn })).TargetHealthDescriptions as any[];
  const live = health.filter((h) => h.TargetHealth?.State !== 'draining').map((h) => `${h.Target.Id}:${h.Target.Port}`);
  const want = tg.targets.map((e) => `${e.ip}:${e.port}`);
  const add = tg.targets.filter((e) => !live.includes(`${e.ip}:${e.port}`));
  const remove = live.filter((k) => !want.includes(k));
  if (add.length > 0) await call('RegisterTargets', { TargetGroupArn: tgArn, Targets: add.map((e) => ({ Id: e.ip, Port: e.port })) });
  if (remove.length > 0) {
    await call('DeregisterTargets', {
      TargetGroupArn: tgArn,
      Targets: remove.map((k) => ({ Id: k.slice(0, k.lastIndexOf(':')), Port: Number(k.slice(k.lastIndexOf(':') + 1)) })),
    });
  }
}

