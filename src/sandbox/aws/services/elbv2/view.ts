// The read-only AlbViewSource over one account/region's ELBv2 state, for the ALB data path
// (sandbox/dataplane): load balancers, listeners and rules exactly as they are now — a rule
// deleted through the API stops routing at once — and target health as DescribeTargetHealth
// would report it at this moment.
import type { AlbListenerView, AlbRuleView, AlbView, AlbViewSource } from '../../../alb-view.js';
import { Elbv2State, type Action, type Listener, type LoadBalancer, type Rule } from './state.js';

/** Build the view; every call to loadBalancers() reads the state afresh. */
export function albViewSource(state: Elbv2State): AlbViewSource {
  return {
    loadBalancers: () => {
      state.sweepDraining();
      return [...state.loadBalancers.values()].map((lb) => viewOf(state, lb));
    },
    onChange: (listener) => state.subscribe(listener),
  };
}

/**
 * NOTE(lazy): the data path asks for every load balancer on each ELBv2 change but mostly reads
 * only its ARN and listeners; target health (security-group reachability per target) is worked
 * out only when a request is routed. Each part is still read from the state at that moment.
 */
function viewOf(state: Elbv2State, lb: LoadBalancer): AlbView {
  let listenerViews: AlbListenerView[] | undefined;
  let targetGroups: AlbView['targetGroups'] | undefined;
  return {
    arn: lb.arn,
    dnsName: lb.dnsName,
    canonicalHostedZoneId: lb.canonicalHostedZoneId,
    scheme: lb.scheme,
    state: state.lbState(lb),
    get listeners() {
      listenerViews ??= state.listenersOf(lb.arn).map((l) => listenerView(state, l));
      return listenerViews;
    },
    get targetGroups() {
      targetGroups ??= targetGroupViews(state, lb);
      return targetGroups;
    },
  };
}

function targetGroupViews(state: Elbv2State, lb: LoadBalancer): AlbView['targetGroups'] {
  const tgArns = new Set<string>();
  for (const l of state.listenersOf(lb.arn)) {
    for (const a of Elbv2State.forwardedGroups(l.defaultActions)) tgArns.add(a);
    for (const r of state.rulesOf(l.arn)) for (const a of Elbv2State.forwardedGroups(r.actions)) tgArns.add(a);
  }
  const targetGroups: AlbView['targetGroups'] = new Map();
  for (const arn of tgArns) {
    const tg = state.targetGroups.get(arn);
    if (!tg) continue;
    targetGroups.set(arn, {
      protocolVersion: tg.protocolVersion,
      targets: tg.targets.map((t) => ({ ip: t.id, port: t.port, healthy: state.targetHealth(tg, t).State === 'healthy' })),
    });
  }
  return targetGroups;
}

function listenerView(state: Elbv2State, l: Listener): AlbListenerView {
  const rules: AlbRuleView[] = state.rulesOf(l.arn).map((r) => ruleView(r));
  rules.push({ priority: 'default', pathPatterns: [], action: actionView(l.defaultActions) });
  return {
    port: l.port,
    protocol: l.protocol === 'HTTPS' ? 'HTTPS' : 'HTTP',
    certificateArns: l.certificates.map((c) => c.CertificateArn),
    rules,
  };
}

function ruleView(r: Rule): AlbRuleView {
  const path = r.conditions.find((c) => c.Field === 'path-pattern');
  const patterns: string[] = path?.PathPatternConfig?.Values ?? path?.Values ?? [];
  return { priority: r.priority, pathPatterns: [...patterns], action: actionView(r.actions) };
}

/** The action that decides the response: the lowest-Order forward or fixed-response. */
function actionView(actions: Action[]): AlbRuleView['action'] {
  const sorted = [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
  for (const a of sorted) {
    if (a.Type === 'forward') {
      const arn = a.TargetGroupArn ?? a.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn;
      if (arn) return { type: 'forward', targetGroupArn: arn };
    }
    if (a.Type === 'fixed-response') {
      const c = a.FixedResponseConfig ?? {};
      return { type: 'fixed-response', statusCode: Number(c.StatusCode), contentType: c.ContentType, body: c.MessageBody };
    }
  }
  return { type: 'fixed-response', statusCode: 503 };
}
