// Pure half of the ALB read-back: the desired shape of a group's ALB (what its Ingresses should
// make the load balancer controller build), the comparable state read from ELBv2, the drift
// between them and readiness. No I/O here.
import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { DiffResult, FieldChange, OutputRef, Readiness } from '../kind.js';
import { KNOWN_AFTER_APPLY } from '../plan-values.js';
import { compareText } from '../../compare-text.js';

/** One ALB rule: its path-pattern values and the backend its target group serves. */
export interface AlbRule {
  paths: string[];
  /** The controller's ingress.k8s.aws/resource tag of the target group: `<ns>/<ingress>-<svc>:<port>`. */
  backend: string;
}

export interface AlbDesired {
  cluster: string;
  group: string;
  scheme: 'internet-facing' | 'internal';
  certificateArn: string | OutputRef;
  listener: { protocol: 'HTTPS'; port: number };
  /** Sorted by first path. */
  rules: AlbRule[];
  healthCheck: { path: string; successCodes: string };
  /** The group's Ingresses, nudged to repair drift. */
  ingresses: { namespace: string; name: string }[];
}

export interface AlbTargetGroupState {
  backend: string;
  /** Its ARN: the next readiness poll skips target groups already healthy (alb-readback-read.ts). */
  arn?: string;
  /** Whether this read fetched (or carried over) its target health; false when the poll's budget ran out first. */
  healthRead?: boolean;
  protocolVersion: string;
  healthCheckPath?: string;
  successCodes?: string;
  healthy: number;
  total: number;
}

export interface AlbState {
  scheme: string;
  lbState: string;
  /** Every listener as PROTOCOL:PORT, sorted. */
  listeners: string[];
  /** Default certificate of the desired listener, if that listener exists. */
  certificateArn?: string;
  /** Rules of the desired listener (default rule excluded), sorted by first path. */
  rules: AlbRule[];
  targetGroups: AlbTargetGroupState[];
  /** Whether target health was read (observeAll skips it: one call per target group; see alb-readback-read.ts). */
  healthRead: boolean;
  /**
   * What create/update asked the controller for (refs resolved); ready() waits until the live
   * state matches it. Carried from one read to the next by refresh().
   */
  expected?: AlbDesired;
  /** The controller's latest unresolved Warning Event on the group's Ingresses (read while waiting). */
  controllerWarning?: string;
}

/** Map key of a rule: its path values. */
function ruleKey(r: AlbRule): string {
  return r.paths.join(' ');
}

function known(v: unknown): v is string {
  return typeof v === 'string' && v !== KNOWN_AFTER_APPLY;
}

/** ALB-level drift: a rule missing or pointing elsewhere, a listener without the certificate, a non-GRPC target group. */
export function diffAlb(desired: AlbDesired, observed: AlbState): DiffResult {
  const fields: FieldChange[] = [];
  if (desired.scheme !== observed.scheme) fields.push({ path: 'scheme', old: observed.scheme, new: desired.scheme });
  const listener = `${desired.listener.protocol}:${desired.listener.port}`;
  if (observed.listeners.length !== 1 || observed.listeners[0] !== listener) {
    fields.push({ path: 'listeners', old: observed.listeners, new: [listener] });
  }
  if (known(desired.certificateArn) && observed.listeners.includes(listener) && observed.certificateArn !== desired.certificateArn) {
    fields.push({ path: `listener[${listener}].certificate`, old: observed.certificateArn ?? null, new: desired.certificateArn });
  }
  const live = new Map(observed.rules.map((r) => [ruleKey(r), r.backend]));
  const want = new Map(desired.rules.map((r) => [ruleKey(r), r.backend]));
  for (const [key, backend] of want) {
    if (live.get(key) !== backend) fields.push({ path: `rules[${key}]`, old: live.get(key) ?? null, new: backend });
  }
  for (const [key, backend] of live) {
    if (!want.has(key)) fields.push({ path: `rules[${key}]`, old: backend, new: null });
  }
  const groups = new Map(observed.targetGroups.map((g) => [g.backend, g]));
  for (const backend of new Set(desired.rules.map((r) => r.backend))) {
    const g = groups.get(backend);
    if (!g) continue;
    if (g.protocolVersion !== 'GRPC') fields.push({ path: `targetGroups[${backend}].protocolVersion`, old: g.protocolVersion, new: 'GRPC' });
    if (g.healthCheckPath !== desired.healthCheck.path || g.successCodes !== desired.healthCheck.successCodes) {
      fields.push({
        path: `targetGroups[${backend}].healthCheck`,
        old: `${g.healthCheckPath ?? ''} → ${g.successCodes ?? ''}`,
        new: `${desired.healthCheck.path} → ${desired.healthCheck.successCodes}`,
      });
    }
  }
  return { fields, replaces: [] };
}

/** Ready: the ALB is active, matches what was asked of the controller, and every target is healthy. */
export function albReady(state: AlbState): Readiness {
  if (state.lbState === 'failed') return { failed: 'ALB state failed' };
  if (state.lbState !== 'active') return { waiting: `ALB ${state.lbState}` };
  if (state.expected) {
    const drift = diffAlb(state.expected, state).fields;
    if (drift.length > 0) {
      const first = drift.slice(0, 3).map((f) => f.path).join(', ');
      const says = state.controllerWarning ? `; the controller reports ${state.controllerWarning}` : '';
      return { waiting: `load balancer controller has not converged yet (${drift.length} difference${drift.length > 1 ? 's' : ''}: ${first}${drift.length > 3 ? ', …' : ''})${says}` };
    }
  }
  if (!state.healthRead) return { waiting: 'target health not read yet' };
  const total = state.targetGroups.reduce((n, g) => n + g.total, 0);
  const healthy = state.targetGroups.reduce((n, g) => n + g.healthy, 0);
  const unread = state.targetGroups.filter((g) => g.healthRead === false).length;
  const pending = unread > 0 ? ` (${unread} target group${unread > 1 ? 's' : ''} not read yet)` : '';
  if (total === 0) return { waiting: `no targets registered yet${pending}` };
  if (healthy < total || unread > 0) return { waiting: `${healthy}/${total} targets healthy${pending}` };
  return true;
}

/** Live ELBv2 records of one ALB, as the reader collects them (SDK output shapes, loosely typed). */
export interface AlbLive {
  loadBalancer: { Scheme?: string; State?: { Code?: string } };
  listeners: { ListenerArn?: string; Protocol?: string; Port?: number; Certificates?: { CertificateArn?: string }[] }[];
  /** Rules by listener ARN. */
  rules: Map<string, { IsDefault?: boolean; Priority?: string; Conditions?: RuleCondition[]; Actions?: Action[] }[]>;
  targetGroups: { TargetGroupArn?: string; TargetGroupName?: string; ProtocolVersion?: string; HealthCheckPath?: string; Matcher?: { GrpcCode?: string; HttpCode?: string } }[];
  /** Tags by target group ARN. */
  targetGroupTags: Map<string, Record<string, string>>;
  /** Target health states by target group ARN; undefined when not read. */
  health?: Map<string, string[]>;
}

/** Turn the raw ELBv2 read into the comparable state. */
export function albStateFromLive(live: AlbLive, listener: { protocol: string; port: number }): AlbState {
  const backendOf = (arn: string | undefined): string => {
    if (!arn) return '(none)';
    return live.targetGroupTags.get(arn)?.['ingress.k8s.aws/resource'] ?? `(untagged ${arn.split(':').at(-1)})`;
  };
  const wanted = live.listeners.find((l) => l.Protocol === listener.protocol && l.Port === listener.port);
  const rules: AlbRule[] = [];
  for (const r of wanted ? live.rules.get(wanted.ListenerArn ?? '') ?? [] : []) {
    if (r.IsDefault) continue;
    const cond = (r.Conditions ?? []).find((c) => c.Field === 'path-pattern');
    const paths: string[] = cond?.PathPatternConfig?.Values ?? cond?.Values ?? [];
    const forward = (r.Actions ?? []).find((a) => a.Type === 'forward');
    const tgArn: string | undefined = forward?.TargetGroupArn ?? forward?.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn;
    rules.push({ paths, backend: forward ? backendOf(tgArn) : `(${(r.Actions ?? [])[0]?.Type ?? 'no action'})` });
  }
  rules.sort((a, b) => compareText(ruleKey(a), ruleKey(b)));
  return {
    scheme: live.loadBalancer.Scheme ?? '',
    lbState: live.loadBalancer.State?.Code ?? 'unknown',
    listeners: live.listeners.map((l) => `${l.Protocol}:${l.Port}`).sort(),
    certificateArn: wanted?.Certificates?.[0]?.CertificateArn,
    rules,
    healthRead: live.health !== undefined,
    targetGroups: live.targetGroups.map((g) => ({
      backend: backendOf(g.TargetGroupArn),
      arn: g.TargetGroupArn,
      protocolVersion: g.ProtocolVersion ?? 'HTTP1',
      healthCheckPath: g.HealthCheckPath,
      successCodes: g.Matcher?.GrpcCode ?? g.Matcher?.HttpCode,
      ...healthFields(g.TargetGroupArn, live.health),
    })),
  };
}

/** A target group's health fields from one poll's health read (none when health was not read). */
function healthFields(arn: string | undefined, health: Map<string, string[]> | undefined): Pick<AlbTargetGroupState, 'healthRead' | 'healthy' | 'total'> {
  // Draining and unused targets are leaving or not in use: neither counts toward readiness.
  const states = (health?.get(arn ?? '') ?? []).filter((s) => s !== 'draining' && s !== 'unused');
  return { ...(health ? { healthRead: health.has(arn ?? '') } : {}), healthy: states.filter((s) => s === 'healthy').length, total: states.length };
}

/** The same configuration with target health from a newer poll (readiness polls that re-read only health). */
export function withTargetHealth(state: AlbState, health: Map<string, string[]>): AlbState {
  return { ...state, healthRead: true, targetGroups: state.targetGroups.map((g) => ({ ...g, ...healthFields(g.arn, health) })) };
}
